// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The session store contract against the in-memory store, and what is particular to it. */
class InMemorySessionStoreContractTest extends SessionStoreContract {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }

  @Test
  void aFullStoreRefusesNewSessionsWithAClearError() {
    InMemorySessionStore small = InMemorySessionStore.withMaxSessions(2);
    small.create(session("alice", t0), 0);
    small.create(session("alice", t0), 0);
    assertThatThrownBy(() -> small.create(session("bob", t0), 0))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("full")
        .hasMessageContaining("maxSessions=2");
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void aFullStoreAcceptsSessionsAgainAfterAPurge() {
    InMemorySessionStore small = InMemorySessionStore.withMaxSessions(1);
    small.create(session("alice", t0 - IDLE), 0);
    assertThat(small.purgeExpired(t0, 10)).hasSize(1);
    small.create(session("bob", t0), 0);
    assertThat(small.size()).isEqualTo(1);
  }

  @Test
  void maxSessionsMustBePositive() {
    assertThatThrownBy(() -> InMemorySessionStore.withMaxSessions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSessions");
  }

  @Test
  void anAttributeWriteKeepsATouchRecordedInPlace() {
    SessionRecord record = session("alice", t0);
    store.create(record, 0);
    store.touch(record.id(), t0 + 5000);

    store.updateAttributes(record.id(), record.principal(), Map.of("cart", "book"), Set.of());

    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lifetime().lastAccessedAt()).isEqualTo(t0 + 5000);
    assertThat(found.attributes()).containsEntry("cart", "book");
    assertThat(store.findByTokenHash(record.tokenHash()).orElseThrow().lifetime()
        .lastAccessedAt()).isEqualTo(t0 + 5000);
  }

  @Test
  void aRotationKeepsALaterTouchRecordedInPlace() {
    SessionRecord record = session("alice", t0);
    store.create(record, 0);
    store.touch(record.id(), t0 + 9000);
    SessionRecord renewed = renewed(record, t0 + 1000);

    assertThat(store.rotate(record.id(), record.tokenHash(), renewed, 0)).isTrue();

    assertThat(store.findByTokenHash(renewed.tokenHash()).orElseThrow().lifetime()
        .lastAccessedAt()).isEqualTo(t0 + 9000);
    assertThat(store.findByPrincipal("alice", t0 + IDLE + 1000)).extracting(SessionRecord::id)
        .containsExactly(record.id());
  }

  @Test
  void concurrentTouchesAndAttributeWritesLoseNothing() {
    SessionRecord record = session("alice", t0);
    store.create(record, 0);
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
        store.updateAttributes(record.id(), record.principal(), Map.of("a" + i, i), Set.of());
      }
    });

    long latest = touches.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
    writes.join();

    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lifetime().lastAccessedAt()).isEqualTo(latest);
    assertThat(found.attributes()).hasSize(200);
  }

  @Test
  void aTouchOfTheFoundSessionAfterItWasDeletedFails() {
    SessionRecord record = session("alice", t0);
    store.create(record, 0);
    store.findByTokenHash(record.tokenHash());
    store.delete(record.id());

    assertThat(store.touch(record.id(), t0 + 1000)).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
  }

  @Test
  void aSessionWithAnIdThatIsNotCanonicalWorksThroughEveryOperation() {
    SessionRecord anonymous = anonymous(t0);
    SessionRecord record = new SessionRecord("legacy id: ä", anonymous.tokenHash(), null, null,
        anonymous.lifetime(), anonymous.client(), Map.of());
    store.create(record, 0);

    assertThat(store.touch("legacy id: ä", t0 + 10)).isTrue();
    assertThat(store.updateAttributes("legacy id: ä", null, Map.of("cart", "book"), Set.of()))
        .isTrue();
    SessionRecord found = store.findByTokenHash(record.tokenHash()).orElseThrow();
    assertThat(found.id()).isEqualTo("legacy id: ä");
    assertThat(found.attributes()).containsEntry("cart", "book");
    assertThat(store.findById("legacy id: ä")).isPresent();
    assertThat(store.delete("legacy id: ä")).isTrue();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
  }

  @Test
  void aPurgeWithALimitLeavesTheRestDueForTheNextPurge() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      SessionRecord record = anonymous(t0 - IDLE - i);
      store.create(record, 0);
      ids.add(record.id());
    }
    SessionRecord live = anonymous(t0);
    store.create(live, 0);

    assertThat(store.purgeExpired(t0, 10)).hasSize(10);
    assertThat(store.purgeExpired(t0, 10)).hasSize(10);
    assertThat(store.purgeExpired(t0, 10)).hasSize(5);
    assertThat(store.purgeExpired(t0, 10)).isEmpty();
    assertThat(ids).allSatisfy(id -> assertThat(store.findById(id)).isEmpty());
    assertThat(store.findById(live.id())).isPresent();
    assertThat(((InMemorySessionStore) store).size()).isEqualTo(1);
    assertThat(store.purgeExpired(t0 + IDLE, 10)).extracting(e -> e.sessionId())
        .containsExactly(live.id());
  }

  @Test
  void touchesRacingRotationsLoseNoAccessAndLeaveOneTokenPerRotation() {
    SessionRecord record = session("alice", t0);
    store.create(record, 0);
    CompletableFuture<Long> touches = CompletableFuture.supplyAsync(() -> {
      long latest = 0;
      for (int i = 0; i < 5000; i++) {
        long time = t0 + ThreadLocalRandom.current().nextInt(1, 1_000_000);
        store.touch(record.id(), time);
        latest = Math.max(latest, time);
      }
      return latest;
    });
    SessionRecord current = record;
    for (int i = 0; i < 300; i++) {
      SessionRecord next = renewed(current, t0 + 1);
      assertThat(store.rotate(record.id(), current.tokenHash(), next, 0)).isTrue();
      current = next;
    }
    long latest = touches.join();

    SessionRecord found = store.findByTokenHash(current.tokenHash()).orElseThrow();
    assertThat(found.lifetime().lastAccessedAt()).isEqualTo(latest);
    assertThat(store.findByTokenHash(record.tokenHash())).as("long rotated away").isEmpty();
  }
}
