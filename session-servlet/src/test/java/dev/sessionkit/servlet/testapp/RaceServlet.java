// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.servlet.SessionFilter;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import dev.sessionkit.testing.InterleavingStore;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A session change on one async thread while another thread commits the response, in one exact
 * order: the change is parked in the store after it was applied, the other thread commits, the
 * change goes on. {@code /race/change-while-committing?change=create|login&via=wrapper|container}:
 * the commit goes through the filter's response wrapper (it must wait for the change) or through
 * the container's own response beneath it (the change must be undone and refused). The body says
 * {@code outcome=changed} or {@code outcome=refused: <message>}. {@code /race/change-and-flush}
 * runs the two threads at once with no pause (a bounded stress run).
 */
public class RaceServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Adds the {@code /race} SessionFilter around {@link TestBackends#raceManager}. */
  public static final class Filters implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent sce) {
      FilterRegistration.Dynamic race = sce.getServletContext().addFilter("race-sessions",
          new SessionFilter(TestBackends.current().raceManager));
      race.setAsyncSupported(true);
      race.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/race/*");
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    switch (String.valueOf(req.getPathInfo())) {
      case "/change-while-committing" -> changeWhileCommitting(req);
      case "/change-and-flush" -> {
        AsyncContext ac = req.startAsync();
        CountDownLatch gate = new CountDownLatch(1);
        race(ac, (HttpServletResponse) ac.getResponse(), gate, (changer, flusher) -> {
          changer.start();
          flusher.start();
          gate.countDown();
        });
      }
      default -> {
        PathServlet.change(req);
        resp.getWriter().print("changed\n");
      }
    }
  }

  /** The change parked in the store after it was applied, the commit in between. */
  private static void changeWhileCommitting(HttpServletRequest req) {
    InterleavingStore interleaving = TestBackends.current().raceInterleaving;
    InterleavingStore.Pause applied = interleaving.pauseAfter(
        "create".equals(req.getParameter("change"))
            ? Operation.SESSION_CREATE : Operation.SESSION_ROTATE);
    AsyncContext ac = req.startAsync();
    HttpServletResponse guarded = (HttpServletResponse) ac.getResponse();
    boolean beneath = "container".equals(req.getParameter("via"));
    HttpServletResponse committer = beneath
        ? (HttpServletResponse) ((ServletResponseWrapper) guarded).getResponse() : guarded;
    race(ac, committer, new CountDownLatch(0), (changer, flusher) -> {
      try {
        changer.start();
        applied.awaitParked(Duration.ofSeconds(10));
        flusher.start();
        if (beneath) {
          flusher.join(10_000); // nothing waits beneath the wrapper: the response has committed
        } else {
          // Through the wrapper the flush must wait for the change under way (on its lock): let
          // the change go on once the flusher is blocked there, or has (wrongly) committed.
          while (flusher.isAlive() && flusher.getState() != Thread.State.BLOCKED) {
            Thread.onSpinWait();
          }
        }
      } finally {
        applied.release();
      }
    });
  }

  /** Starts the two threads of a race in some order. */
  private interface Order {
    void start(Thread changer, Thread flusher) throws InterruptedException;
  }

  /**
   * Changes the session on one thread and flushes {@code committer} on another, both after {@code
   * gate} opens, started by {@code order}; then writes the change's outcome and completes.
   */
  private static void race(AsyncContext ac, HttpServletResponse committer, CountDownLatch gate,
      Order order) {
    AtomicReference<String> outcome = new AtomicReference<>();
    Thread changer = new Thread(() -> {
      try {
        gate.await();
        PathServlet.change(ac.getRequest());
        outcome.set("changed");
      } catch (IllegalStateException e) {
        outcome.set("refused: " + e.getMessage());
      } catch (InterruptedException e) {
        outcome.set("interrupted");
      }
    }, "race-changer");
    Thread flusher = new Thread(() -> {
      try {
        gate.await();
        committer.getWriter().print("committing\n");
        committer.flushBuffer();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, "race-flusher");
    ac.start(() -> {
      try {
        order.start(changer, flusher);
        changer.join(10_000);
        flusher.join(10_000);
        committer.getWriter().print("outcome=" + outcome.get() + "\n");
      } catch (InterruptedException | IOException e) {
        Thread.currentThread().interrupt();
      } finally {
        ac.complete();
      }
    });
  }
}
