// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.spi.TokenHash;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterleavingStoreTest {

  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final InMemorySessionStore memory = InMemorySessionStore.create();
  private final InterleavingStore interleaving = new InterleavingStore(Stores.of(memory));
  private final ExecutorService other = Executors.newSingleThreadExecutor();
  private final DeterministicTokenGenerator random = DeterministicTokenGenerator.seeded(2);

  @AfterEach
  void tearDown() throws InterruptedException {
    interleaving.close();
    other.shutdownNow();
    assertThat(other.awaitTermination(5, TimeUnit.SECONDS)).as("no thread left parked").isTrue();
  }

  @Test
  void aThreadParksAfterTheCallUntilReleased() throws Exception {
    SessionRecord login = session("alice");
    InterleavingStore.Pause created = interleaving.pauseAfter(Operation.SESSION_CREATE);

    Future<Boolean> result = other.submit(() -> interleaving.sessions().create(login, 0));
    created.awaitParked(WAIT);

    assertThat(created.isReached()).isTrue();
    assertThat(result).isNotDone();
    assertThat(memory.findById(login.id())).as("applied, not yet returned").contains(login);
    assertThat(interleaving.sessions().revokePrincipal("alice", Set.of(), 1))
        .containsExactly(login.id());
    created.release();

    assertThat(result.get(5, TimeUnit.SECONDS)).as("the create happened before the revoke")
        .isTrue();
    assertThat(memory.findById(login.id())).isEmpty();
  }

  @Test
  void aThreadParksBeforeTheCallUntilReleased() throws Exception {
    SessionRecord login = session("alice");
    InterleavingStore.Pause creating = interleaving.pauseBefore(Operation.SESSION_CREATE);

    Future<Boolean> result = other.submit(() -> interleaving.sessions().create(login, 0));
    creating.awaitParked(WAIT);

    assertThat(memory.findById(login.id())).as("not yet applied").isEmpty();
    interleaving.sessions().revokePrincipal("alice", Set.of(), 1);
    creating.release();

    assertThat(result.get(5, TimeUnit.SECONDS)).as("fenced: the revoke came first").isFalse();
    assertThat(memory.findByPrincipal("alice", T0)).isEmpty();
  }

  @Test
  void unarmedCallsAndCallsAfterTheFirstPassStraightThrough() throws Exception {
    InterleavingStore.Pause pause = interleaving.pauseAfter(Operation.SESSION_DELETE);
    SessionRecord login = session("alice");

    assertThat(interleaving.sessions().create(login, 0)).isTrue();
    assertThat(interleaving.rememberMe().findSeries(hash())).isEmpty();
    assertThat(pause.isReached()).isFalse();

    Future<Boolean> first = other.submit(() -> interleaving.sessions().delete(login.id()));
    pause.awaitParked(WAIT);
    assertThat(interleaving.sessions().delete(login.id())).as("not paused again").isFalse();
    pause.release();
    assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aPauseReleasedBeforeItIsReachedDoesNotStop() {
    InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.PRINCIPAL_GENERATION);
    pause.release();

    assertThat(interleaving.sessions().principalGeneration("alice")).isZero();
    assertThat(pause.isReached()).isTrue();
  }

  @Test
  void anAfterPauseParksAlsoWhenTheCallThrows() throws Exception {
    SessionRecord login = session("alice");
    memory.create(login, 0);
    InterleavingStore.Pause pause = interleaving.pauseAfter(Operation.SESSION_CREATE);

    Future<Boolean> duplicate = other.submit(() -> interleaving.sessions().create(login, 0));
    pause.awaitParked(WAIT);
    assertThat(duplicate).isNotDone();
    pause.release();

    assertThatThrownBy(() -> duplicate.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(SessionStoreException.class);
  }

  @Test
  void awaitParkedFailsWhenNoThreadComes() {
    InterleavingStore.Pause pause = interleaving.pauseAfter(Operation.SERIES_REPLACE);

    assertThatThrownBy(() -> pause.awaitParked(Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("after SERIES_REPLACE");
  }

  @Test
  void closeReleasesAParkedThreadAndRefusesNewPauses() throws Exception {
    InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_FIND_BY_ID);
    Future<?> parked = other.submit(() -> interleaving.sessions().findById("nobody"));
    pause.awaitParked(WAIT);

    interleaving.close();

    assertThat(parked.get(5, TimeUnit.SECONDS)).isEqualTo(java.util.Optional.empty());
    assertThatThrownBy(() -> interleaving.pauseAfter(Operation.SESSION_FIND_BY_ID))
        .isInstanceOf(IllegalStateException.class);
    assertThat(interleaving.sessions().findById("nobody")).isEmpty();
  }

  @Test
  void closeClosesTheWrappedStores() {
    AtomicInteger closed = new AtomicInteger();
    SessionStore counting = new ForwardingSessionStore(memory) {
      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
    InterleavingStore owner = new InterleavingStore(new Stores(counting, memory));

    owner.close();
    owner.close();

    assertThat(closed).as("harmless twice, as the SPI says").hasPositiveValue();
  }

  private TokenHash hash() {
    byte[] bytes = new byte[TokenHash.LENGTH];
    random.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  private SessionRecord session(String principal) {
    return SessionRecord.authenticated("s" + IDS.incrementAndGet(), hash(),
        Authentication.interactive(principal, T0, null),
        Lifetime.startingAt(T0, 1_800_000L, 28_800_000L), ClientInfo.NONE);
  }
}
