// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /logout}: ends the session and its remember-me token on the server. */
public final class LogoutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    DemoSessions.logout(request);
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.ordered("loggedOut", true));
    } else {
      Page.redirect(request, response, "/");
    }
  }
}
