// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An HTTP response as the tests see it: status, headers (names case-insensitive) and body. */
public record Reply(int status, Map<String, List<String>> headers, String body) {

  /** Copies the headers into a case-insensitive map. */
  public Reply {
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
    headers = h;
  }

  /** Returns every value of a header. */
  public List<String> all(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** Returns the single value of a header, if present. */
  public Optional<String> header(String name) {
    List<String> values = all(name);
    if (values.size() > 1) {
      throw new AssertionError("header " + name + " repeated: " + values);
    }
    return values.stream().findFirst();
  }

  /** Returns every Set-Cookie header. */
  public List<String> setCookies() {
    return all("Set-Cookie");
  }

  /** Returns the one Set-Cookie header for {@code name}, failing if there are several. */
  public Optional<String> setCookie(String name) {
    List<String> matching = setCookies().stream().filter(h -> h.startsWith(name + "=")).toList();
    if (matching.size() > 1) {
      throw new AssertionError("two Set-Cookie headers for " + name + ": " + matching);
    }
    return matching.stream().findFirst();
  }

  /** Returns the value that the Set-Cookie header for {@code name} hands out. */
  public String cookieValue(String name) {
    String header = setCookie(name).orElseThrow(() ->
        new AssertionError("no Set-Cookie for " + name + " in " + setCookies()));
    int end = header.indexOf(';');
    return header.substring(name.length() + 1, end < 0 ? header.length() : end);
  }

  /** Returns the value of a {@code key=value} line of the body. */
  public String line(String key) {
    for (String l : body.split("\n")) {
      if (l.startsWith(key + "=")) {
        return l.substring(key.length() + 1);
      }
    }
    throw new AssertionError("no line " + key + "= in body: " + body);
  }

  @Override
  public String toString() {
    return "Reply[" + status + ", " + headers + ", "
        + body.substring(0, Math.min(300, body.length())) + "]";
  }
}
