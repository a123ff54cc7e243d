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
import java.util.concurrent.atomic.AtomicReference;

/**
 * A session change on one async thread while another thread commits the response, in one exact
 * order: the change is parked in the store after it was applied, the other thread commits, the
 * change goes on. {@code /race/change-while-committing?change=create|login&via=wrapper|container}:
 * the commit goes through the filter's response wrapper (it must wait for the change) or through
 * the container's own response beneath it (the change must be undone and refused). The body says
 * {@code outcome=changed} or {@code outcome=refused: <message>}.
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
    if (!"/change-while-committing".equals(req.getPathInfo())) {
      PathServlet.change(req);
      resp.getWriter().print("changed\n");
      return;
    }
    InterleavingStore interleaving = TestBackends.current().raceInterleaving;
    String change = req.getParameter("change");
    InterleavingStore.Pause applied = interleaving.pauseAfter(
        "create".equals(change) ? Operation.SESSION_CREATE : Operation.SESSION_ROTATE);
    AsyncContext ac = req.startAsync();
    HttpServletResponse guarded = (HttpServletResponse) ac.getResponse();
    HttpServletResponse committer = "container".equals(req.getParameter("via"))
        ? (HttpServletResponse) ((ServletResponseWrapper) guarded).getResponse() : guarded;
    AtomicReference<String> outcome = new AtomicReference<>();
    Thread changer = new Thread(() -> {
      try {
        PathServlet.change(ac.getRequest());
        outcome.set("changed");
      } catch (IllegalStateException e) {
        outcome.set("refused: " + e.getMessage());
      }
    }, "race-changer");
    Thread flusher = new Thread(() -> {
      try {
        committer.getWriter().print("committing\n");
        committer.flushBuffer();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "race-flusher");
    ac.start(() -> {
      try {
        changer.start();
        applied.awaitParked(Duration.ofSeconds(10));
        flusher.start();
        // Through the wrapper the flush must wait for the change under way; beneath it, it
        // commits at once. Either way, let the change go on only then.
        while (flusher.isAlive() && flusher.getState() != Thread.State.BLOCKED) {
          Thread.onSpinWait();
        }
        applied.release();
        changer.join(10_000);
        flusher.join(10_000);
        committer.getWriter().print("outcome=" + outcome.get() + "\n");
      } catch (InterruptedException | IOException e) {
        Thread.currentThread().interrupt();
        applied.release();
      } finally {
        ac.complete();
      }
    });
  }
}
