// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A minimal browser: keeps the cookies its responses set (name and value only; {@code Max-Age=0}
 * deletes) and sends them back in one Cookie header. Paths, domains and Secure are ignored on
 * purpose: the tests assert those attributes byte for byte instead.
 */
public final class Browser {

  private final Http http;
  private final String userAgent;
  private final Map<String, String> jar = new LinkedHashMap<>();

  public Browser(Http http, String userAgent) {
    this.http = http;
    this.userAgent = userAgent;
  }

  /** GETs {@code path} with the jar's cookies and keeps what the response sets. */
  public Reply get(String path) {
    return keep(jar.isEmpty() ? http.getAs(path, userAgent)
        : http.getAs(path, userAgent, cookieHeader()));
  }

  /** POSTs an encoded form to {@code path} with the jar's cookies and keeps what it sets. */
  public Reply post(String path, String form) {
    return keep(jar.isEmpty() ? http.postForm(path, form, userAgent)
        : http.postForm(path, form, userAgent, cookieHeader()));
  }

  private Reply keep(Reply reply) {
    for (String header : reply.setCookies()) {
      int eq = header.indexOf('=');
      int semi = header.indexOf(';');
      String name = header.substring(0, eq);
      String value = header.substring(eq + 1, semi < 0 ? header.length() : semi);
      if (header.contains("; Max-Age=0;") || header.endsWith("; Max-Age=0")) {
        jar.remove(name);
      } else {
        jar.put(name, value);
      }
    }
    return reply;
  }

  /** Returns a cookie's value, or null. */
  public String cookie(String name) {
    return jar.get(name);
  }

  /** Sets a cookie by hand (to replay an old value). */
  public Browser cookie(String name, String value) {
    if (value == null) {
      jar.remove(name);
    } else {
      jar.put(name, value);
    }
    return this;
  }

  /** Forgets every cookie. */
  public void clear() {
    jar.clear();
  }

  private String cookieHeader() {
    return jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }
}
