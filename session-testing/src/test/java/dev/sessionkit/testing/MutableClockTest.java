// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MutableClockTest {

  @Test
  void standsStillUntilMoved() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    MutableClock clock = MutableClock.at(start);
    assertThat(clock.instant()).isEqualTo(start);
    assertThat(clock.millis()).isEqualTo(start.toEpochMilli());

    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(start.plusSeconds(300));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(300));
    clock.advance(Duration.ofSeconds(-100));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(200));
    clock.set(start);
    assertThat(clock.instant()).isEqualTo(start);
  }
}
