// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /password}: changes the password, then ends every other session and remember-me
 * token of the user; this session stays, with a new session token and (if remembered) a new
 * remember-me token.
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
    UserDirectory users = DemoSessions.users(request);
    String oldPassword = request.getParameter("current");
    String newPassword = request.getParameter("new");
    if (!users.check(user, oldPassword)) {
      fail(request, response, 403, "The current password is wrong.");
      return;
    }
    if (newPassword == null || newPassword.length() < MIN_LENGTH || newPassword.length() > 200) {
      fail(request, response, 400, "The new password needs " + MIN_LENGTH + " to 200 characters.");
      return;
    }
    users.changePassword(user, newPassword);
    int signedOut = DemoSessions.credentialsChanged(request);
    if (Page.wantsJson(request)) {
      Page.json(response, 200, Page.ordered("signedOutSessions", signedOut));
      return;
    }
    DemoSessions.signedIn(request).ifPresent(s -> s.putAttribute(AccountServlet.NOTICE,
        signedOut + " other session" + (signedOut == 1 ? " was" : "s were") + " signed out"));
    Page.redirect(response, "/account");
  }

  private static void fail(HttpServletRequest request, HttpServletResponse response, int status,
      String message) throws IOException {
    if (Page.wantsJson(request)) {
      Page.json(response, status, Page.ordered("error", message));
    } else {
      Page.html(request, response, status, "Password not changed",
          "<p class=\"error\" id=\"error\">" + Page.escape(message)
              + "</p><p><a href=\"/account\">Back to your account</a></p>");
    }
  }
}
