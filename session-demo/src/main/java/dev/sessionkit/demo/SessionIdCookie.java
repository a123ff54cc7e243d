// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * The demo's own cookie {@value #NAME}: the public id of this browser's latest signed-in session,
 * so that the next request after a sign-out elsewhere or a timeout can be told why (see {@link
 * SignOutReasons}). It is not a credential (the id grants nothing; the account page shows it
 * anyway); {@code __Host-}, {@code Secure}, {@code HttpOnly}, {@code SameSite=Lax}; it lives as
 * long as the session's remember-me cookie would, or with the browser.
 */
final class SessionIdCookie {

  static final String NAME = "__Host-demo-session-id";
  private static final String WRITTEN = SessionIdCookie.class.getName() + ".written";

  private SessionIdCookie() {}

  /**
   * Points the cookie at {@code session} if it is signed in, unless the browser already sent that
   * id. (An anonymous cart session that times out is not worth a "you were signed out".)
   */
  static void follow(HttpServletRequest request, HttpServletResponse response, Session session) {
    if (!session.isAuthenticated() || session.id().equals(sent(request).orElse(null))) {
      return;
    }
    String maxAge = session.hasRememberMe()
        ? "; Max-Age=" + DemoServices.of(request.getServletContext()).manager().config()
            .rememberMeLifetime().toSeconds()
        : "";
    write(request, response, session.id() + maxAge);
  }

  /**
   * For a request without a session: returns, worded for the user, why the session the cookie
   * names ended, and clears the cookie (the reason is told once).
   */
  static Optional<String> signedOutBecause(HttpServletRequest request,
      HttpServletResponse response) {
    Optional<String> id = sent(request);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    write(request, response, "; Max-Age=0");
    DemoServices services = DemoServices.of(request.getServletContext());
    return services.reasons().reason(id.get()).map(r -> SignOutReasons.explain(r,
        services.manager().config().idleTimeout(),
        services.manager().config().absoluteTimeout()));
  }

  /** Returns whether the browser sent the cookie. */
  static boolean isSent(HttpServletRequest request) {
    return sent(request).isPresent();
  }

  private static Optional<String> sent(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie c : cookies) {
      if (NAME.equals(c.getName()) && c.getValue() != null
          && c.getValue().matches("[A-Za-z0-9._-]{1,100}")) {
        return Optional.of(c.getValue());
      }
    }
    return Optional.empty();
  }

  /** Writes the cookie once per response ({@code value} holds the value and any Max-Age). */
  private static void write(HttpServletRequest request, HttpServletResponse response,
      String value) {
    if (request.getAttribute(WRITTEN) != null || response.isCommitted()) {
      return;
    }
    request.setAttribute(WRITTEN, Boolean.TRUE);
    response.addHeader("Set-Cookie", NAME + "=" + value
        + "; Path=/; Secure; HttpOnly; SameSite=Lax");
  }
}
