// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** {@code GET /}: the sign-in form, or a link to the account when signed in. */
public final class HomeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!request.getRequestURI().equals("/")) {
      Page.notFound(request, response);
      return;
    }
    Optional<Session> session = DemoSessions.signedIn(request);
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.ordered("signedIn", session.isPresent(),
          "user", session.flatMap(Session::principal).orElse(null)));
      return;
    }
    if (session.isPresent()) {
      Page.html(request, response, 200, "Welcome back",
          "<p>You are signed in. <a id=\"account-link\" href=\"/account\">Go to your account</a>."
              + "</p>");
    } else {
      Page.html(request, response, 200, "Sign in", loginForm(null));
    }
  }

  static String loginForm(String error) {
    return (error == null ? "" : "<p class=\"error\" id=\"error\">" + Page.escape(error) + "</p>")
        + "<form class=\"card\" method=\"post\" action=\"/login\">"
        + "<label for=\"username\">Username</label>"
        + "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required>"
        + "<label for=\"password\">Password</label>"
        + "<input type=\"password\" id=\"password\" name=\"password\" "
        + "autocomplete=\"current-password\" required>"
        + "<label class=\"check\"><input type=\"checkbox\" id=\"remember-me\" name=\"remember-me\">"
        + " Remember me on this device</label>"
        + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>"
        + "<p>No account needed to <a href=\"/cart\">fill a cart</a>: it survives sign-in.</p>";
  }
}
