// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.servlet.Sessions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compatibility application's pages, written as an existing servlet application writes them
 * (only {@code sklogin} and {@code logoutothers} use Sessionkit's API): {@code /app/<action>} and,
 * behind a FORM login, {@code /secure/<action>}.
 */
public class CompatServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Per key, what became of the login of {@code /app/loginpasttheanswer}. */
  public static final Map<String, CompletableFuture<String>> LATE_LOGINS =
      new ConcurrentHashMap<>();
  /** Per key, the store call of {@code /app/loginpasttheanswer} held before it runs. */
  public static final Map<String, RecordingStoreFactory.Park> LATE_PARKS =
      new ConcurrentHashMap<>();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    resp.setContentType("text/plain;charset=UTF-8");
    PrintWriter out = resp.getWriter();
    String action = req.getPathInfo() == null ? "whoami" : req.getPathInfo().substring(1);
    switch (action) {
      case "whoami" -> {
        HttpSession session = req.getSession(false);
        out.print("user=" + req.getRemoteUser() + "\n");
        out.print("role=" + req.isUserInRole("user") + "\n");
        out.print("session=" + (session == null ? "none" : session.getId()) + "\n");
      }
      case "create" -> out.print("session=" + req.getSession().getId() + "\n");
      case "invalidate" -> {
        req.getSession().invalidate();
        out.print("invalidated\n");
      }
      case "logout" -> {
        req.logout();
        out.print("logged out\n");
      }
      case "loginaftercommit" -> {
        out.print("partial page\n");
        resp.flushBuffer();
        try {
          req.login(req.getParameter("user"), req.getParameter("password"));
          out.print("login=ok\n");
        } catch (ServletException | IllegalStateException e) {
          out.print("login=refused\n");
        }
        out.print("user=" + req.getRemoteUser() + "\n");
        out.print("role=" + req.isUserInRole("user") + "\n");
      }
      case "createrefused" -> {
        CompatEvents.refuseNextSession();
        HttpSession refused = req.getSession(true);
        String state;
        try {
          refused.getAttribute("x");
          state = "valid";
        } catch (IllegalStateException e) {
          state = "invalidated";
        }
        out.print("refused=" + state + "\n");
        out.print("current=" + (req.getSession(false) == null ? "none" : "some") + "\n");
        out.print("session=" + req.getSession(true).getId() + "\n");
      }
      case "logouttwice" -> {
        req.logout();
        req.logout();
        out.print("logged out twice\n");
      }
      case "invalidatecreate" -> {
        req.getSession().invalidate();
        HttpSession fresh = req.getSession(true);
        out.print("user=" + req.getRemoteUser() + "\n");
        out.print("role=" + req.isUserInRole("user") + "\n");
        out.print("session=" + fresh.getId() + "\n");
      }
      case "login" -> {
        try {
          req.login(req.getParameter("user"), req.getParameter("password"));
          out.print("user=" + req.getRemoteUser() + "\n");
        } catch (ServletException e) {
          out.print("login failed\n");
        }
      }
      case "loginpasttheanswer" -> {
        // request.login on an application thread (a slow back end), whose Sessionkit login is
        // held in the store (before it creates the session) until the test releases it; the
        // page answers meanwhile, and the container takes the request back
        String key = req.getParameter("key");
        CompletableFuture<String> outcome =
            LATE_LOGINS.computeIfAbsent(key, k -> new CompletableFuture<>());
        RecordingStoreFactory.Park park = RecordingStoreFactory.parkNext("create");
        LATE_PARKS.put(key, park);
        new Thread(() -> {
          try {
            req.login(req.getParameter("user"), req.getParameter("password"));
            outcome.complete("logged in");
          } catch (ServletException | RuntimeException e) {
            outcome.complete("refused: " + e);
          }
        }, "late-container-login").start();
        try {
          out.print("parked=" + park.awaitReached(10) + "\n");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case "reenter" -> reenter(req, out);
      case "overtaken" -> {
        // a listing of the user's sessions on an application thread (a slow back end), held in
        // the store while the page answers: the container takes the request back while that
        // step holds the request's session
        String key = req.getParameter("key");
        CompletableFuture<String> outcome =
            LATE_LOGINS.computeIfAbsent(key, k -> new CompletableFuture<>());
        RecordingStoreFactory.Park park = RecordingStoreFactory.parkNext("findByPrincipal");
        LATE_PARKS.put(key, park);
        new Thread(() -> {
          try {
            outcome.complete("listed " + Sessions.list(req).size());
          } catch (RuntimeException e) {
            outcome.complete("refused: " + e);
          }
        }, "stalled-listing").start();
        try {
          out.print("parked=" + park.awaitReached(10) + "\n");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case "kickwhileparked" -> {
        // the "kick user" page while that user's overtaken request still holds its session in
        // the store: the kick waits for that step, which then goes on
        HttpSession kept = CompatEvents.live(req.getParameter("id"));
        Thread kick = new Thread(kept::invalidate, "kick");
        kick.start();
        while (kick.isAlive() && kick.getState() != Thread.State.WAITING
            && kick.getState() != Thread.State.BLOCKED) {
          Thread.onSpinWait();
        }
        LATE_PARKS.get(req.getParameter("key")).release();
        try {
          kick.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        out.print(kick.isAlive() ? "still kicking\n" : "kicked\n");
      }
      case "sklogin" -> out.print("session=" + Sessions.login(req, req.getParameter("user"), false)
          .id() + "\n");
      case "logoutothers" -> out.print("ended=" + Sessions.logoutOthers(req) + "\n");
      case "set" -> {
        String value = req.getParameter("value");
        req.getSession().setAttribute(req.getParameter("name"),
            "bound".equals(value) ? new CompatEvents.BoundValue(req.getParameter("name")) : value);
        out.print("set\n");
      }
      case "setsame" -> {
        HttpSession session = req.getSession();
        String name = req.getParameter("name");
        session.setAttribute(name, session.getAttribute(name));
        out.print("set again\n");
      }
      case "remove" -> {
        req.getSession().removeAttribute(req.getParameter("name"));
        out.print("removed\n");
      }
      case "rotate" -> out.print("session=" + req.changeSessionId() + "\n");
      case "kick" -> {
        // an administrator's page ends another user's session through the HttpSession an
        // "active users" listener kept from that user's request
        HttpSession kept = CompatEvents.live(req.getParameter("id"));
        if (kept == null) {
          out.print("unknown\n");
        } else {
          kept.invalidate();
          out.print("kicked\n");
        }
      }
      case "max" -> {
        HttpSession session = req.getSession();
        String seconds = req.getParameter("seconds");
        if (seconds != null) {
          session.setMaxInactiveInterval(Integer.parseInt(seconds));
        }
        out.print("max=" + session.getMaxInactiveInterval() + "\n");
        out.print("session=" + session.getId() + "\n");
      }
      default -> resp.sendError(404);
    }
  }

  /**
   * A listener re-enters the session or the request: when it is told {@code on} ({@code created}
   * on this page's {@code getSession(true)}, {@code idChanged} on its {@code changeSessionId()}),
   * it does {@code do} ({@code invalidate}, {@code set}, {@code rotate}, {@code getsession},
   * {@code logout}, {@code sklogin}); the page then says which session the request holds.
   */
  private static void reenter(HttpServletRequest req, PrintWriter out) {
    String on = req.getParameter("on");
    String what = req.getParameter("do");
    CompatEvents.onNext(on, session -> {
      try {
        switch (what) {
          case "invalidate" -> session.invalidate();
          case "set" -> session.setAttribute("reentered", "yes");
          case "rotate" -> req.changeSessionId();
          case "getsession" -> req.getSession(true);
          case "logout" -> req.logout();
          case "sklogin" -> Sessions.login(req, "ann", false);
          default -> throw new IllegalArgumentException("unknown re-entry " + what);
        }
      } catch (ServletException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      if ("created".equals(on)) {
        req.getSession(true);
      } else {
        req.changeSessionId();
      }
    } finally {
      CompatEvents.forgetOnNext();
    }
    HttpSession current = req.getSession(false);
    String state;
    try {
      state = current == null ? "none" : current.getId() + " " + current.getAttributeNames()
          .hasMoreElements();
    } catch (IllegalStateException ended) {
      state = "ended";
    }
    out.print("current=" + state + "\n");
  }
}
