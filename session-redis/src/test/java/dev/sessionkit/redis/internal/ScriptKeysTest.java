// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
   * The scripts that still build key names, and what they build: the two of the request path read
   * the session hash that the token key names (its id is in no cookie), and find_and_touch, when it
   * records an access, sets the TTLs of the token keys and the principal's set that hash names (see
   * docs/redis.md, Phases). Both read each of those keys before any write. Every other script gets
   * every key it touches in {@code KEYS}.
   */
  private static final Map<LuaScript, Set<String>> BUILD_KEYS = Map.of(
      LuaScript.FIND_BY_TOKEN, Set.of("skey"),
      LuaScript.FIND_AND_TOUCH, Set.of("skey", "tkey", "pkey"));

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
    Map<String, Set<String>> known = new TreeMap<>();
    BUILD_KEYS.forEach((script, built) -> known.put(script.name(), built));
    assertThat(builtBy).as("scripts that build key names themselves, and what they build")
        .isEqualTo(known);
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
