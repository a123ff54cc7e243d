// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Runs the examples of docs/testing.md (the store contract example is StoreContractExampleTest). */
class TestingGuideExamplesTest {

  @Test
  void anIdleTimeoutIsTestedByMovingTheClock() {
    // example: testing-clock
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T09:00:00Z"));
    SessionManager sessions = SessionManager.builder()
        .clock(clock)                                            // time moves when the test says
        .tokenGenerator(DeterministicTokenGenerator.seeded(42))  // the same tokens on every run
        .build();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);

    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.resolve(login.token())).isPresent();    // a request: idle time restarts
    clock.advance(Duration.ofMinutes(30));
    assertThat(sessions.resolve(login.token())).isEmpty();      // 30 minutes idle: ended
    // end of example
  }

  @Test
  void aFailingStoreIsTestedByInjectingTheFault() {
    // example: testing-faults
    try (FaultInjectingStore faults =
        new FaultInjectingStore(Stores.of(InMemorySessionStore.create()))) {
      SessionManager sessions = SessionManager.builder().stores(faults.stores()).build();
      IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);

      faults.failNext(Operation.SESSION_FIND_AND_TOUCH, Fault.FAIL_BEFORE_APPLYING);
      assertThatThrownBy(() -> sessions.resolve(login.token()))
          .isInstanceOf(SessionStoreException.class);     // fails closed (the filter answers 503)
      assertThat(sessions.resolve(login.token())).isPresent();  // the next request is served
    }
    // end of example
  }
}
