// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.Session;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /cart} and {@code POST /cart}: a cart that works before sign-in (the first item
 * starts an anonymous session) and survives sign-in (the token changes, the cart stays). Anonymous
 * sessions are capped ({@link AnonymousSessions}): a cart write without a session starts one only
 * within the caps.
 */
public final class CartServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final String CART = "cart";
  static final int MAX_ITEMS = 50;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    show(request, response, 200, null);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String item = request.getParameter("item");
    if (item == null || item.isBlank() || item.length() > 100) {
      show(request, response, 400, "An item needs 1 to 100 characters.");
      return;
    }
    if (DemoSessions.current(request).isEmpty() && !startAnonymous(request, response)) {
      return;
    }
    HttpSession session = request.getSession(true);
    List<String> items = new ArrayList<>(items(request));
    if (items.size() >= MAX_ITEMS) {
      show(request, response, 400, "The cart holds at most " + MAX_ITEMS + " items.");
      return;
    }
    items.add(item.strip());
    session.setAttribute(CART, items);
    if (Page.wantsJson(request)) {
      Page.json(request, response, 200, Page.ordered("items", items));
    } else {
      Page.redirect(request, response, "/cart");
    }
  }

  /**
   * Starts an anonymous session for the first item, within the caps of {@link
   * AnonymousSessions}; otherwise answers 429 (this address has too many) or 503 (the demo has)
   * and returns false.
   */
  private static boolean startAnonymous(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    AnonymousSessions anonymous = DemoSessions.services(request).anonymous();
    String address = request.getRemoteAddr();
    AnonymousSessions.Refusal refusal = anonymous.refusal(address);
    if (refusal != null) {
      response.setHeader("Retry-After", "60");
      show(request, response, refusal == AnonymousSessions.Refusal.ADDRESS_FULL ? 429 : 503,
          refusal == AnonymousSessions.Refusal.ADDRESS_FULL
              ? "Too many carts are open from your address; sign in, or try again later."
              : "Too many carts are open right now; sign in, or try again later.");
      return false;
    }
    anonymous.started(request.getSession(true).getId(), address);
    return true;
  }

  @SuppressWarnings("unchecked")
  static List<String> items(HttpServletRequest request) {
    return Page.current(request)
        .flatMap(s -> s.getAttribute(CART))
        .filter(List.class::isInstance)
        .map(v -> (List<String>) v)
        .orElse(List.of());
  }

  private static void show(HttpServletRequest request, HttpServletResponse response, int status,
      String error) throws IOException {
    List<String> items = items(request);
    if (Page.wantsJson(request)) {
      Page.json(request, response, status, error == null ? Page.ordered("items", items)
          : Page.ordered("error", error, "items", items));
      return;
    }
    StringBuilder list = new StringBuilder("<ul id=\"cart\">");
    for (String item : items) {
      list.append("<li>").append(Page.escape(item)).append("</li>");
    }
    list.append("</ul>");
    Optional<Session> session = Page.current(request);
    boolean signedIn = session.filter(Session::isAuthenticated).isPresent();
    Page.html(request, response, status, "Cart",
        (error == null ? "" : "<p class=\"error\" id=\"error\">" + Page.escape(error) + "</p>")
            + (items.isEmpty() ? "<p>Your cart is empty.</p>" : list.toString())
            + "<form class=\"card\" method=\"post\" action=\"/cart\">"
            + "<label for=\"item\">Add an item</label>"
            + "<input type=\"text\" id=\"item\" name=\"item\" required maxlength=\"100\">"
            + "<button type=\"submit\" id=\"add-item\">Add to cart</button></form>"
            + (signedIn ? "" : "<p>The cart is kept when you <a href=\"/\">sign in</a>.</p>")
            + session.filter(s -> !s.isAuthenticated()).map(s -> "<h2>Your anonymous session"
                + "</h2>" + Page.deadlines(s) + Page.cookies(request)).orElse(""));
  }
}
