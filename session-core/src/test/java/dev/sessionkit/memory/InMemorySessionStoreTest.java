package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.contract.SessionStoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest extends SessionStoreContract {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }

  @Test
  void aFullStoreRefusesNewSessionsWithAClearError() {
    InMemorySessionStore small = InMemorySessionStore.withMaxSessions(2);
    small.create(session("alice", t0));
    small.create(session("alice", t0));
    assertThatThrownBy(() -> small.create(session("bob", t0)))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("full")
        .hasMessageContaining("maxSessions=2");
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void aFullStoreAcceptsSessionsAgainAfterAPurge() {
    InMemorySessionStore small = InMemorySessionStore.withMaxSessions(1);
    small.create(session("alice", t0 - IDLE));
    assertThat(small.purgeExpired(t0, 10)).hasSize(1);
    small.create(session("bob", t0));
    assertThat(small.size()).isEqualTo(1);
  }

  @Test
  void maxSessionsMustBePositive() {
    assertThatThrownBy(() -> InMemorySessionStore.withMaxSessions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSessions");
  }

  // Touches are recorded in place, beside the record (see the class comment): every other change
  // must keep the latest touch.

  @Test
  void anAttributeWriteKeepsATouchRecordedInPlace() {
    SessionRecord record = session("alice", t0);
    store.create(record);
    store.touch(record.id(), t0 + 5000);

    store.updateAttributes(record.id(), Map.of("cart", "book"), Set.of());

    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lastAccessedAt()).isEqualTo(t0 + 5000);
    assertThat(found.attributes()).containsEntry("cart", "book");
    assertThat(store.findByTokenHash(record.tokenHash()).orElseThrow().lastAccessedAt())
        .isEqualTo(t0 + 5000);
  }

  @Test
  void aReplacementKeepsALaterTouchRecordedInPlace() {
    SessionRecord record = session("alice", t0);
    store.create(record);
    store.touch(record.id(), t0 + 9000);
    SessionRecord renewed = new SessionRecord(record.id(), randomHash(), "alice", t0, t0,
        record.authenticationMethod(), t0 + 1000, IDLE, t0 + ABSOLUTE, null, null, null, Map.of());

    assertThat(store.replaceMetadata(record.id(), record.tokenHash(), renewed)).isTrue();

    assertThat(store.findByTokenHash(renewed.tokenHash()).orElseThrow().lastAccessedAt())
        .isEqualTo(t0 + 9000);
    assertThat(store.findByPrincipal("alice", t0 + IDLE + 1000)).extracting(SessionRecord::id)
        .containsExactly(record.id());
  }

  @Test
  void concurrentTouchesAndAttributeWritesLoseNothing() {
    SessionRecord record = session("alice", t0);
    store.create(record);
    List<CompletableFuture<Long>> touches = new ArrayList<>();
    for (int thread = 0; thread < 4; thread++) {
      touches.add(CompletableFuture.supplyAsync(() -> {
        long latest = 0;
        for (int i = 0; i < 2000; i++) {
          long time = t0 + ThreadLocalRandom.current().nextInt(1, 1_000_000);
          assertThat(store.touch(record.id(), time)).isTrue();
          latest = Math.max(latest, time);
        }
        return latest;
      }));
    }
    CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 200; i++) {
        store.updateAttributes(record.id(), Map.of("a" + i, i), Set.of());
      }
    });

    long latest = touches.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
    writes.join();

    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lastAccessedAt()).isEqualTo(latest);
    assertThat(found.attributes()).hasSize(200);
  }

  // A touch right after a find by token hash must touch only the session registered under the id
  // it is given, also when the found session was deleted and its id reused meanwhile.

  @Test
  void aTouchAfterFindingAnotherSessionTouchesTheRightOne() {
    SessionRecord alice = session("alice", t0);
    SessionRecord bob = session("bob", t0);
    store.create(alice);
    store.create(bob);

    store.findByTokenHash(alice.tokenHash());
    assertThat(store.touch(bob.id(), t0 + 7000)).isTrue();

    assertThat(store.findById(bob.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0 + 7000);
    assertThat(store.findById(alice.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0);
  }

  @Test
  void aTouchAfterTheFoundSessionWasDeletedAndItsIdReusedTouchesTheNewSession() {
    SessionRecord first = session("alice", t0);
    store.create(first);
    store.findByTokenHash(first.tokenHash());
    store.delete(first.id());
    SessionRecord second = new SessionRecord(first.id(), randomHash(), "bob", t0, t0,
        first.authenticationMethod(), t0, IDLE, t0 + ABSOLUTE, null, null, null, Map.of());
    store.create(second);

    assertThat(store.touch(first.id(), t0 + 3000)).isTrue();

    assertThat(store.findById(first.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0 + 3000);
    assertThat(store.findByTokenHash(first.tokenHash())).isEmpty();
  }

  @Test
  void aTouchOfTheFoundSessionAfterItWasDeletedFails() {
    SessionRecord record = session("alice", t0);
    store.create(record);
    store.findByTokenHash(record.tokenHash());
    store.delete(record.id());

    assertThat(store.touch(record.id(), t0 + 1000)).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
  }

  @Test
  void aTouchFromAnotherThreadThanTheFindWorks() {
    SessionRecord record = session("alice", t0);
    store.create(record);
    store.findByTokenHash(record.tokenHash());

    assertThat(CompletableFuture.supplyAsync(() -> store.touch(record.id(), t0 + 2000)).join())
        .isTrue();
    assertThat(store.findById(record.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0 + 2000);
  }
}
