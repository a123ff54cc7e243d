// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import dev.sessionkit.Session;
import dev.sessionkit.servlet.Sessions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;

/** The test application's actions, one per path: {@code /do/login}, {@code /do/whoami}, ... */
public class ActionServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    resp.setContentType("text/plain;charset=UTF-8");
    String action = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
    switch (action) {
      case "whoami" -> whoami(req, resp.getWriter());
      case "info" -> info(req, resp.getWriter());
      case "login" -> {
        Session s = Sessions.login(req, req.getParameter("user"),
            "true".equals(req.getParameter("remember")));
        resp.getWriter().print("id=" + s.id() + "\n");
      }
      case "logout" -> resp.getWriter().print("ended=" + Sessions.logout(req) + "\n");
      case "invalidate" -> {
        req.getSession().invalidate();
        resp.getWriter().print("invalidated\n");
      }
      case "renew" -> resp.getWriter().print("id=" + req.changeSessionId() + "\n");
      case "renew-in-turn" -> renewInTurn(req, resp);
      case "credentials-changed" -> {
        Session s = Sessions.credentialsChanged(req);
        resp.getWriter().print("id=" + s.id() + "\n");
      }
      case "logout-others" ->
          resp.getWriter().print("ended=" + Sessions.logoutOthers(req) + "\n");
      case "sessions" -> {
        PrintWriter w = resp.getWriter();
        for (Session s : Sessions.list(req)) {
          w.print(s.id() + "|" + s.principal().orElse("-") + "|" + s.clientAddress().orElse("-")
              + "|" + s.userAgent().orElse("-") + "|" + s.hasRememberMe() + "\n");
        }
      }
      case "revoke" ->
          resp.getWriter().print("revoked=" + Sessions.revoke(req, req.getParameter("id")) + "\n");
      case "set" -> {
        req.getSession().setAttribute(req.getParameter("name"), req.getParameter("value"));
        resp.getWriter().print("set\n");
      }
      case "set-after-logout-all" -> setAfterLogoutAll(req, resp.getWriter());
      case "get" -> {
        HttpSession s = req.getSession(false);
        resp.getWriter().print("value=" + (s == null ? "-" : s.getAttribute(req.getParameter("name")))
            + "\n");
      }
      case "encode" -> resp.getWriter().print(resp.encodeURL("/app/x?a=1") + "\n"
          + resp.encodeRedirectURL("/app/y") + "\n");
      case "forward" -> req.getRequestDispatcher("/app/counter").forward(req, resp);
      case "flush-first" -> flushFirst(req, resp);
      case "commit" -> commit(req, resp);
      case "max-inactive" -> {
        try {
          req.getSession().setMaxInactiveInterval(Integer.parseInt(req.getParameter("s")));
          resp.getWriter().print("accepted\n");
        } catch (UnsupportedOperationException e) {
          resp.getWriter().print("refused: " + e.getMessage() + "\n");
        }
      }
      default -> resp.sendError(404);
    }
  }

  private static void whoami(HttpServletRequest req, PrintWriter w) {
    HttpSession s = req.getSession(false);
    Principal p = req.getUserPrincipal();
    w.print("user=" + (req.getRemoteUser() == null ? "-" : req.getRemoteUser()) + "\n"
        + "principal=" + (p == null ? "-" : p.getName()) + "\n"
        + "authType=" + req.getAuthType() + "\n"
        + "session=" + (s == null ? "-" : s.getId()) + "\n"
        + "requested=" + req.getRequestedSessionId() + "\n"
        + "requestedValid=" + req.isRequestedSessionIdValid() + "\n"
        + "fromCookie=" + req.isRequestedSessionIdFromCookie() + "\n"
        + "fromURL=" + req.isRequestedSessionIdFromURL() + "\n");
  }

  private static void info(HttpServletRequest req, PrintWriter w) {
    HttpSession s = req.getSession();
    w.print("id=" + s.getId() + "\n"
        + "new=" + s.isNew() + "\n"
        + "created=" + s.getCreationTime() + "\n"
        + "lastAccessed=" + s.getLastAccessedTime() + "\n"
        + "maxInactive=" + s.getMaxInactiveInterval() + "\n"
        + "names=" + Collections.list(s.getAttributeNames()) + "\n");
  }

  /**
   * Calls {@code changeSessionId()} in the turn ({@code ?turn=1|2}) that {@link RenewInTurn}
   * gives it; the session was resolved from the cookie before the wait.
   */
  private static void renewInTurn(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    int turn = Integer.parseInt(req.getParameter("turn"));
    RenewInTurn order = RenewInTurn.current();
    String before = req.getSession(false) == null ? "-" : req.getSession(false).getId();
    try {
      order.awaitTurn(turn);
      String after = req.changeSessionId();
      resp.getWriter().print("before=" + before + "\nid=" + after + "\n");
    } catch (Exception e) {
      throw new ServletException("turn " + turn + " failed", e);
    } finally {
      order.done(turn);
    }
  }

  /**
   * Holds the request's session, ends every session of its user (as another device's "sign out
   * everywhere" would), then writes an attribute.
   */
  private static void setAfterLogoutAll(HttpServletRequest req, PrintWriter w) {
    HttpSession s = req.getSession(false);
    Sessions.manager(req).logoutAll(req.getRemoteUser());
    try {
      s.setAttribute("late", "write");
      w.print("written\n");
    } catch (IllegalStateException e) {
      w.print("refused=" + e.getClass().getSimpleName() + "\n");
    }
    try {
      s.getAttribute("late");
      w.print("readable\n");
    } catch (IllegalStateException e) {
      w.print("then=" + e.getClass().getSimpleName() + "\n");
    }
    w.print("session=" + (req.getSession(false) == null ? "-" : req.getSession(false).getId())
        + "\n");
  }

  /** Commits the response first, then touches the session. */
  private static void flushFirst(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    PrintWriter w = resp.getWriter();
    w.print("started\n");
    resp.flushBuffer();
    HttpSession existing = req.getSession(false);
    if (existing != null) {
      Integer count = (Integer) existing.getAttribute("count");
      int next = count == null ? 1 : count + 1;
      existing.setAttribute("count", next);
      w.print("count=" + next + "\n");
      return;
    }
    try {
      req.getSession(true);
      w.print("created\n");
    } catch (IllegalStateException e) {
      w.print("refused: " + e.getMessage() + "\n");
    }
  }

  /** Starts a session, then commits the response one way or another. */
  private static void commit(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    String mode = req.getParameter("mode");
    if ("login".equals(req.getParameter("then"))) {
      Sessions.login(req, "carol", false);
    } else {
      req.getSession().setAttribute("count", 1);
    }
    switch (mode) {
      case "flush" -> {
        resp.getWriter().print("flushed");
        resp.flushBuffer();
        resp.getWriter().print("-after");
      }
      case "redirect" -> resp.sendRedirect("/app/counter");
      case "error" -> resp.sendError(409, "conflict");
      case "stream-big" -> {
        OutputStream out = resp.getOutputStream();
        byte[] chunk = new byte[1000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 200; i++) {
          out.write(chunk);
        }
      }
      case "writer-big" -> {
        PrintWriter w = resp.getWriter();
        for (int i = 0; i < 200; i++) {
          w.print("y".repeat(1000));
        }
      }
      case "stream-flush" -> {
        resp.getOutputStream().write("s".getBytes(StandardCharsets.US_ASCII));
        resp.getOutputStream().flush();
      }
      case "writer-flush" -> {
        resp.getWriter().print("w");
        resp.getWriter().flush();
      }
      case "content-length" -> {
        resp.setContentLength(5);
        resp.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        resp.getOutputStream().print("!"); // past the length: dropped or refused, never a cookie
      }
      case "redirect-6.1" -> {
        Method m;
        try {
          m = HttpServletResponse.class.getMethod("sendRedirect", String.class, int.class,
              boolean.class);
        } catch (NoSuchMethodException e) {
          resp.setStatus(501);
          return;
        }
        try {
          m.invoke(resp, "/app/counter", 303, true);
        } catch (ReflectiveOperationException e) {
          throw new ServletException(e);
        }
      }
      case "near-buffer-then-login" -> {
        // Our estimate of the writer's bytes (UTF-8) runs ahead of ISO-8859-1: the cookie goes
        // out before the buffer fills, and the login that follows replaces it in place.
        resp.addCookie(new Cookie("app", "kept"));
        resp.setBufferSize(8192);
        resp.setCharacterEncoding("ISO-8859-1");
        resp.getWriter().print("\u00e9".repeat(5000));
        Sessions.login(req, "dave", false);
        resp.getWriter().print("|committed=" + resp.isCommitted());
      }
      default -> throw new ServletException("unknown mode " + mode);
    }
  }
}
