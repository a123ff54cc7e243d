// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.SessionFilter;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import dev.sessionkit.testing.InterleavingStore;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
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
 * {@code outcome=changed} or {@code outcome=refused: <message>}. {@code /race/change-during-flush}
 * is the other order: the flush has passed the filter's wrapper (parked in an outer application
 * wrapper) when the change starts. {@code /race/change-and-flush} runs the two threads at once with
 * no pause (a bounded stress run).
 */
public class RaceServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /**
   * Adds the dispatch application's programmatic filters: on {@code /race}, an application filter
   * that wraps the response ({@link OuterWrapperFilter}) around the SessionFilter of {@link
   * TestBackends#raceManager}; on {@code /fault}, the SessionFilter of {@link
   * TestBackends#faultManager} ({@link FaultServlet}).
   */
  public static final class Filters implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent sce) {
      TestBackends backends = TestBackends.current();
      add(sce, "race-outer", new OuterWrapperFilter(), "/race/*");
      add(sce, "race-outer-reset", new OuterResetForward(), "/race/overtaken-after-a-change");
      add(sce, "race-sessions", new SessionFilter(backends.raceManager), "/race/*");
      add(sce, "fault-sessions", new SessionFilter(backends.faultManager), "/fault/*");
    }

    private static void add(ServletContextEvent sce, String name, Filter filter, String path) {
      FilterRegistration.Dynamic added = sce.getServletContext().addFilter(name, filter);
      added.setAsyncSupported(true);
      added.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, path);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    switch (String.valueOf(req.getPathInfo())) {
      case "/change-while-committing" -> changeWhileCommitting(req);
      case "/change-during-flush" -> changeDuringFlush(req);
      case "/change-and-flush" -> {
        AsyncContext ac = req.startAsync();
        CountDownLatch gate = new CountDownLatch(1);
        race(ac, (HttpServletResponse) ac.getResponse(), gate, (changer, flusher) -> {
          changer.start();
          flusher.start();
          gate.countDown();
        });
      }
      case "/write-then-create" -> writeThenCreate(req, resp);
      case "/change-after-the-end" -> changeAfterTheEnd(req);
      case "/stall-past-the-answer" -> stallPastTheAnswer(req, resp);
      case "/stall-with-a-change-in-place" -> stallWithAChangeInPlace(req);
      case "/change-racing-the-timeout" -> changeRacingTheTimeout(req);
      case "/overtaken-after-a-change" -> overtakenAfterAChange(req, resp);
      case "/reset-target" -> resp.getWriter().print("reset target\n"); // no session step
      default -> {
        PathServlet.change(req);
        resp.getWriter().print("changed\n");
      }
    }
  }

  /**
   * Writes an attribute into the request's session (the test parks the write in the store while
   * another request of the browser signs in), then asks for a session as a page would; the body
   * says what became of each.
   */
  private static void writeThenCreate(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    StringBuilder out = new StringBuilder();
    try {
      req.getSession(false).setAttribute("late", "value");
      out.append("write=kept\n");
    } catch (IllegalStateException e) {
      out.append("write=refused\n");
    }
    try {
      req.getSession(true);
      out.append("create=created\n");
    } catch (IllegalStateException e) {
      out.append("create=refused\n");
    }
    resp.getWriter().print(out);
  }

  /**
   * What became of the late change of {@code /race/change-after-the-end} for each user ({@code
   * changed} or {@code refused: <message>}).
   */
  public static final java.util.Map<String, java.util.concurrent.CompletableFuture<String>>
      STALLED = new java.util.concurrent.ConcurrentHashMap<>();
  /** Opens, per user, the late change of {@code /race/change-after-the-end}. */
  public static final java.util.Map<String, CountDownLatch> LATE_GO =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Starts async processing that nobody completes (the container's timeout answers it); an
   * application thread that kept the request (a slow back end) makes the change once the test
   * says the response has reached the client: the request is over, its objects the container's
   * again.
   */
  private static void changeAfterTheEnd(HttpServletRequest req) {
    String user = req.getParameter("user");
    java.util.concurrent.CompletableFuture<String> outcome =
        STALLED.computeIfAbsent(user, u -> new java.util.concurrent.CompletableFuture<>());
    CountDownLatch go = LATE_GO.computeIfAbsent(user, u -> new CountDownLatch(1));
    AsyncContext ac = req.startAsync();
    ac.setTimeout(100);
    ServletRequest request = ac.getRequest();
    changeOnAnApplicationThread("late-change", request, outcome, go::await);
  }

  /** Per user, opened when the async cycle of {@code /race/stall-with-a-change-in-place} ended. */
  public static final java.util.Map<String, CountDownLatch> CYCLE_ENDED =
      new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Per user, the store pause that holds the store call of {@code /race/stall-past-the-answer}
   * and {@code /race/stall-with-a-change-in-place}.
   */
  public static final java.util.Map<String, InterleavingStore.Pause> STALL_PAUSES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * An application thread makes the change while the store stalls (parked before it writes the
   * new session, before it deletes the session for a logout, or before it rotates the token for
   * a renewal, until the test releases it, see {@link #STALL_PAUSES}); meanwhile the container
   * answers the client, as {@code ending} says: {@code timeout} (async processing that the
   * container's timeout, 200 ms, ends), {@code return} (the servlet returns without async
   * processing), {@code throw} (the servlet throws) or {@code store-failure} (the servlet's own
   * store call failed: the filter answers 503). What became of the change is in {@link
   * #STALLED}.
   */
  private static void stallPastTheAnswer(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    String user = req.getParameter("user");
    String ending = req.getParameter("ending");
    java.util.concurrent.CompletableFuture<String> outcome =
        STALLED.computeIfAbsent(user, u -> new java.util.concurrent.CompletableFuture<>());
    InterleavingStore.Pause stall = TestBackends.current().raceInterleaving.pauseBefore(
        switch (req.getParameter("change")) {
          case "logout" -> Operation.SESSION_DELETE;
          case "renew" -> Operation.SESSION_ROTATE;
          default -> Operation.SESSION_CREATE;
        });
    STALL_PAUSES.put(user, stall);
    AsyncContext ac = ending.startsWith("timeout") ? req.startAsync() : null;
    if ("timeout-listener".equals(ending)) {
      ac.addListener(new CompletingOnTimeout());
    }
    ServletRequest request = ac != null ? ac.getRequest() : req;
    changeOnAnApplicationThread("stalled-change", request, outcome, () -> { });
    stall.awaitParked(Duration.ofSeconds(10));
    switch (ending) {
      case "timeout", "timeout-listener" -> ac.setTimeout(200);
      case "return" -> resp.getWriter().print("answered\n");
      case "throw" -> throw new IllegalStateException("the page failed");
      case "store-failure" -> throw new dev.sessionkit.spi.SessionStoreException(
          "the page's own store call failed");
      default -> throw new IllegalArgumentException("unknown ending");
    }
  }

  /**
   * An application's {@code AsyncListener} that answers the async timeout itself, as servers of
   * long polls do: it writes a body and completes the cycle from the container's timeout event.
   */
  private static final class CompletingOnTimeout implements jakarta.servlet.AsyncListener {
    @Override
    public void onTimeout(jakarta.servlet.AsyncEvent event) throws IOException {
      event.getAsyncContext().getResponse().getWriter().print("timed out\n");
      event.getAsyncContext().complete();
    }

    @Override
    public void onComplete(jakarta.servlet.AsyncEvent event) {}

    @Override
    public void onError(jakarta.servlet.AsyncEvent event) {}

    @Override
    public void onStartAsync(jakarta.servlet.AsyncEvent event) {}
  }

  /**
   * The request thread makes the change ({@code change}, e.g. a login or a value changed in
   * place, which succeeds), then hands a listing of the user's sessions to an application thread
   * and stops waiting for it (a slow back end the page gives up on): the listing's store call is
   * parked (until the test releases it, see {@link #STALL_PAUSES}) while the container answers,
   * as {@code ending} says: {@code return} or {@code throw}. What became of the listing is in
   * {@link #STALLED}.
   */
  private static void overtakenAfterAChange(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    String user = req.getParameter("user");
    java.util.concurrent.CompletableFuture<String> outcome =
        STALLED.computeIfAbsent(user, u -> new java.util.concurrent.CompletableFuture<>());
    PathServlet.change(req);
    InterleavingStore.Pause stall = TestBackends.current().raceInterleaving
        .pauseBefore(Operation.SESSION_FIND_BY_PRINCIPAL);
    STALL_PAUSES.put(user, stall);
    new Thread(() -> {
      try {
        outcome.complete("listed " + dev.sessionkit.servlet.Sessions.list(req).size());
      } catch (RuntimeException e) {
        outcome.complete("refused: " + e);
      }
    }, "stalled-listing").start();
    stall.awaitParked(Duration.ofSeconds(10));
    switch (req.getParameter("ending")) {
      case "return" -> resp.getWriter().print("answered\n");
      case "throw" -> throw new IllegalStateException("the page failed");
      case "store-failure" -> throw new dev.sessionkit.spi.SessionStoreException(
          "the page's own store call failed");
      default -> throw new IllegalArgumentException("unknown ending");
    }
  }

  /**
   * The browser's signed-in session has a cart, which the request reads. An application thread
   * lists the user's sessions, a step that holds the request's session while its store call is
   * parked (until the test releases it, see {@link #STALL_PAUSES}); meanwhile the request thread
   * adds to the cart in place and the async cycle ends by the container's timeout (200 ms). What
   * became of the listing is in {@link #STALLED}.
   */
  private static void stallWithAChangeInPlace(HttpServletRequest req) {
    String user = req.getParameter("user");
    java.util.concurrent.CompletableFuture<String> outcome =
        STALLED.computeIfAbsent(user, u -> new java.util.concurrent.CompletableFuture<>());
    CountDownLatch ended = CYCLE_ENDED.computeIfAbsent(user, u -> new CountDownLatch(1));
    AsyncContext ac = req.startAsync();
    ac.addListener(new jakarta.servlet.AsyncListener() {
      @Override
      public void onComplete(jakarta.servlet.AsyncEvent event) {
        ended.countDown(); // after the filter's own listener, which was added first
      }

      @Override
      public void onTimeout(jakarta.servlet.AsyncEvent event) {}

      @Override
      public void onError(jakarta.servlet.AsyncEvent event) {}

      @Override
      public void onStartAsync(jakarta.servlet.AsyncEvent event) {}
    });
    HttpServletRequest request = (HttpServletRequest) ac.getRequest();
    @SuppressWarnings("unchecked")
    java.util.List<String> cart =
        (java.util.List<String>) request.getSession(false).getAttribute("cart");
    InterleavingStore.Pause stall = TestBackends.current().raceInterleaving
        .pauseBefore(Operation.SESSION_FIND_BY_PRINCIPAL);
    STALL_PAUSES.put(user, stall);
    new Thread(() -> {
      try {
        outcome.complete("listed " + dev.sessionkit.servlet.Sessions.list(request).size());
      } catch (RuntimeException e) {
        outcome.complete("refused: " + e);
      }
    }, "stalled-listing").start();
    stall.awaitParked(Duration.ofSeconds(10));
    cart.add("pear"); // in place, while the other thread's store call holds the session
    ac.setTimeout(200);
  }

  /**
   * An application thread makes the change {@code delay} milliseconds after the async cycle
   * started, while the container's async timeout (100 ms) ends the cycle, with no pause: either
   * may come first (a bounded stress run). What became of the change is in {@link #STALLED}.
   */
  private static void changeRacingTheTimeout(HttpServletRequest req) {
    String user = req.getParameter("user");
    long delay = Long.parseLong(req.getParameter("delay"));
    java.util.concurrent.CompletableFuture<String> outcome =
        STALLED.computeIfAbsent(user, u -> new java.util.concurrent.CompletableFuture<>());
    AsyncContext ac = req.startAsync();
    ac.setTimeout(100);
    ServletRequest request = ac.getRequest();
    changeOnAnApplicationThread("racing-change", request, outcome, () -> Thread.sleep(delay));
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
          while (flusher.isAlive() && !waitsForALock(flusher)) {
            Thread.onSpinWait();
          }
        }
      } finally {
        applied.release();
      }
    });
  }

  /**
   * The flush is already past the filter's response wrapper (parked in the outer filter's
   * wrapper, on its way to the container) when the change starts: the change must either wait for
   * the flush and be refused before it touches the store, or be delivered; it parks in the store
   * after it was applied if it got that far, then the flush commits.
   */
  private static void changeDuringFlush(HttpServletRequest req) {
    InterleavingStore.Pause applied = TestBackends.current().raceInterleaving.pauseAfter(
        "create".equals(req.getParameter("change"))
            ? Operation.SESSION_CREATE : Operation.SESSION_ROTATE);
    FlushPark park = new FlushPark();
    req.setAttribute(FlushPark.ATTRIBUTE, park);
    AsyncContext ac = req.startAsync();
    race(ac, (HttpServletResponse) ac.getResponse(), new CountDownLatch(0), (changer, flusher) -> {
      try {
        flusher.start();
        park.reached.await();
        changer.start();
        while (!applied.isReached() && !waitsForALock(changer)) {
          Thread.onSpinWait();
        }
        park.go.countDown();
        flusher.join(10_000);
      } finally {
        park.go.countDown();
        applied.release();
      }
      changer.join(10_000);
      if (!applied.isReached()) {
        claimLeftOverPause();
      }
    });
  }

  /**
   * The change was refused before it reached the store, so its pause is still armed (released)
   * and would be claimed by the next rotation of a later test in place of that test's own pause:
   * a rotation of a throwaway session claims it now.
   */
  private static void claimLeftOverPause() {
    SessionManager manager = TestBackends.current().raceManager;
    ClientInfo client = ClientInfo.of(null, "left-over-pause");
    Session throwaway = manager.startAnonymous(client).session();
    manager.logout(manager.authenticate(throwaway, "left-over-pause", client, false).session());
  }

  /** Where the outer wrapper parks the first flush of a request that carries one. */
  private static final class FlushPark {
    static final String ATTRIBUTE = FlushPark.class.getName();
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);
  }

  /**
   * An application filter in front of the SessionFilter that wraps the response, as compression
   * or metrics filters do; its {@code flushBuffer()} parks on a request's {@link FlushPark}.
   */
  public static final class OuterWrapperFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(req, new HttpServletResponseWrapper((HttpServletResponse) resp) {
        @Override
        public void flushBuffer() throws IOException {
          if (req.getAttribute(FlushPark.ATTRIBUTE) instanceof FlushPark park
              && park.reached.getCount() > 0) {
            park.reached.countDown();
            try {
              park.go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          super.flushBuffer();
        }
      });
    }
  }

  /**
   * An application filter in front of the SessionFilter that, as error-page filters of web
   * frameworks do, resets the container's response after the chain and forwards to {@code
   * /race/reset-target} (a page that does not touch the session); only for requests that say
   * {@code outer=reset}. The reset drops every header the SessionFilter wrote; the forward passes
   * the SessionFilter again.
   */
  public static final class OuterResetForward implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(req, resp);
      if ("reset".equals(req.getParameter("outer")) && !resp.isCommitted()) {
        resp.reset();
        req.getRequestDispatcher("/race/reset-target").forward(req, resp);
      }
    }
  }

  /**
   * Returns whether {@code thread} waits for a lock (the request's session lock is a {@code
   * ReentrantLock}, whose waiters park: WAITING; a monitor's are BLOCKED).
   */
  private static boolean waitsForALock(Thread thread) {
    Thread.State state = thread.getState();
    return state == Thread.State.BLOCKED || state == Thread.State.WAITING;
  }

  /** Something an application thread waits for before it makes its change. */
  private interface Wait {
    void await() throws InterruptedException;
  }

  /**
   * Makes the request's change ({@link PathServlet#change}) on a new application thread named
   * {@code name}, after {@code before}, and completes {@code outcome} with {@code changed},
   * {@code refused: <exception>} or {@code interrupted}.
   */
  private static void changeOnAnApplicationThread(String name, ServletRequest request,
      java.util.concurrent.CompletableFuture<String> outcome, Wait before) {
    new Thread(() -> {
      try {
        before.await();
        PathServlet.change(request);
        outcome.complete("changed");
      } catch (RuntimeException e) {
        outcome.complete("refused: " + e);
      } catch (InterruptedException e) {
        outcome.complete("interrupted");
      }
    }, name).start();
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
