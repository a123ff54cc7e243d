// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A deleted session's id leaves its principal's entry in a batch, not in the delete: the entry is
 * still correct for every reader meanwhile, and entries of principals without sessions go away.
 */
class DeferredUnlistingTest {

  private static final long T0 = 1_700_000_000_000L;
  private final Random random = new Random(11);
  private final InMemorySessionStore store = InMemorySessionStore.create();

  private SessionRecord session(String principal, String id) {
    byte[] hash = new byte[32];
    random.nextBytes(hash);
    return SessionRecord.authenticated(id, TokenHash.of(hash),
        Authentication.interactive(principal, T0, null), Lifetime.startingAt(T0, 60_000, 600_000),
        ClientInfo.NONE);
  }

  private String newId() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  void aDeletedSessionIsNeverListedAndItsPrincipalEntryGoesAtTheNextPurge() {
    SessionRecord s = session("alice", newId());
    assertThat(store.create(s, 0)).isTrue();
    assertThat(store.delete(s.id())).isTrue();

    assertThat(store.findByPrincipal("alice", T0)).isEmpty();
    assertThat(store.revokePrincipal("bob", Set.of(), 0)).isEmpty();
    store.purgeExpired(T0, 10);
    assertThat(store.principalEntries()).isZero();
  }

  @Test
  void aSessionCreatedAgainUnderItsIdBeforeTheBatchStaysListedForForceLogout() {
    SessionRecord s = session("alice", newId());
    assertThat(store.create(s, 0)).isTrue();
    assertThat(store.delete(s.id())).isTrue();
    assertThat(store.create(s, 0)).as("the same session put back (a restore)").isTrue();

    store.purgeExpired(T0, 10); // the batch runs: the id is live again, so it stays listed

    assertThat(store.findByPrincipal("alice", T0)).containsExactly(s);
    assertThat(store.revokePrincipal("alice", Set.of(), 1)).containsExactly(s.id());
    assertThat(store.findById(s.id())).isEmpty();
  }

  @Test
  void manyLogoutsWithoutAPurgeLeaveAtMostOneBatchOfEntries() {
    List<String> ids = new ArrayList<>();
    int logouts = 5 * InMemorySessionStore.UNLIST_BATCH;
    for (int i = 0; i < logouts; i++) {
      SessionRecord s = session("user-" + i, newId());
      assertThat(store.create(s, 0)).isTrue();
      ids.add(s.id());
    }
    for (String id : ids) {
      assertThat(store.delete(id)).isTrue();
    }
    assertThat(store.principalEntries()).as("entries of principals without sessions")
        .isLessThan(InMemorySessionStore.UNLIST_BATCH);
    assertThat(store.size()).isZero();
  }

  @Test
  void aPrincipalKeepsItsOtherSessionsListedWhileOneIsUnlistedLater() {
    SessionRecord a = session("alice", newId());
    SessionRecord b = session("alice", newId());
    assertThat(store.create(a, 0)).isTrue();
    assertThat(store.create(b, 0)).isTrue();
    assertThat(store.delete(a.id())).isTrue();

    assertThat(store.findByPrincipal("alice", T0)).containsExactly(b);
    store.purgeExpired(T0, 10);
    assertThat(store.findByPrincipal("alice", T0)).containsExactly(b);
    assertThat(store.revokePrincipal("alice", Set.of(), 1)).containsExactly(b.id());
    assertThat(store.principalEntries()).as("a revoked principal's entry stays").isEqualTo(1);
  }
}
