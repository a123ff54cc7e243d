// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

  /** Returns whether the client asked for JSON. */
  static boolean wantsJson(HttpServletRequest request) {
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains("application/json");
  }

  static void json(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().write(Json.write(body));
  }

  static void redirect(HttpServletResponse response, String path) {
    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
    response.setHeader("Location", path);
  }

  static void notFound(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (wantsJson(request)) {
      json(response, 404, ordered("error", "not found"));
    } else {
      html(request, response, 404, "Not found", "<p><a href=\"/\">Home</a></p>");
    }
  }

  /** Writes an HTML page: the frame says who is signed in and when the session ends. */
  static void html(HttpServletRequest request, HttpServletResponse response, int status,
      String title, String body) throws IOException {
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Content-Security-Policy", "default-src 'self'; form-action 'self'");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "same-origin");
    Optional<Session> session = DemoSessions.current(request);
    StringBuilder out = new StringBuilder(2048);
    out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append(" · Sessionkit demo</title>")
        .append("<link rel=\"stylesheet\" href=\"/style.css\"></head><body>")
        .append("<header><a class=\"brand\" href=\"/\">Sessionkit demo</a><nav>")
        .append("<a href=\"/account\">Account</a><a href=\"/sessions\">Sessions</a>")
        .append("<a href=\"/cart\">Cart</a></nav>").append(status(session)).append("</header>")
        .append("<main><h1>").append(escape(title)).append("</h1>").append(body)
        .append("</main></body></html>\n");
    response.getWriter().write(out.toString());
  }

  private static String status(Optional<Session> session) {
    if (session.isEmpty() || !session.get().isAuthenticated()) {
      return "<p class=\"status\" id=\"status\">Not signed in</p>";
    }
    Session s = session.get();
    return "<p class=\"status\" id=\"status\">Signed in as <strong id=\"user\">"
        + escape(s.principal().orElseThrow()) + "</strong> · session expires "
        + "<time id=\"expires\">" + time(s.expiresAt()) + "</time>"
        + (s.isRemembered() ? " · <span id=\"remembered\">signed in by remember-me</span>" : "")
        + "</p>";
  }

  /** The account fields shared by the account page and the login answer. */
  static Map<String, Object> account(Session s) {
    return ordered("user", s.principal().orElse(null), "sessionId", s.id(),
        "createdAt", s.createdAt(), "lastAccessedAt", s.lastAccessedAt(),
        "expiresAt", s.expiresAt(), "rememberMe", s.isRemembered());
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
