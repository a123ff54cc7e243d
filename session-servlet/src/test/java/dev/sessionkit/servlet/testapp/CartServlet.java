// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What Jasper generates for {@code cart.jsp} ({@code <jsp:useBean id="cart" scope="session">}
 * then {@code <jsp:setProperty property="add" param="add">}), for containers without JSP: the
 * bean is taken from the session, created and set once, and changed in place. With {@code
 * hold=true} the request waits between reading the session and changing the cart ({@link
 * CartHold}); with {@code async=true} it does all of it on an async thread, then completes.
 */
public class CartServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!"true".equals(req.getParameter("async"))) {
      serve(req, resp);
      return;
    }
    AsyncContext ac = req.startAsync();
    ac.start(() -> {
      try {
        serve((HttpServletRequest) ac.getRequest(), (HttpServletResponse) ac.getResponse());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        ac.complete();
      }
    });
  }

  private static void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpSession session = req.getSession();
    CartBean cart = (CartBean) session.getAttribute("cart");
    if (cart == null) {
      cart = new CartBean();
      session.setAttribute("cart", cart);
    }
    Object prefs = session.getAttribute("prefs"); // read, as a page that shows them would
    if ("true".equals(req.getParameter("hold"))) {
      try {
        CartHold.current().readThenWait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while held", e);
      }
    }
    cart.setAdd(req.getParameter("add"));
    resp.setContentType("text/plain;charset=UTF-8");
    resp.getWriter().print("items=" + cart.getItems() + "\nprefs=" + prefs + "\n");
  }
}
