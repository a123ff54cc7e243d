// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.internal.FailureWindows.Outcome;
import org.junit.jupiter.api.Test;

/** The sliding windows of guessing detection: exact counts, repeats, cool-down, memory bound. */
class FailureWindowsTest {

  static final long T0 = 1_700_000_000_000L;
  static final long MINUTE = 60_000L;

  final FailureWindows windows = new FailureWindows(3, MINUTE, 10 * MINUTE, 100);

  @Test
  void theFailureAfterTheThresholdWithinTheWindowTripsTheAddress() {
    assertThat(windows.failure("a", 1, T0)).isEqualTo(Outcome.COUNTED);
    assertThat(windows.failure("a", 2, T0 + 1)).isEqualTo(Outcome.COUNTED);
    assertThat(windows.failure("a", 3, T0 + 2)).isEqualTo(Outcome.COUNTED);
    assertThat(windows.coolDownEnd("a", T0 + 2)).isZero();

    assertThat(windows.failure("a", 4, T0 + 3)).isEqualTo(Outcome.TRIPPED);
    assertThat(windows.coolDownEnd("a", T0 + 3)).isEqualTo(T0 + 3 + 10 * MINUTE);
    assertThat(windows.failure("a", 5, T0 + 4)).as("once per cool-down").isEqualTo(Outcome.COUNTED);
    assertThat(windows.coolDownEnd("b", T0 + 3)).as("other addresses").isZero();
  }

  @Test
  void theWindowSlides() {
    windows.failure("a", 1, T0);
    windows.failure("a", 2, T0 + MINUTE / 2);
    windows.failure("a", 3, T0 + MINUTE / 2);
    // the first failure left the window at T0 + MINUTE: three within it again, not four
    assertThat(windows.failure("a", 4, T0 + MINUTE)).isEqualTo(Outcome.COUNTED);
    assertThat(windows.failure("a", 5, T0 + MINUTE + 1)).isEqualTo(Outcome.TRIPPED);
  }

  @Test
  void slowFailuresNeverTrip() {
    for (int i = 0; i < 1000; i++) {
      assertThat(windows.failure("a", i, T0 + i * (MINUTE / 3 + 1))).isEqualTo(Outcome.COUNTED);
    }
  }

  @Test
  void theSameStaleValuesAgainAreNotCountedAgain() {
    for (int i = 0; i < 100; i++) {
      Outcome outcome = windows.failure("a", 42, T0 + i);
      assertThat(outcome).isEqualTo(i == 0 ? Outcome.COUNTED : Outcome.REPEATED);
    }
    assertThat(windows.coolDownEnd("a", T0 + 100)).isZero();
  }

  @Test
  void theCoolDownEndsAndTheAddressMayTripAgain() {
    for (int i = 0; i < 4; i++) {
      windows.failure("a", i, T0);
    }
    long end = windows.coolDownEnd("a", T0);
    assertThat(end).isEqualTo(T0 + 10 * MINUTE);
    assertThat(windows.coolDownEnd("a", end - 1)).isEqualTo(end);
    assertThat(windows.coolDownEnd("a", end)).as("at the end it has ended").isZero();
    for (int i = 10; i < 13; i++) {
      windows.failure("a", i, end + i);
    }
    assertThat(windows.failure("a", 99, end + 20)).isEqualTo(Outcome.TRIPPED);
  }

  @Test
  void memoryStaysBoundedWhateverTheNumberOfAddresses() {
    FailureWindows small = new FailureWindows(3, MINUTE, MINUTE, 1000);
    for (int i = 0; i < 200_000; i++) {
      String address = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
      for (int j = 0; j < 4; j++) {
        small.failure(address, j, T0);
      }
    }
    assertThat(small.trackedAddresses()).isEqualTo(1000);
    assertThat(small.coolingDownAddresses()).isLessThanOrEqualTo(1000);
  }

  @Test
  void theAddressThatFailedLeastRecentlyIsForgottenFirst() {
    FailureWindows two = new FailureWindows(3, MINUTE, MINUTE, 2);
    two.failure("old", 1, T0);
    two.failure("old", 2, T0);
    two.failure("recent", 1, T0);
    two.failure("old", 3, T0); // "old" failed last now
    two.failure("new", 1, T0); // evicts "recent"
    assertThat(two.failure("old", 4, T0)).as("old kept its count").isEqualTo(Outcome.TRIPPED);
  }
}
