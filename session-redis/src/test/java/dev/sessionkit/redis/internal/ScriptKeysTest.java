// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reads every script as Redis gets it and checks that it names every key it touches in {@code
 * KEYS}: the key argument of each {@code redis.call} is {@code KEYS[...]} or a variable, and no
 * script builds a key name itself from the bucket root ({@code ARGV[1]}), directly or through a
 * shared function of {@code common.lua} that does.
 */
class ScriptKeysTest {

  private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z]+)',\\s*");
  private static final Pattern FUNCTION = Pattern.compile(
      "local function (\\w+)\\(([^)]*)\\)\\n(.*?)\\nend\\n", Pattern.DOTALL);

  @Test
  void everyScriptNamesEveryKeyItTouchesInKeys() {
    Map<String, Set<String>> builtBy = new TreeMap<>();
    for (LuaScript script : LuaScript.values()) {
      Set<String> built = keysBuilt(script.body());
      if (!built.isEmpty()) {
        builtBy.put(script.name(), built);
      }
    }
    assertThat(builtBy).as("scripts that build key names themselves, and what they build")
        .isEmpty();
  }

  @Test
  void theCheckFindsAKeyBuiltInAScriptOrThroughASharedFunction() {
    String shared = "local function skey(id)\n  return ARGV[1] .. 's:' .. id\nend\n"
        + "local function helper(id)\n  redis.call('DEL', skey(id))\nend\n";
    assertThat(keysBuilt(shared + "redis.call('DEL', KEYS[1])\n")).isEmpty();
    assertThat(keysBuilt(shared + "local k = KEYS[2]\nredis.call('GET', k)\n")).isEmpty();
    assertThat(keysBuilt(shared + "redis.call('DEL', skey(ARGV[3]))\n")).contains("ARGV[1]");
    assertThat(keysBuilt("redis.call('ZADD', ARGV[1] .. 'due', 1, 'm')\n"))
        .contains("ARGV[1]");
    assertThat(keysBuilt("redis.call('GET', ARGV[3] .. 'x')\n"))
        .contains("GET ARGV[3] .. 'x'");
    assertThat(keysBuilt(shared + "helper(ARGV[3])\n")).contains("ARGV[1]");
    assertThat(keysBuilt("local function f(id)\n  redis.call('DEL', 'k' .. id)\nend\n"
        + "f(ARGV[3])\n")).contains("DEL 'k' .. id");
  }

  /**
   * Returns what the script body builds keys with: the bucket root ({@code ARGV[1]}, which no
   * script may read) and key arguments of {@code redis.call} that are neither {@code KEYS[...]}
   * nor a variable, in its own code and in every shared function it calls (directly or through
   * another).
   */
  static Set<String> keysBuilt(String body) {
    String code = withoutComments(body);
    String rest = code;
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
    if (text.contains("ARGV[1]")) {
      found.add("ARGV[1]");
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
