// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import dev.sessionkit.servlet.Sessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The demo's few calls into Sessionkit's servlet helper, and its user directory. */
final class DemoSessions {

  private DemoSessions() {}

  static DemoServices services(HttpServletRequest request) {
    return DemoServices.of(request.getServletContext());
  }

  static UserDirectory users(HttpServletRequest request) {
    return services(request).users();
  }

  static Optional<Session> current(HttpServletRequest request) {
    return Sessions.current(request);
  }

  static Optional<Session> signedIn(HttpServletRequest request) {
    return Page.current(request).filter(Session::isAuthenticated);
  }

  static Session login(HttpServletRequest request, String user, boolean rememberMe) {
    return Sessions.login(request, user, rememberMe);
  }

  static boolean logout(HttpServletRequest request) {
    return Sessions.logout(request);
  }

  /** Signs out every other session of the user and renews this browser's tokens. */
  static int credentialsChanged(HttpServletRequest request) {
    int others = Sessions.list(request).size() - 1;
    Sessions.credentialsChanged(request);
    return Math.max(0, others);
  }

  static List<Session> list(HttpServletRequest request) {
    return Sessions.list(request);
  }

  static boolean revoke(HttpServletRequest request, String sessionId) {
    return Sessions.revoke(request, sessionId);
  }

  /**
   * Answers a request that needs a signed-in user: 303 to the sign-in page (which tells why the
   * browser was signed out), or JSON 401 with the reason.
   */
  static void notSignedIn(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (Page.wantsJson(request)) {
      Page.json(request, response, 401, Page.ordered("error", "not signed in",
          "signedOutBecause", SessionIdCookie.signedOutBecause(request, response).orElse(null)));
    } else {
      Page.redirect(request, response, "/");
    }
  }
}
