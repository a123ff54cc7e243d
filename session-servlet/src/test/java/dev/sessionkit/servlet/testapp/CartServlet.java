// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * What Jasper generates for {@code cart.jsp} ({@code <jsp:useBean id="cart" scope="session">}
 * then {@code <jsp:setProperty property="add" param="add">}), for containers without JSP: the
 * bean is taken from the session, created and set once, and changed in place.
 */
public class CartServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpSession session = req.getSession();
    CartBean cart = (CartBean) session.getAttribute("cart");
    if (cart == null) {
      cart = new CartBean();
      session.setAttribute("cart", cart);
    }
    cart.setAdd(req.getParameter("add"));
    resp.setContentType("text/plain;charset=UTF-8");
    resp.getWriter().print("items=" + cart.getItems() + "\n");
  }
}
