// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.SessionStoreException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SessionManager#purgeExpired()} on one daemon thread, every {@link #INTERVAL}, so that
 * sessions nobody comes back for leave the store and fire their expired events. A failing purge is
 * logged (store failures once per burst), never thrown.
 */
public final class PurgeScheduler implements AutoCloseable {

  /** Time between the end of one purge and the start of the next. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(PurgeScheduler.class);

  private final ScheduledExecutorService executor;
  private final AtomicReference<Thread> thread;

  private PurgeScheduler(ScheduledExecutorService executor, AtomicReference<Thread> thread) {
    this.executor = executor;
    this.thread = thread;
  }

  /** Starts purging {@code manager}'s store every {@link #INTERVAL}. */
  public static PurgeScheduler start(SessionManager manager, StoreFailureLog failures,
      String filterName) {
    AtomicReference<Thread> thread = new AtomicReference<>();
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sessionkit-purge-" + filterName);
      t.setDaemon(true);
      thread.set(t);
      return t;
    });
    long millis = INTERVAL.toMillis();
    executor.scheduleWithFixedDelay(() -> purge(manager, failures), millis, millis,
        TimeUnit.MILLISECONDS);
    return new PurgeScheduler(executor, thread);
  }

  /**
   * Purges once; never throws.
   *
   * @return how many sessions were removed, or -1 if the purge failed
   */
  public static int purge(SessionManager manager, StoreFailureLog failures) {
    try {
      int removed = manager.purgeExpired();
      failures.succeeded();
      LOG.debug("purged {} expired session(s)", removed);
      return removed;
    } catch (SessionStoreException e) {
      failures.failed("purging expired sessions", e);
    } catch (RuntimeException e) {
      LOG.warn("purging expired sessions failed", e);
    }
    return -1;
  }

  /** Returns whether the purge thread is still scheduled or alive. */
  public boolean isRunning() {
    Thread t = thread.get();
    return !executor.isTerminated() || (t != null && t.isAlive());
  }

  /**
   * Stops the purge thread, waiting briefly for a purge under way and for the thread to end (an
   * executor reports termination while its thread is still finishing; a container that undeploys
   * the application right after would report that thread as leaked).
   */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (executor.awaitTermination(2, TimeUnit.SECONDS)) {
        Thread t = thread.get();
        if (t != null) {
          t.join(TimeUnit.SECONDS.toMillis(2));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
