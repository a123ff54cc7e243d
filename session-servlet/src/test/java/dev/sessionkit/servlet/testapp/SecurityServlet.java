// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.servlet.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * The security suite's actions, one per path under {@code /sec/}: a step-up page that demands a
 * recent interactive sign-in, the sign-in that steps up, and echoes of what the request carried.
 */
public class SecurityServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain;charset=UTF-8");
    String action = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
    switch (action) {
      case "sensitive" -> sensitive(req, resp);
      case "reauthenticate" -> {
        Sessions.login(req, req.getParameter("user"), false);
        resp.getWriter().print("steppedUp=true\n");
      }
      case "login" -> {
        Sessions.login(req, req.getParameter("user"), "true".equals(req.getParameter("remember")));
        resp.getWriter().print("loggedIn=true\n");
      }
      case "logout" -> resp.getWriter().print("ended=" + Sessions.logout(req) + "\n");
      case "whoami" -> resp.getWriter().print("user=" + Sessions.current(req)
          .flatMap(s -> s.principal()).orElse("-") + "\n");
      case "encode" -> resp.getWriter().print(resp.encodeURL("/x;a=b?c=d") + "\n"
          + resp.encodeRedirectURL("/y") + "\n" + resp.encodeURL("") + "\n");
      default -> resp.sendError(404);
    }
  }

  /** The documented step-up pattern: a change that needs a sign-in within the last 5 minutes. */
  private static void sensitive(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // example: step-up
    if (!Sessions.authenticatedWithin(request, Duration.ofMinutes(5))) {
      // the sign-in page asks for the password again, then calls Sessions.login (same user)
      response.sendRedirect(request.getContextPath() + "/reauthenticate?next="
          + request.getServletPath() + "/sensitive");
      return;
    }
    // end of example
    response.getWriter().print("changed=true\n");
  }
}
