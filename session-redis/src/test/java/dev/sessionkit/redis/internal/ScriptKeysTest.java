// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reads every script as Redis gets it and checks that it names every key it touches in {@code
 * KEYS}: the key argument of each {@code redis.call} is {@code KEYS[...]} or a variable, and no
 * script builds a key name itself from the bucket root (the key functions of {@link
 * RedisKeys#luaPrelude()}), directly or through a shared function of {@code common.lua} that does.
 */
class ScriptKeysTest {

  /** The key functions and names that {@link RedisKeys#luaPrelude()} defines. */
  private static final List<String> BUILDERS =
      List.of("skey", "tkey", "mkey", "pkey", "gkey", "rkey", "rpkey", "DUE", "RDUE");

  /**
   * The scripts on one session or series that still build the names of that record's own token
   * keys, principal set or due index from the fields they read (in the slot of their declared key;
   * see docs/redis.md, Phases). None of them reads a key that a set or index lists.
   */
  private static final Set<LuaScript> BUILD_OWN_KEYS = EnumSet.of(LuaScript.CREATE,
      LuaScript.FIND_BY_TOKEN, LuaScript.FIND_AND_TOUCH, LuaScript.TOUCH, LuaScript.ROTATE,
      LuaScript.DELETE, LuaScript.SET_IDLE_TIMEOUT, LuaScript.MOVE_OUT, LuaScript.DELETE_SERIES,
      LuaScript.DELETE_SERIES_IF_LATEST, LuaScript.REVOKE_SERIES, LuaScript.REVOKE_ALL_SERIES,
      LuaScript.PURGE_SERIES);

  private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z]+)',\\s*");
  private static final Pattern FUNCTION = Pattern.compile(
      "local function (\\w+)\\(([^)]*)\\)\\n(.*?)\\nend\\n", Pattern.DOTALL);

  @Test
  void everyScriptOutsideTheKnownListNamesEveryKeyItTouchesInKeys() {
    Map<String, Set<String>> builtBy = new TreeMap<>();
    for (LuaScript script : LuaScript.values()) {
      Set<String> built = keysBuilt(script.body());
      if (!built.isEmpty()) {
        builtBy.put(script.name(), built);
      }
    }
    Set<String> known = new LinkedHashSet<>();
    BUILD_OWN_KEYS.forEach(s -> known.add(s.name()));
    assertThat(builtBy.keySet()).as("scripts that build key names themselves")
        .containsExactlyInAnyOrderElementsOf(known);
    for (LuaScript script : List.of(LuaScript.REVOKE_PRINCIPAL, LuaScript.DROP_SESSIONS,
        LuaScript.DROP_TOKENS, LuaScript.FIND_BY_PRINCIPAL, LuaScript.PURGE, LuaScript.LIST_DUE,
        LuaScript.RAISE_GENERATIONS)) {
      assertThat(builtBy).as("the scripts of operations on many sessions").doesNotContainKey(
          script.name());
    }
  }

  @Test
  void theCheckFindsAKeyBuiltInAScriptOrThroughASharedFunction() {
    String prelude = RedisKeys.luaPrelude()
        + "local function helper(id)\n  redis.call('DEL', skey(id))\nend\n";
    assertThat(keysBuilt(prelude + "redis.call('DEL', KEYS[1])\n")).isEmpty();
    assertThat(keysBuilt(prelude + "local k = KEYS[2]\nredis.call('GET', k)\n")).isEmpty();
    assertThat(keysBuilt(prelude + "redis.call('DEL', skey(ARGV[3]))\n")).contains("skey");
    assertThat(keysBuilt(prelude + "redis.call('ZADD', DUE, 1, 'm')\n")).contains("DUE");
    assertThat(keysBuilt(prelude + "redis.call('GET', P .. 'x')\n")).contains("P ..");
    assertThat(keysBuilt(prelude + "helper(ARGV[3])\n")).contains("skey");
  }

  /**
   * Returns what the script body builds keys with: the key functions of the prelude and key
   * arguments of {@code redis.call} that are neither {@code KEYS[...]} nor a variable, in its own
   * code and in every shared function it calls (directly or through another).
   */
  static Set<String> keysBuilt(String body) {
    String code = withoutComments(body);
    String prelude = RedisKeys.luaPrelude();
    String rest = code.startsWith(prelude) ? code.substring(prelude.length()) : code;
    Map<String, String> functions = new TreeMap<>();
    StringBuilder checked = new StringBuilder();
    Matcher function = FUNCTION.matcher(rest);
    int last = 0;
    while (function.find()) {
      checked.append(rest, last, function.start());
      functions.put(function.group(1), function.group(3));
      last = function.end();
    }
    checked.append(rest.substring(last));
    Set<String> called = new LinkedHashSet<>();
    boolean grew = true;
    while (grew) { // the functions the script calls, and those they call
      grew = false;
      for (Map.Entry<String, String> f : functions.entrySet()) {
        if (!called.contains(f.getKey()) && uses(checked.toString(), f.getKey())) {
          called.add(f.getKey());
          checked.append('\n').append(f.getValue());
          grew = true;
        }
      }
    }
    String text = checked.toString();
    Set<String> found = new LinkedHashSet<>();
    if (text.contains("P ..")) {
      found.add("P ..");
    }
    for (String builder : BUILDERS) {
      if (uses(text, builder)) {
        found.add(builder);
      }
    }
    Matcher call = CALL.matcher(text);
    while (call.find()) {
      String argument = text.substring(call.end()).split("[,)]", 2)[0].trim();
      if (!argument.matches("KEYS\\[[^\\]]+\\]") && !argument.matches("[a-z]\\w*")) {
        found.add(call.group(1) + " " + argument);
      }
    }
    return found;
  }

  private static boolean uses(String code, String name) {
    return Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?!\\w)").matcher(code).find();
  }

  private static String withoutComments(String body) {
    return body.replaceAll("(?m)--.*$", "");
  }
}
