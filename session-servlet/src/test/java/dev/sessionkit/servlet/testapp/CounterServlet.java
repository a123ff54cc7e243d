// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** A plain servlet that knows nothing of Sessionkit: a counter in an HttpSession attribute. */
public class CounterServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpSession session = req.getSession();
    Integer count = (Integer) session.getAttribute("count");
    int next = count == null ? 1 : count + 1;
    session.setAttribute("count", next);
    resp.setContentType("text/plain");
    resp.getWriter().print("count=" + next);
  }
}
