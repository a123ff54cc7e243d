// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.servlet.Sessions;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes the session ({@code
 * ?change=create|bind|login|remember|renew|logout|cart|add-to-cart|none}) on one of the ways a
 * response can end, named by the path: {@code /app/path/forward}, {@code /app/path/async}, ...
 * Every page that changes the session then sets {@code Cache-Control: public, max-age=600}, as an
 * application that caches its pages would; an authenticated response must still say no-store.
 */
public class PathServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The application's caching header, which an authenticated response must not keep. */
  public static final String PUBLIC_CACHE = "public, max-age=600";

  /** Thrown to reach the error page that changes the session ({@code web.xml}). */
  public static final class ChangeOnErrorPage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChangeOnErrorPage() {
      super("to the error page");
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    resp.setContentType("text/plain;charset=UTF-8");
    Object included = req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
    String path = included != null ? included.toString() : req.getPathInfo();
    String ending = path == null ? "" : path.substring(1);
    switch (ending) {
      case "return", "target", "error-target", "outer-reset" -> {
        change(req);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        resp.getWriter().print(ending + " done\n");
      }
      case "plain" -> {
        resp.addHeader("Cache-Control", PUBLIC_CACHE);
        resp.getWriter().print("plain page\n");
      }
      case "flush" -> {
        change(req);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        resp.getWriter().print("flushed");
        resp.flushBuffer();
        resp.getWriter().print(" and more\n");
      }
      case "redirect" -> {
        change(req);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        resp.sendRedirect("/app/do/whoami");
      }
      case "send-error" -> {
        change(req);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        resp.sendError(409, "conflict");
      }
      case "forward" -> req.getRequestDispatcher("/app/path/target").forward(req, resp);
      case "forward-after" -> {
        change(req);
        req.getRequestDispatcher("/app/path/plain").forward(req, resp);
      }
      case "include" -> {
        resp.getWriter().print("before\n");
        req.getRequestDispatcher("/app/path/target").include(req, resp);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        resp.getWriter().print("after\n");
      }
      case "error-page" -> resp.sendError(418);
      case "throw" -> {
        change(req);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        throw new IllegalStateException("the servlet failed after changing the session");
      }
      case "throw-to-page" -> throw new ChangeOnErrorPage();
      case "async" -> {
        AsyncContext ac = req.startAsync(req, resp);
        ac.start(() -> changeAndComplete(ac));
      }
      case "async-noarg" -> {
        AsyncContext ac = req.startAsync();
        ac.start(() -> changeAndComplete(ac));
      }
      case "async-dispatch" -> {
        AsyncContext ac = req.startAsync();
        ac.start(() -> ac.dispatch("/app/path/target"));
      }
      case "async-redispatch" -> {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          change(req);
          resp.setHeader("Cache-Control", PUBLIC_CACHE);
          resp.getWriter().print("redispatched\n");
        } else {
          AsyncContext ac = req.startAsync();
          ac.start(ac::dispatch);
        }
      }
      case "async-timeout" -> {
        AsyncContext ac = req.startAsync();
        ac.setTimeout(50);
        ac.addListener(new OnTimeout());
      }
      case "async-abandoned" -> {
        change(req);
        resp.setHeader("Cache-Control", PUBLIC_CACHE);
        req.startAsync().setTimeout(50); // nobody completes it: the container's timeout answers
      }
      case "async-listener-context" -> {
        AsyncContext ac = req.startAsync();
        ac.setTimeout(50);
        ac.addListener(new SameContext(ac));
      }
      case "forward-then-async" -> {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          resp.getWriter().print("async dispatch to forward-then-async\n");
        } else {
          req.getRequestDispatcher("async-target").forward(req, resp);
        }
      }
      case "async-target" -> {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          resp.getWriter().print("async dispatch to async-target\n");
        } else {
          AsyncContext ac = req.startAsync();
          ac.start(ac::dispatch);
        }
      }
      case "async-committed" -> {
        AsyncContext ac = req.startAsync();
        ac.start(() -> changeAfterCommit(ac));
      }
      default -> resp.sendError(404);
    }
  }

  /** Makes the change that {@code ?change=} names. */
  static void change(ServletRequest request) {
    HttpServletRequest req = (HttpServletRequest) request;
    String user = req.getParameter("user") == null ? "paula" : req.getParameter("user");
    switch (String.valueOf(req.getParameter("change"))) {
      case "create" -> req.getSession(true).setAttribute("flash", "hello");
      case "bind" -> req.getSession(true).setAttribute("cart", new CompatEvents.BoundValue("cart"));
      case "login" -> Sessions.login(req, user, false);
      case "remember" -> Sessions.login(req, user, true);
      case "renew" -> req.changeSessionId();
      case "logout" -> {
        HttpSession s = req.getSession(false);
        if (s == null) {
          throw new IllegalStateException("no session to log out");
        }
        s.invalidate();
      }
      case "cart" -> req.getSession(true).setAttribute("cart", new ArrayList<>(List.of("apple")));
      case "add-to-cart" -> {
        HttpSession s = req.getSession(false);
        if (s == null) {
          throw new IllegalStateException("no session with a cart");
        }
        @SuppressWarnings("unchecked")
        List<String> cart = (List<String>) s.getAttribute("cart");
        cart.add("pear"); // in place, without setAttribute: the save mode writes it back
      }
      case "none" -> req.getSession(false);
      default -> throw new IllegalArgumentException("unknown change");
    }
  }

  private static void changeAndComplete(AsyncContext ac) {
    try {
      change(ac.getRequest());
      HttpServletResponse resp = (HttpServletResponse) ac.getResponse();
      resp.setHeader("Cache-Control", PUBLIC_CACHE);
      resp.getWriter().print("async done\n");
    } catch (IOException | RuntimeException e) {
      ((HttpServletResponse) ac.getResponse()).setStatus(500);
    } finally {
      ac.complete();
    }
  }

  /** The async thread commits the response first, then tries to change the session. */
  private static void changeAfterCommit(AsyncContext ac) {
    try {
      HttpServletResponse resp = (HttpServletResponse) ac.getResponse();
      resp.getWriter().print("committed\n");
      resp.flushBuffer();
      try {
        change(ac.getRequest());
        resp.getWriter().print("changed\n");
      } catch (IllegalStateException e) {
        resp.getWriter().print("refused: " + e.getMessage() + "\n");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      ac.complete();
    }
  }

  /**
   * Says whether the context an {@code AsyncListener} event carries is the one {@code startAsync}
   * returned (what a listener that keeps its clients in a set, such as Tomcat's own async example,
   * relies on to remove them), changes the session, and completes through the event's context.
   */
  private static final class SameContext implements AsyncListener {
    private final AsyncContext started;

    SameContext(AsyncContext started) {
      this.started = started;
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      AsyncContext ac = event.getAsyncContext();
      ac.getResponse().getWriter().print("same-context=" + (ac == started) + "\n");
      changeAndComplete(ac);
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /** Changes the session when the container times the request out, then completes it. */
  private static final class OnTimeout implements AsyncListener {
    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      changeAndComplete(event.getAsyncContext());
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
