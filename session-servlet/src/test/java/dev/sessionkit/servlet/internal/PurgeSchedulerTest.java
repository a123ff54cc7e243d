// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.testing.MutableClock;
import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.testapp.FailingStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PurgeSchedulerTest {

  @Test
  void purgesExpiredSessionsAndSurvivesAFailingStore() {
    MutableClock clock = MutableClock.startingNow();
    FailingStore store = new FailingStore();
    SessionManager manager = SessionManager.builder().clock(clock).stores(store.stores()).build();
    StoreFailureLog failures = new StoreFailureLog(clock, "test");
    manager.startAnonymous(ClientInfo.NONE);
    manager.startAnonymous(ClientInfo.NONE);
    clock.advance(Duration.ofMinutes(31));

    store.failing(true);
    assertThat(PurgeScheduler.purge(manager, failures)).isEqualTo(-1);
    assertThat(failures.isFailing()).isTrue();
    store.failing(false);
    assertThat(PurgeScheduler.purge(manager, failures)).isEqualTo(2);
    assertThat(failures.isFailing()).isFalse();
    assertThat(PurgeScheduler.purge(manager, failures)).isZero();
  }

  @Test
  void closeStopsTheThread() {
    SessionManager manager = SessionManager.builder().build();
    PurgeScheduler scheduler = PurgeScheduler.start(manager,
        new StoreFailureLog(manager.clock(), "test"), "test");
    assertThat(scheduler.isRunning()).isTrue();
    scheduler.close();
    assertThat(scheduler.isRunning()).isFalse();
    // an undeploying container checks for live threads right after the filter's destroy()
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("sessionkit-purge-test") && t.isAlive());
  }
}
