// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/*
 * Design. A race test needs two requests to interleave in one exact order, every run: request A
 * has rotated a remember-me series but not yet created its session when request B revokes the
 * principal. Timing (sleeps, many trials) finds such orders by luck; this wrapper makes them.
 *
 * A Pause is armed for one operation and one side of the delegate call (before or after). Each
 * operation has a FIFO queue of armed pauses; a call polls its operation's queue once, so exactly
 * one call claims each pause (ConcurrentLinkedQueue.poll is atomic) and unarmed calls cost one
 * empty poll. The claiming thread parks on the pause's own release latch, at the chosen side of
 * the delegate call. It announces itself on a second latch first, which is what awaitParked waits
 * for; the test thread then acts (calls the store, the manager, anything) while the parked thread
 * is known to be between two steps, and releases it.
 *
 * Never hang: a parked thread also leaves when it is interrupted (the flag stays set), and
 * close() releases every pause ever armed and refuses new ones before it closes the wrapped
 * stores, so a test that fails between arming and releasing still ends (try-with-resources). A pause released before any thread
 * reaches it lets that thread pass without stopping. After-pauses also park when the delegate call
 * threw, and rethrow after release, so that awaitParked does not depend on the call succeeding.
 */

/**
 * Wraps a pair of stores so that a test can stop a thread at an exact point of a store call and
 * let it go later: deterministic interleavings instead of timing luck.
 *
 * <pre>{@code
 * try (InterleavingStore interleaving =
 *     new InterleavingStore(Stores.of(InMemorySessionStore.create()))) {
 *   SessionManager manager = SessionManager.builder().stores(interleaving.stores()).build();
 *   InterleavingStore.Pause rotated = interleaving.pauseAfter(Operation.SERIES_REPLACE);
 *   Future<?> resume = executor.submit(() -> manager.resumeRememberMe(cookie, client));
 *   rotated.awaitParked(Duration.ofSeconds(5));   // the series is rotated, no session yet
 *   manager.logoutAll("alice");                    // the race, in this exact order
 *   rotated.release();
 *   resume.get();
 * }
 * }</pre>
 *
 * <p>Unarmed calls pass straight through, as does {@code close()} of {@link #sessions()} and
 * {@link #rememberMe()}. The wrapper owns the stores it wraps: {@link #close()} closes them. Safe
 * for concurrent use.
 */
public final class InterleavingStore implements AutoCloseable {

  private final Stores delegate;
  private final ForwardingSessionStore sessions;
  private final ForwardingRememberMeStore rememberMe;
  private final Map<Operation, Queue<Pause>> armed = new EnumMap<>(Operation.class);
  private final Queue<Pause> all = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /**
   * Wraps {@code delegate}; every call passes through until a pause is armed.
   *
   * @param delegate the store that calls are forwarded to
   */
  public InterleavingStore(Stores delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    for (Operation operation : Operation.values()) {
      armed.put(operation, new ConcurrentLinkedQueue<>());
    }
    InterceptingStores.Interceptor interceptor = this::call;
    this.sessions = InterceptingStores.sessions(delegate.sessions(), interceptor);
    this.rememberMe = InterceptingStores.rememberMe(delegate.rememberMe(), interceptor);
  }

  /**
   * Returns the session store whose calls stop where pauses are armed.
   *
   * @return the session store whose calls stop where pauses are armed
   */
  public ForwardingSessionStore sessions() {
    return sessions;
  }

  /**
   * Returns the remember-me store whose calls stop where pauses are armed.
   *
   * @return the remember-me store whose calls stop where pauses are armed
   */
  public ForwardingRememberMeStore rememberMe() {
    return rememberMe;
  }

  /**
   * Returns {@link #sessions()} and {@link #rememberMe()} as a pair, for a manager's builder.
   *
   * @return {@link #sessions()} and {@link #rememberMe()} as a pair, for a manager's builder
   */
  public Stores stores() {
    return new Stores(sessions, rememberMe);
  }

  /**
   * Returns the wrapped stores.
   *
   * @return the wrapped stores
   */
  public Stores delegate() {
    return delegate;
  }

  /**
   * Arms a one-shot pause: the next thread that calls {@code operation} parks before the wrapped
   * store is called, until {@link Pause#release()} or {@link #close()}. Pauses armed for one
   * operation are claimed in the order they were armed, one per call.
   *
   * @param operation which store call
   * @return the pause, to await and release
   * @throws IllegalStateException if this store is closed
   */
  public Pause pauseBefore(Operation operation) {
    return arm(operation, true);
  }

  /**
   * Arms a one-shot pause: the next thread that calls {@code operation} parks after the wrapped
   * store's call returned (or threw), before the result reaches the caller, until {@link
   * Pause#release()} or {@link #close()}.
   *
   * @param operation which store call
   * @return the pause, to await and release
   * @throws IllegalStateException if this store is closed
   */
  public Pause pauseAfter(Operation operation) {
    return arm(operation, false);
  }

  /**
   * Releases every parked thread and every pause not yet reached, refuses new pauses (later calls
   * pass straight through), then closes the wrapped stores. Closing twice is harmless.
   */
  @Override
  public void close() {
    closed = true;
    for (Pause pause : all) {
      pause.release();
    }
    delegate.close();
  }

  @Override
  public String toString() {
    return "InterleavingStore[" + delegate + "]";
  }

  private Pause arm(Operation operation, boolean before) {
    Objects.requireNonNull(operation, "operation");
    if (closed) {
      throw new IllegalStateException("this InterleavingStore is closed");
    }
    Pause pause = new Pause(operation, before);
    all.add(pause);
    armed.get(operation).add(pause);
    if (closed) {
      pause.release(); // closed meanwhile: close() may not have seen it
    }
    return pause;
  }

  private <T> T call(Operation operation, Supplier<T> call) {
    Pause pause = armed.get(operation).poll();
    if (pause == null) {
      return call.get();
    }
    if (pause.before) {
      pause.park();
      return call.get();
    }
    try {
      return call.get();
    } finally {
      pause.park();
    }
  }

  /**
   * One armed stop in a store call: {@link InterleavingStore#pauseBefore} or {@link
   * InterleavingStore#pauseAfter} arm it, the first thread that reaches it parks there, and
   * {@link #release()} lets it go. Safe for concurrent use.
   */
  public static final class Pause {

    private final Operation operation;
    private final boolean before;
    private final CountDownLatch parked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private Pause(Operation operation, boolean before) {
      this.operation = operation;
      this.before = before;
    }

    /**
     * Returns once a thread has parked at this pause (at once if one did already, even if it was
     * released since).
     *
     * @param timeout how long to wait for a thread to park
     * @throws AssertionError if no thread parked within {@code timeout}, or the waiting thread was
     *     interrupted
     */
    public void awaitParked(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      try {
        if (!parked.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new AssertionError("no thread reached " + this + " within " + timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for a thread to reach " + this, e);
      }
    }

    /**
     * Lets the parked thread go on; if no thread has reached this pause yet, the one that does
     * passes without stopping. Releasing twice is harmless.
     */
    public void release() {
      released.countDown();
    }

    /**
     * Returns whether a thread has reached this pause (and parked, unless it was released).
     *
     * @return whether a thread has reached this pause (and parked, unless it was released)
     */
    public boolean isReached() {
      return parked.getCount() == 0;
    }

    @Override
    public String toString() {
      return "Pause[" + (before ? "before " : "after ") + operation + "]";
    }

    /** Parks the calling thread until released; an interrupt also ends the wait (and stays set). */
    private void park() {
      parked.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
