// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A session change on a dispatch path whose store call fails ({@link TestBackends#faults} is armed
 * by the test): {@code /fault/forward}, {@code /fault/include}, {@code /fault/error-page}, {@code
 * /fault/async-dispatch} reach {@code /fault/target}, which makes the change that {@code ?change=}
 * names ({@link PathServlet#change}); {@code /fault/setup} makes it on a plain request. Behind
 * the SessionFilter that {@link RaceServlet.Filters} adds on {@code /fault}.
 */
public class FaultServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    resp.setContentType("text/plain;charset=UTF-8");
    Object included = req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
    switch (String.valueOf(included != null ? included : req.getPathInfo())) {
      case "/setup", "/target" -> {
        PathServlet.change(req);
        resp.getWriter().print("changed\n");
      }
      case "/forward" -> req.getRequestDispatcher("/fault/target").forward(req, resp);
      case "/include" -> {
        resp.getWriter().print("before\n");
        req.getRequestDispatcher("/fault/target").include(req, resp);
        resp.getWriter().print("after\n");
      }
      case "/error-page" -> resp.sendError(422);
      case "/async-dispatch" -> {
        AsyncContext ac = req.startAsync();
        ac.start(() -> ac.dispatch("/fault/target"));
      }
      default -> resp.sendError(404);
    }
  }
}
