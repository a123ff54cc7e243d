// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * The values of our two cookies in a request's {@code Cookie} headers, parsed strictly.
 *
 * <p>Rules (see COOKIES.md; each one closes a hole that another parser had):
 *
 * <ul>
 *   <li>every {@code Cookie} header is read (HTTP/2 splits them), in one linear pass each;
 *   <li>headers of any length are read, up to {@value #MAX_TOTAL_LENGTH} characters over all of
 *       them: a site with many other cookies sends a {@code Cookie} header far over 4096 characters
 *       (browsers cap each cookie at 4096 bytes, not the header), and the container already bounds
 *       the header (8 KiB by default on Tomcat and Jetty); the bound here only caps the work;
 *   <li>a {@code ;} always ends a pair, quoted or not; there is no RFC 2109 mode ({@code $Version},
 *       commas as separators);
 *   <li>names are compared byte for byte, never trimmed inside or case-folded; a pair without a
 *       name or without {@code =} is ignored;
 *   <li>a value (after removing one pair of surrounding double quotes) must be 1 to {@value
 *       #MAX_VALUE_LENGTH} cookie-octets (printable ASCII except space, {@code " , ; \}); anything
 *       else (non-ASCII, control bytes, empty) is ignored;
 *   <li>each name keeps at most {@value #MAX_VALUES_PER_NAME} values, in order, and the caller
 *       tries each, so that up to three planted duplicates sent ahead of the real cookie cannot
 *       shadow it. More than that (a page that can set cookies for the parent domain, under a
 *       context path where the cookie cannot be {@code __Host-}) push the real cookie out: the
 *       request then has no session, or the planter's if one of the planted values is a live
 *       token (the threat model in SECURITY.md).
 * </ul>
 *
 * <p>Nothing here throws on any input. The {@link #anomaly()} text names what was ignored, never a
 * value.
 */
public final class RequestCookies {

  /**
   * At most this many characters are read over all {@code Cookie} headers of a request (more than
   * any container accepts by default), in one linear pass.
   */
  public static final int MAX_TOTAL_LENGTH = 65536;
  /** At most this many values of one of our names are kept. */
  public static final int MAX_VALUES_PER_NAME = 4;
  /** Our values have at most 69 characters (a routing tag included); this bounds the work. */
  public static final int MAX_VALUE_LENGTH = 128;

  private static final RequestCookies NONE =
      new RequestCookies(List.of(), List.of(), false, false, null);

  private final List<String> sessionValues;
  private final List<String> rememberMeValues;
  private final boolean sessionNamed;
  private final boolean rememberMeNamed;
  private final String anomaly;

  private RequestCookies(List<String> sessionValues, List<String> rememberMeValues,
      boolean sessionNamed, boolean rememberMeNamed, String anomaly) {
    this.sessionValues = sessionValues;
    this.rememberMeValues = rememberMeValues;
    this.sessionNamed = sessionNamed;
    this.rememberMeNamed = rememberMeNamed;
    this.anomaly = anomaly;
  }

  /** Returns the cookies of a request that sent none of ours. */
  public static RequestCookies none() {
    return NONE;
  }

  /**
   * Parses the {@code Cookie} headers of a request ({@code null} when the container hides them) for
   * the values of {@code sessionName} and {@code rememberMeName}.
   */
  public static RequestCookies parse(Enumeration<String> headers, String sessionName,
      String rememberMeName) {
    if (headers == null || !headers.hasMoreElements()) {
      return NONE;
    }
    Parser parser = new Parser(sessionName, rememberMeName);
    int budget = MAX_TOTAL_LENGTH;
    while (headers.hasMoreElements()) {
      String header = headers.nextElement();
      if (header == null) {
        continue;
      }
      if (header.length() > budget) {
        parser.note("Cookie headers over " + MAX_TOTAL_LENGTH + " characters in all");
        break;
      }
      budget -= header.length();
      parser.header(header);
    }
    return parser.result();
  }

  /** Returns the well-formed values of the session cookie, in the order sent. */
  public List<String> sessionValues() {
    return sessionValues;
  }

  /** Returns the well-formed values of the remember-me cookie, in the order sent. */
  public List<String> rememberMeValues() {
    return rememberMeValues;
  }

  /** Returns whether the request sent a session cookie, well-formed or not. */
  public boolean sentSessionCookie() {
    return sessionNamed;
  }

  /** Returns whether the request sent a remember-me cookie, well-formed or not. */
  public boolean sentRememberMeCookie() {
    return rememberMeNamed;
  }

  /** Returns what was ignored or odd (for a DEBUG line), or {@code null}; never a value. */
  public String anomaly() {
    return anomaly;
  }

  /** One pass over the pairs of one or more headers. */
  private static final class Parser {
    private final String sessionName;
    private final String rememberMeName;
    // the values of each of our names: the first in a field of its own, a list of all of them
    // only from the second on (a request sends one session cookie: no list to build and copy)
    private String sessionFirst;
    private List<String> session;
    private String rememberMeFirst;
    private List<String> rememberMe;
    private boolean sessionNamed;
    private boolean rememberMeNamed;
    private StringBuilder anomalies;

    Parser(String sessionName, String rememberMeName) {
      this.sessionName = sessionName;
      this.rememberMeName = rememberMeName;
    }

    void header(String h) {
      int start = 0;
      int n = h.length();
      while (start <= n) {
        int end = h.indexOf(';', start);
        if (end < 0) {
          end = n;
        }
        pair(h, start, end);
        start = end + 1;
      }
    }

    private void pair(String h, int from, int to) {
      while (from < to && isOws(h.charAt(from))) {
        from++;
      }
      while (to > from && isOws(h.charAt(to - 1))) {
        to--;
      }
      if (from == to) {
        return;
      }
      // The '=' is looked for within this pair only: h.indexOf('=', from) would scan on to the
      // next pair's '=' (or the end), once per pair, so that a header of pairs without '='
      // ("a;a;a;...") cost time quadratic in its length.
      int eq = from;
      while (eq < to && h.charAt(eq) != '=') {
        eq++;
      }
      if (eq == to) {
        return;
      }
      boolean isSession = isName(sessionName, h, from, eq);
      if (!isSession && !isName(rememberMeName, h, from, eq)) {
        return;
      }
      String which = isSession ? "session" : "remember-me";
      if (isSession) {
        sessionNamed = true;
      } else {
        rememberMeNamed = true;
      }
      int vFrom = eq + 1;
      int vTo = to;
      if (vTo - vFrom >= 2 && h.charAt(vFrom) == '"' && h.charAt(vTo - 1) == '"') {
        vFrom++;
        vTo--;
      }
      if (vTo == vFrom) {
        note("an empty " + which + " cookie");
        return;
      }
      if (vTo - vFrom > MAX_VALUE_LENGTH) {
        note("an overlong " + which + " cookie");
        return;
      }
      for (int i = vFrom; i < vTo; i++) {
        if (!CookieSettings.isCookieOctet(h.charAt(i))) {
          note("a " + which + " cookie with characters outside cookie-octet");
          return;
        }
      }
      int count = isSession ? count(sessionFirst, session) : count(rememberMeFirst, rememberMe);
      if (count >= MAX_VALUES_PER_NAME) {
        note("more than " + MAX_VALUES_PER_NAME + " " + which + " cookies");
        return;
      }
      if (count > 0) {
        note("a repeated " + which + " cookie");
      }
      String value = h.substring(vFrom, vTo);
      if (isSession) {
        if (sessionFirst == null) {
          sessionFirst = value;
        } else {
          session = more(session, sessionFirst, value);
        }
      } else if (rememberMeFirst == null) {
        rememberMeFirst = value;
      } else {
        rememberMe = more(rememberMe, rememberMeFirst, value);
      }
    }

    /** Returns whether the pair's name, {@code h[from, eq)}, is {@code name}, byte for byte. */
    private static boolean isName(String name, String h, int from, int eq) {
      return eq - from == name.length() && h.startsWith(name, from);
    }

    void note(String what) {
      if (anomalies == null) {
        anomalies = new StringBuilder(what);
      } else if (anomalies.indexOf(what) < 0 && anomalies.length() < 400) {
        anomalies.append(", ").append(what);
      }
    }

    RequestCookies result() {
      if (!sessionNamed && !rememberMeNamed && anomalies == null) {
        return NONE;
      }
      return new RequestCookies(list(sessionFirst, session), list(rememberMeFirst, rememberMe),
          sessionNamed, rememberMeNamed, anomalies == null ? null : anomalies.toString());
    }

    /** How many values a name has: {@code first} alone, or {@code all} once there is a second. */
    private static int count(String first, List<String> all) {
      return all != null ? all.size() : first != null ? 1 : 0;
    }

    /** Adds a second or later value: the list of all values, made on the second. */
    private static List<String> more(List<String> all, String first, String value) {
      if (all == null) {
        all = new ArrayList<>(MAX_VALUES_PER_NAME);
        all.add(first);
      }
      all.add(value);
      return all;
    }

    private static List<String> list(String first, List<String> all) {
      return all != null ? List.copyOf(all) : first != null ? List.of(first) : List.of();
    }

    private static boolean isOws(char c) {
      return c == ' ' || c == '\t';
    }
  }
}
