// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/** Writes the demo's answers: HTML pages with a common frame, or JSON for API clients. */
final class Page {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Page() {}

  /** A request attribute: the session ended under this request (show it signed out). */
  static final String SESSION_ENDED = Page.class.getName() + ".sessionEnded";

  /** Returns whether the client asked for JSON. */
  static boolean wantsJson(HttpServletRequest request) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains("application/json");
  }

  /** Returns the request's live session, if any (none once it ended under this request). */
  static Optional<Session> current(HttpServletRequest request) {
    return request.getAttribute(SESSION_ENDED) != null ? Optional.empty()
        : DemoSessions.current(request);
  }

  static void json(HttpServletRequest request, HttpServletResponse response, int status,
      Object body) throws IOException {
    current(request).ifPresent(s -> SessionIdCookie.follow(request, response, s));
    response.setStatus(status);
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().write(Json.write(body));
  }

  static void redirect(HttpServletRequest request, HttpServletResponse response, String path) {
    current(request).ifPresent(s -> SessionIdCookie.follow(request, response, s));
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", path);
  }

  static void notFound(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (wantsJson(request)) {
      json(request, response, 404, ordered("error", "not found"));
    } else {
      html(request, response, 404, "Not found", "<p><a href=\"/\">Home</a></p>");
    }
  }

  /**
   * Writes an HTML page: the frame says who is signed in, when the session ends, offers sign-out,
   * and tells a browser that was signed out why.
   */
  static void html(HttpServletRequest request, HttpServletResponse response, int status,
      String title, String body) throws IOException {
    Optional<Session> session = current(request);
    String notice = session.isPresent() ? null
        : SessionIdCookie.signedOutBecause(request, response).orElse(null);
    session.ifPresent(s -> SessionIdCookie.follow(request, response, s));
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    StringBuilder out = new StringBuilder(2048);
    out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append(" · Sessionkit demo</title>")
        .append("<link rel=\"stylesheet\" href=\"/style.css\"></head><body>")
        .append("<header><a class=\"brand\" href=\"/\">Sessionkit demo</a><nav>")
        .append("<a href=\"/account\">Account</a><a href=\"/sessions\">Sessions</a>")
        .append("<a href=\"/cart\">Cart</a></nav>").append(status(session)).append("</header>")
        .append("<main>")
        .append(notice == null ? "" : "<p class=\"notice\" id=\"signed-out-reason\">"
            + escape(notice) + "</p>")
        .append("<h1>").append(escape(title)).append("</h1>").append(body)
        .append("</main></body></html>\n");
    response.getWriter().write(out.toString());
  }

  private static String status(Optional<Session> session) {
    if (session.isEmpty() || !session.get().isAuthenticated()) {
      return "<p class=\"status\" id=\"status\">Not signed in</p>";
    }
    Session s = session.get();
    return "<div class=\"status\"><p id=\"status\">Signed in as <strong id=\"user\">"
        + escape(s.principal().orElseThrow()) + "</strong> · session expires "
        + "<time id=\"expires\">" + time(s.expiresAt()) + "</time> if idle, at the latest "
        + "<time id=\"absolute-deadline\">" + time(s.absoluteExpiresAt()) + "</time>"
        + (s.isRemembered() ? " · <span id=\"remembered\">signed in by remember-me</span>" : "")
        + "</p><form method=\"post\" action=\"/logout\"><button type=\"submit\" "
        + "class=\"quiet\" id=\"sign-out\">Sign out</button></form></div>";
  }

  /** The idle and the absolute deadline of a session, explained (account and cart pages). */
  static String deadlines(Session s) {
    return "<dl class=\"card\" id=\"deadlines\"><dt>Idle deadline</dt><dd>"
        + "<time id=\"idle-deadline\">" + time(s.lastAccessedAt().plus(s.idleTimeout()))
        + "</time>: " + duration(s.idleTimeout())
        + " after the last recorded request; every request moves it</dd>"
        + "<dt>Absolute deadline</dt><dd><time>" + time(s.absoluteExpiresAt()) + "</time>: "
        + (s.isAuthenticated() ? "counted from sign-in" : "counted from the first cart item")
        + "; nothing moves it</dd></dl>";
  }

  /** What each of the demo's cookies is, and whether this request brought it. */
  static String cookies(HttpServletRequest request) {
    java.util.Set<String> sent = new java.util.HashSet<>();
    if (request.getCookies() != null) {
      for (jakarta.servlet.http.Cookie c : request.getCookies()) {
        sent.add(c.getName());
      }
    }
    return "<table class=\"card\" id=\"cookies\"><thead><tr><th>Cookie</th><th>What it is</th>"
        + "<th>This request</th></tr></thead><tbody>"
        + cookieRow(sent, "__Host-sid", "The session token: 256 random bits, the only credential"
            + " of this session. The server keeps only its SHA-256 hash. HttpOnly (no script can"
            + " read it), Secure, SameSite=Lax, no Max-Age: it ends with the browser. Replaced at"
            + " sign-in, sign-out and password change.")
        + cookieRow(sent, "__Host-remember", "Remember-me (selector.validator), only if you ticked"
            + " the box: persistent (Max-Age), it signs you in again after a browser restart and"
            + " is replaced at every use. A used one presented again signs you out everywhere.")
        + cookieRow(sent, SessionIdCookie.NAME, "The public id of your latest signed-in session,"
            + " not a credential: it lets the demo tell you why you were signed out at your next"
            + " visit.")
        + "</tbody></table>";
  }

  private static String cookieRow(java.util.Set<String> sent, String name, String what) {
    return "<tr><td><code>" + escape(name) + "</code></td><td>" + escape(what) + "</td><td>"
        + (sent.contains(name) ? "sent" : "not sent") + "</td></tr>";
  }

  /** A duration for people: "30 minutes", "8 hours", "90 seconds". */
  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return plural(s / 3600, "hour");
    }
    return s % 60 == 0 ? plural(s / 60, "minute") : plural(s, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  /** The account fields shared by the account page and the login answer. */
  static Map<String, Object> account(Session s) {
    return ordered("user", s.principal().orElse(null), "sessionId", s.id(),
        "createdAt", s.createdAt(), "lastAccessedAt", s.lastAccessedAt(),
        "expiresAt", s.expiresAt(), "idleExpiresAt", s.lastAccessedAt().plus(s.idleTimeout()),
        "absoluteExpiresAt", s.absoluteExpiresAt(), "rememberMe", s.isRemembered());
  }

  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
