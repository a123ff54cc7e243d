// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** {@code GET /account}: the signed-in user's session, and the change-password form. */
public final class AccountServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final String NOTICE = "notice";

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<Session> current = DemoSessions.signedIn(request);
    if (current.isEmpty()) {
      DemoSessions.notSignedIn(request, response);
      return;
    }
    Session s = current.get();
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.account(s));
      return;
    }
    String notice = s.getAttribute(NOTICE).map(Object::toString).orElse(null);
    if (notice != null) {
      s.removeAttribute(NOTICE);
    }
    Page.html(request, response, 200, "Your account",
        (notice == null ? "" : "<p class=\"notice\" id=\"notice\">" + Page.escape(notice) + "</p>")
            + "<dl class=\"card\">"
            + "<dt>User</dt><dd id=\"account-user\">" + Page.escape(s.principal().orElse(""))
            + "</dd><dt>Session id</dt><dd><code id=\"session-id\">" + Page.escape(s.id())
            + "</code></dd><dt>Created</dt><dd>" + Page.time(s.createdAt()) + "</dd>"
            + "<dt>Last access</dt><dd>" + Page.time(s.lastAccessedAt()) + "</dd>"
            + "<dt>Expires</dt><dd>" + Page.time(s.expiresAt()) + "</dd>"
            + "<dt>Remember-me</dt><dd id=\"remember-me-state\">"
            + (s.isRemembered() ? "this session came from remember-me"
                : s.hasRememberMe() ? "this device is remembered" : "not remembered")
            + "</dd></dl>"
            + "<h2>Deadlines of this session</h2>" + Page.deadlines(s)
            + "<h2>Cookies</h2>" + Page.cookies(request)
            + "<form class=\"card\" method=\"post\" action=\"/password\">"
            + "<h2>Change password</h2><p>Signs out every other session of yours.</p>"
            + "<label for=\"current\">Current password</label>"
            + "<input type=\"password\" id=\"current\" name=\"current\" required "
            + "autocomplete=\"current-password\">"
            + "<label for=\"new\">New password</label>"
            + "<input type=\"password\" id=\"new\" name=\"new\" required minlength=\"8\" "
            + "autocomplete=\"new-password\">"
            + "<button type=\"submit\" id=\"change-password\">Change password</button></form>");
  }
}
