// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.testing.MutableClock;
import dev.sessionkit.spi.SessionStoreException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreFailureLogTest {

  final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  final StoreFailureLog log = new StoreFailureLog(clock, "test");
  final SessionStoreException down = new SessionStoreException("down");

  @Test
  void logsTheFirstFailureOfABurstOnly() {
    assertThat(log.failed("resolving", down)).isTrue();
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(log.failed("resolving", down)).isFalse();
    }
    assertThat(log.isFailing()).isTrue();
  }

  @Test
  void aQuietSpellOrASuccessEndsTheBurst() {
    assertThat(log.failed("resolving", down)).isTrue();
    clock.advance(StoreFailureLog.QUIET);
    assertThat(log.failed("resolving", down)).isTrue();
    log.succeeded();
    assertThat(log.isFailing()).isFalse();
    assertThat(log.failed("resolving", down)).isTrue();
  }
}
