// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.spi.SessionStoreException;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs store failures once per burst rather than once per request: the first failure after a quiet
 * spell is logged at ERROR with its cause; later ones only count (DEBUG), until {@link #QUIET} has
 * passed without a failure or a success ends the burst (logged at INFO with the count).
 *
 * <p>Safe for concurrent use. Time comes from the manager's clock.
 */
public final class StoreFailureLog {

  /** A failure this long after the previous one starts a new burst. */
  public static final Duration QUIET = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(StoreFailureLog.class);

  private final InstantSource clock;
  private final String filterName;
  private volatile boolean failing;
  private long lastFailure;
  private long failures;

  public StoreFailureLog(InstantSource clock, String filterName) {
    this.clock = clock;
    this.filterName = filterName;
  }

  /**
   * Records a failure while doing {@code what}.
   *
   * @return whether this failure was logged with its cause (the first of a burst)
   */
  public boolean failed(String what, SessionStoreException e) {
    long now = clock.millis();
    long earlier;
    synchronized (this) {
      boolean newBurst = !failing || now - lastFailure >= QUIET.toMillis();
      earlier = newBurst ? failures : -1;
      failures = newBurst ? 1 : failures + 1;
      failing = true;
      lastFailure = now;
    }
    if (earlier < 0) {
      LOG.debug("SessionFilter {}: session store still failing ({})", filterName, what);
      return false;
    }
    LOG.error("SessionFilter {}: the session store failed while {}; requests that need a session"
        + " get 503 until it recovers (further failures of this burst are not logged)",
        filterName, what, e);
    return true;
  }

  /** Records that the store answered: ends a burst, if one is going on. */
  public void succeeded() {
    if (!failing) {
      return;
    }
    long count;
    synchronized (this) {
      if (!failing) {
        return;
      }
      failing = false;
      count = failures;
      failures = 0;
    }
    LOG.info("SessionFilter {}: the session store answers again after {} failed request(s)",
        filterName, count);
  }

  /** Returns whether a burst of failures is going on. */
  public boolean isFailing() {
    return failing;
  }
}
