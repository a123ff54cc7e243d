// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /login}: checks the password and signs in, rotating the current session (an
 * anonymous cart survives). The failure answer is the same whether or not the user exists.
 */
public final class LoginServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final String FAILED = "Wrong username or password.";

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    UserDirectory users = DemoSessions.users(request);
    String username = request.getParameter("username");
    String password = request.getParameter("password");
    boolean rememberMe = "on".equals(request.getParameter("remember-me"));
    if (!users.check(username, password)) {
      if (Page.wantsJson(request)) {
        Page.json(response, 401, Page.ordered("error", FAILED));
      } else {
        Page.html(request, response, 401, "Sign in", HomeServlet.loginForm(FAILED));
      }
      return;
    }
    Session session = DemoSessions.login(request, username, rememberMe);
    if (Page.wantsJson(request)) {
      Page.json(response, 200, Page.account(session));
    } else {
      Page.redirect(response, "/account");
    }
  }
}
