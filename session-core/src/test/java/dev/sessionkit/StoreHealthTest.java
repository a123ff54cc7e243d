// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.spi.TokenHash;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SessionManager.checkStore on the in-memory store, up, failing and hanging. */
class StoreHealthTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void theInMemoryStoreIsUp() {
    SessionManager sessions = SessionManager.builder().build();

    // example: health-check
    StoreHealth health = sessions.checkStore(Duration.ofSeconds(2));  // waits at most 2 s
    int status = health.up() ? 200 : 503;                    // what a health endpoint answers
    // end of example

    assertThat(status).isEqualTo(200);
    assertThat(health.up()).isTrue();
    assertThat(health.detail()).isEqualTo("ok");
    assertThat(health.stores()).startsWith("InMemorySessionStore[");
  }

  @Test
  void aFailingStoreIsDownWithTheReason() {
    SessionManager sessions = SessionManager.builder().store(new FailingStore()).build();

    StoreHealth health = sessions.checkStore(TIMEOUT);

    assertThat(health.up()).isFalse();
    assertThat(health.detail()).isEqualTo("IllegalStateException: connection refused");
  }

  @Test
  void aFailingRememberMeStoreOfItsOwnIsDownToo() {
    SessionManager sessions = SessionManager.builder()
        .stores(new Stores(InMemorySessionStore.create(), new FailingStore())).build();

    StoreHealth health = sessions.checkStore(TIMEOUT);

    assertThat(health.up()).isFalse();
    assertThat(health.stores()).contains(" and ");
    assertThat(health.detail()).contains("connection refused");
  }

  @Test
  void theRememberMeStoreOfItsOwnIsRead() {
    AtomicInteger reads = new AtomicInteger();
    InMemorySessionStore memory = InMemorySessionStore.create();
    ForwardingRememberMeStore counted = new ForwardingRememberMeStore(memory) {
      @Override
      public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
        reads.incrementAndGet();
        return super.findSeries(selectorHash);
      }
    };
    SessionManager sessions = SessionManager.builder()
        .stores(new Stores(InMemorySessionStore.create(), counted)).build();

    assertThat(sessions.checkStore(TIMEOUT).up()).isTrue();
    assertThat(reads).hasValue(1);
  }

  @Test
  void aHangingStoreIsDownAfterTheTimeoutAndLaterChecksShareItsPing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger pings = new AtomicInteger();
    HangingStore hanging = new HangingStore(release, pings);
    SessionManager sessions = SessionManager.builder()
        .stores(new Stores(hanging, InMemorySessionStore.create())).build();

    StoreHealth first = sessions.checkStore(Duration.ofMillis(50));
    StoreHealth second = sessions.checkStore(Duration.ofMillis(50));

    assertThat(first.up()).isFalse();
    assertThat(first.detail()).isEqualTo("no answer within PT0.05S");
    assertThat(second.up()).isFalse();
    assertThat(pings).as("one ping in flight, not two").hasValue(1);

    release.countDown();
    assertThat(sessions.checkStore(TIMEOUT).up()).isTrue();   // the released ping, or a new one
    int afterRelease = pings.get();
    assertThat(sessions.checkStore(TIMEOUT).up()).isTrue();
    assertThat(pings).as("a check after the last ping ended sends a new one")
        .hasValue(afterRelease + 1);
  }

  @Test
  void theTimeoutMustBePositive() {
    SessionManager sessions = SessionManager.builder().build();

    assertThatThrownBy(() -> sessions.checkStore(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> sessions.checkStore(null)).isInstanceOf(NullPointerException.class);
  }

  /** A store whose first ping blocks until released; every ping is counted. */
  private static final class HangingStore extends ForwardingSessionStore {
    private final CountDownLatch release;
    private final AtomicInteger pings;

    HangingStore(CountDownLatch release, AtomicInteger pings) {
      super(InMemorySessionStore.create());
      this.release = release;
      this.pings = pings;
    }

    @Override
    public void ping() {
      if (pings.incrementAndGet() == 1) {
        try {
          if (!release.await(30, TimeUnit.SECONDS)) {
            throw new SessionStoreException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.ping();
    }
  }
}
