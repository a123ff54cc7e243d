// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser that keeps cookies as browsers do for one host: by name and {@code Path}, sending a
 * cookie only to paths that path-match it (RFC 6265 section 5.1.4), longer paths first. A cookie
 * without {@code Path} gets the default path of the request (section 5.1.4 too). {@code Secure}
 * is ignored: the tests run on plain HTTP to 127.0.0.1, which browsers treat as a secure context.
 */
public final class ScopedBrowser {

  private record Key(String name, String path) {}

  private final Http http;
  private final Map<Key, String> jar = new LinkedHashMap<>();

  public ScopedBrowser(Http http) {
    this.http = http;
  }

  /** GETs {@code path} with the cookies that match it and keeps what the response sets. */
  public Reply get(String path) {
    String header = cookieHeader(path);
    Reply reply = header.isEmpty() ? http.get(path) : http.get(path, header);
    for (String setCookie : reply.setCookies()) {
      String[] parts = setCookie.split(";");
      int eq = parts[0].indexOf('=');
      String name = parts[0].substring(0, eq).strip();
      String value = parts[0].substring(eq + 1).strip();
      String cookiePath = null;
      boolean delete = false;
      for (int i = 1; i < parts.length; i++) {
        String attribute = parts[i].strip();
        String lower = attribute.toLowerCase(Locale.ROOT);
        if (lower.startsWith("path=")) {
          cookiePath = attribute.substring(5);
        } else if (lower.equals("max-age=0")) {
          delete = true;
        }
      }
      Key key = new Key(name, cookiePath == null ? defaultPath(path) : cookiePath);
      if (delete) {
        jar.remove(key);
      } else {
        jar.put(key, value);
      }
    }
    return reply;
  }

  /** Returns the names of the cookies kept, with their paths ({@code name@path}). */
  public List<String> cookies() {
    return jar.keySet().stream().map(k -> k.name() + "@" + k.path()).toList();
  }

  /** Returns the Cookie header a request to {@code path} carries (empty: none). */
  public String cookieHeader(String path) {
    String requestPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    List<Map.Entry<Key, String>> matching = new ArrayList<>();
    for (Map.Entry<Key, String> e : jar.entrySet()) {
      if (pathMatches(requestPath, e.getKey().path())) {
        matching.add(e);
      }
    }
    matching.sort(Comparator.comparingInt((Map.Entry<Key, String> e) -> e.getKey().path().length())
        .reversed());
    return matching.stream().map(e -> e.getKey().name() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }

  static boolean pathMatches(String requestPath, String cookiePath) {
    if (requestPath.equals(cookiePath)) {
      return true;
    }
    return requestPath.startsWith(cookiePath)
        && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
  }

  private static String defaultPath(String requestPath) {
    int last = requestPath.lastIndexOf('/');
    return last <= 0 ? "/" : requestPath.substring(0, last);
  }
}
