// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.docapp;

import dev.sessionkit.Session;
import dev.sessionkit.servlet.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The account actions of the servlet guide's example, as an application writes them (the password
 * check left out). Answers {@code key=value} lines: the user's sessions and the idle timeout.
 */
public class AccountServlet extends HttpServlet {

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // example: sessions-helpers
    String user = request.getParameter("user");          // once the password is checked
    boolean rememberMe = request.getParameter("remember-me") != null;
    switch (request.getPathInfo()) {
      case "/login" -> Sessions.login(request, user, rememberMe);  // a new token, same session
      case "/password" -> Sessions.credentialsChanged(request);   // others out, new cookies here
      case "/others" -> Sessions.logoutOthers(request);          // "sign out my other devices"
      case "/revoke" -> Sessions.revoke(request, request.getParameter("id"));  // one of mine
      case "/logout" -> Sessions.logout(request);   // like request.getSession(false).invalidate()
      default -> throw new IllegalArgumentException("no action " + request.getPathInfo());
    }
    List<Session> mine = Sessions.list(request);  // id, created, last seen, address, user agent
    // end of example
    response.setContentType("text/plain");
    PrintWriter out = response.getWriter();
    out.print("sessions=" + mine.stream().map(Session::id).collect(Collectors.joining(",")) + "\n");
    out.print("current=" + Sessions.current(request).map(Session::id).orElse("") + "\n");
    if (request.getSession(false) != null) {
      out.print("idle=" + request.getSession(false).getMaxInactiveInterval() + "\n");
    }
  }
}
