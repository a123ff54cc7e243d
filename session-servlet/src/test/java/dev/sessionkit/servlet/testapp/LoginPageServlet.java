// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The FORM login page (and, with {@code ?error}, its error page) of the compatibility app. */
public class LoginPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/html;charset=UTF-8");
    resp.getWriter().print(req.getParameter("error") != null ? "login-error"
        : "<form method=\"post\" action=\"" + resp.encodeURL("j_security_check") + "\">login-form"
            + "<input name=\"j_username\"><input name=\"j_password\" type=\"password\"></form>");
  }
}
