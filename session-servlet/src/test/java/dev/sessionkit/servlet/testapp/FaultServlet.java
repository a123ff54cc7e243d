// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A session change on a dispatch path whose store call fails ({@link TestBackends#faults} is armed
 * by the test): {@code /fault/forward}, {@code /fault/include}, {@code /fault/error-page}, {@code
 * /fault/async-dispatch} reach {@code /fault/target}, which makes the change that {@code ?change=}
 * names ({@link PathServlet#change}); {@code /fault/setup} makes it on a plain request; {@code
 * /fault/flush}, {@code redirect}, {@code send-error}, {@code throw}, {@code async}, {@code
 * async-noarg} and {@code async-timeout} make it themselves, then end the response so. Behind
 * the SessionFilter that {@link RaceServlet.Filters} adds on {@code /fault}.
 */
public class FaultServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Per key, opens the late completion of {@code /fault/late-complete}. */
  public static final java.util.Map<String, java.util.concurrent.CountDownLatch> LATE_GO =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Per key, what became of the late completion of {@code /fault/late-complete}. */
  public static final java.util.Map<String, java.util.concurrent.CompletableFuture<String>>
      LATE_DONE = new java.util.concurrent.ConcurrentHashMap<>();

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
      case "/flush" -> {
        PathServlet.change(req);
        resp.getWriter().print("flushed");
        resp.flushBuffer();
        resp.getWriter().print(" and more\n");
      }
      case "/redirect" -> {
        PathServlet.change(req);
        resp.sendRedirect("/fault/target?change=none");
      }
      case "/send-error" -> {
        PathServlet.change(req);
        resp.sendError(409, "conflict");
      }
      case "/throw" -> {
        PathServlet.change(req);
        throw new IllegalStateException("the servlet failed after changing the session");
      }
      case "/async" -> changeOnAsyncThread(req.startAsync(req, resp));
      case "/async-noarg" -> changeOnAsyncThread(req.startAsync());
      case "/async-timeout" -> {
        AsyncContext ac = req.startAsync();
        ac.setTimeout(50);
        ac.addListener(new ChangeOnTimeout());
      }
      case "/late-complete" -> lateComplete(req);
      case "/next-page" -> {
        // the next request of the browser (on its kept-alive connection): while it runs, the
        // application thread of the earlier request completes that request's ended cycle
        String key = req.getParameter("key");
        LATE_GO.get(key).countDown();
        String outcome;
        try {
          outcome = LATE_DONE.get(key).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          outcome = "interrupted";
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          outcome = "no outcome: " + e;
        }
        resp.getWriter().print("next page\nlate=" + outcome + "\n");
      }
      default -> resp.sendError(404);
    }
  }

  /**
   * Reads the session's cart and starts async processing that the container's timeout (100 ms)
   * ends; an application thread that kept the context (a slow back end) adds to the cart in
   * place and calls {@code complete()} once {@code /fault/next-page} says so, long after the
   * container answered. What became of the completion is in {@link #LATE_DONE}.
   */
  private static void lateComplete(HttpServletRequest req) {
    String key = req.getParameter("key");
    java.util.concurrent.CountDownLatch go =
        LATE_GO.computeIfAbsent(key, k -> new java.util.concurrent.CountDownLatch(1));
    java.util.concurrent.CompletableFuture<String> done =
        LATE_DONE.computeIfAbsent(key, k -> new java.util.concurrent.CompletableFuture<>());
    @SuppressWarnings("unchecked")
    java.util.List<String> cart =
        (java.util.List<String>) req.getSession(false).getAttribute("cart");
    AsyncContext ac = req.startAsync();
    ac.setTimeout(100);
    new Thread(() -> {
      try {
        if (!go.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
          done.complete("never told");
          return;
        }
        cart.add("late");
        ac.complete();
        done.complete("completed");
      } catch (InterruptedException e) {
        done.complete("interrupted");
      } catch (RuntimeException e) {
        done.complete("refused: " + e.getClass().getName());
      }
    }, "late-completion").start();
  }

  /** Changes the session on an async thread, writes, and completes. */
  private static void changeOnAsyncThread(AsyncContext ac) {
    ac.start(() -> {
      try {
        PathServlet.change(ac.getRequest());
        ac.getResponse().getWriter().print("async changed\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        ac.complete();
      }
    });
  }

  /**
   * Changes the session when the container times the request out, and completes through the
   * context the event carries (the container's own, not the one startAsync returned).
   */
  private static final class ChangeOnTimeout implements AsyncListener {
    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      AsyncContext ac = event.getAsyncContext();
      PathServlet.change(ac.getRequest());
      ac.getResponse().getWriter().print("changed on timeout\n");
      ac.complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
