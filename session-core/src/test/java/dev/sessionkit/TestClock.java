// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock for session-core's own tests, which cannot depend on session-testing (it depends on this
 * module); store and application tests use {@code dev.sessionkit.testing.TestClock}.
 */
final class TestClock implements InstantSource {

  private final AtomicReference<Instant> now;

  private TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  static TestClock at(Instant start) {
    return new TestClock(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  Instant advance(Duration duration) {
    return now.updateAndGet(t -> t.plus(duration));
  }

  void set(Instant instant) {
    now.set(instant);
  }
}
