// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import dev.sessionkit.SessionEndedException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /password}: changes the password, then ends every other session and remember-me
 * token of the user; this session stays, with a new session token and (if remembered) a new
 * remember-me token. The current password is checked under the sign-in throttle ({@link
 * LoginThrottle}), so a left-open session cannot be used to guess it.
 */
public final class PasswordServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final int MIN_LENGTH = 8;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<Session> current = DemoSessions.signedIn(request);
    if (current.isEmpty()) {
      DemoSessions.notSignedIn(request, response);
      return;
    }
    String user = current.get().principal().orElseThrow();
    DemoServices services = DemoSessions.services(request);
    String oldPassword = request.getParameter("current");
    String newPassword = request.getParameter("new");
    String address = request.getRemoteAddr();
    Optional<Duration> wait = services.throttle().refusal(user, address);
    if (wait.isPresent()) {
      long seconds = LoginThrottle.seconds(wait.get());
      response.setHeader("Retry-After", Long.toString(seconds));
      fail(request, response, 429, LoginServlet.THROTTLED + " Try again in " + seconds + " s.");
      return;
    }
    if (!services.users().check(user, oldPassword)) {
      services.throttle().failed(user, address);
      fail(request, response, 403, "The current password is wrong.");
      return;
    }
    UserDirectory users = services.users();
    if (newPassword == null || newPassword.length() < MIN_LENGTH || newPassword.length() > 200) {
      fail(request, response, 400, "The new password needs " + MIN_LENGTH + " to 200 characters.");
      return;
    }
    users.changePassword(user, newPassword);
    int signedOut;
    try {
      signedOut = DemoSessions.credentialsChanged(request);
    } catch (SessionEndedException e) {
      // This session ended under the change (timed out, signed out elsewhere) before the others
      // were signed out: the password has changed, so no session of the user may stay.
      services.manager().logoutAll(user);
      throw e; // "start again" (SessionEndedFilter): sign in with the new password
    }
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.ordered("signedOutSessions", signedOut));
      return;
    }
    DemoSessions.signedIn(request).ifPresent(s -> s.putAttribute(AccountServlet.NOTICE,
        signedOut + " other session" + (signedOut == 1 ? " was" : "s were") + " signed out"));
    Page.redirect(request, response, "/account");
  }

  private static void fail(HttpServletRequest request, HttpServletResponse response, int status,
      String message) throws IOException {
    if (Page.wantsJson(request)) {
      Page.json(request, response, status, Page.ordered("error", message));
    } else {
      Page.html(request, response, status, "Password not changed",
          "<p class=\"error\" id=\"error\">" + Page.escape(message)
              + "</p><p><a href=\"/account\">Back to your account</a></p>");
    }
  }
}
