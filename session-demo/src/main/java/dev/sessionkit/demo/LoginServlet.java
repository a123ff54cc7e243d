// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /login}: checks the password and signs in, rotating the current session (an
 * anonymous cart survives). The failure answer is the same whether or not the user exists.
 * Failures are logged and throttled per account and per address ({@link LoginThrottle}): while
 * locked, even the right password gets 429 with {@code Retry-After}.
 */
public final class LoginServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final String FAILED = "Wrong username or password.";
  static final String THROTTLED = "Too many failed sign-ins for this account or from your"
      + " address.";

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    DemoServices services = DemoSessions.services(request);
    String username = request.getParameter("username");
    String password = request.getParameter("password");
    boolean rememberMe = "on".equals(request.getParameter("remember-me"));
    String address = request.getRemoteAddr();
    Optional<Duration> wait = services.throttle().refusal(username, address);
    if (wait.isPresent()) {
      long seconds = LoginThrottle.seconds(wait.get());
      response.setHeader("Retry-After", Long.toString(seconds));
      fail(request, response, 429, THROTTLED + " Try again in " + seconds + " s.");
      return;
    }
    if (!services.users().check(username, password)) {
      services.throttle().failed(username, address);
      fail(request, response, 401, FAILED);
      return;
    }
    services.throttle().succeeded(username, address);
    Session session = DemoSessions.login(request, username, rememberMe);
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.account(session));
    } else {
      Page.redirect(request, response, "/account");
    }
  }

  private static void fail(HttpServletRequest request, HttpServletResponse response, int status,
      String message) throws IOException {
    if (Page.wantsJson(request)) {
      Page.json(request, response, status, Page.ordered("error", message));
    } else {
      Page.html(request, response, status, "Sign in", HomeServlet.loginForm(message));
    }
  }
}
