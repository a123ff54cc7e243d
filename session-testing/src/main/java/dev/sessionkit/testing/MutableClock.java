// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A controllable {@link InstantSource} for tests: it stands still until told to move.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * SessionManager manager = SessionManager.builder().clock(clock).build();
 * clock.advance(Duration.ofMinutes(31)); // past the default idle timeout
 * }</pre>
 *
 * <p>Safe for concurrent use.
 */
public final class MutableClock implements InstantSource {

  private final AtomicReference<Instant> now;

  private MutableClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * Returns a clock that reads {@code start} until moved.
   *
   * @param start the clock's first time
   * @return a clock that reads {@code start} until moved
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(start);
  }

  /**
   * Returns a clock that starts at the current system time, truncated to milliseconds.
   *
   * @return a clock that starts at the current system time, truncated to milliseconds
   */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * Moves the clock forward (or back, for a negative duration) and returns the new time.
   *
   * @param duration how far to move the clock; negative moves it back
   * @return the new time
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * Sets the clock to {@code instant}.
   *
   * @param instant the new time
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
