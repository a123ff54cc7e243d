// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An ended session's slot does not stay in the expiry queue until its expiry would have been due:
 * a full bucket drops deleted slots before it grows, and a purge sweeps them from buckets not yet
 * due. Live sessions are never dropped: the purge still finds each of them, once.
 */
class ExpiryRetentionTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long IDLE = 60_000;
  private final Random random = new Random(13);
  private final InMemorySessionStore store = InMemorySessionStore.create();

  private SessionRecord session(int i) {
    byte[] hash = new byte[32];
    random.nextBytes(hash);
    byte[] id = new byte[12];
    random.nextBytes(id);
    String sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    Lifetime lifetime = Lifetime.startingAt(T0, IDLE, 600_000);
    return i % 2 == 0
        ? SessionRecord.authenticated(sessionId, TokenHash.of(hash),
            Authentication.interactive("user-" + (i % 10), T0, null), lifetime, ClientInfo.NONE)
        : SessionRecord.anonymous(sessionId, TokenHash.of(hash), lifetime, ClientInfo.NONE);
  }

  @Test
  void loginsAndLogoutsWithinOneBucketLeaveAtMostOneArrayOfDeletedSlots() {
    Set<String> live = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      SessionRecord s = session(i);
      assertThat(store.create(s, 0)).isTrue();
      if (i % 10 == 0) {
        live.add(s.id());
      } else {
        assertThat(store.delete(s.id())).isTrue();
      }
    }

    // before: all 20 000 stayed queued; now the deleted ones are dropped as the bucket fills
    assertThat(store.queuedSlots()).isLessThanOrEqualTo(2 * live.size());

    assertThat(store.purgeExpired(T0 + IDLE - 1, Integer.MAX_VALUE)).isEmpty();
    List<ExpiredSession> purged = store.purgeExpired(T0 + IDLE, Integer.MAX_VALUE);
    assertThat(purged).extracting(ExpiredSession::sessionId).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(live);
    assertThat(store.purgeExpired(T0 + 10 * IDLE, Integer.MAX_VALUE)).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void aPurgeSweepsDeletedSlotsFromBucketsNotYetDue() {
    List<SessionRecord> sessions = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      SessionRecord s = session(i);
      assertThat(store.create(s, 0)).isTrue();
      sessions.add(s);
    }
    Set<String> live = new HashSet<>();
    for (int i = 0; i < sessions.size(); i++) {
      if (i % 5 == 0) {
        live.add(sessions.get(i).id());
      } else {
        assertThat(store.delete(sessions.get(i).id())).isTrue();
      }
    }
    assertThat(store.queuedSlots()).isEqualTo(5_000); // all were live while the bucket filled

    assertThat(store.purgeExpired(T0 + 1_000, 1_000)).isEmpty(); // nothing due yet

    assertThat(store.queuedSlots()).isEqualTo(live.size());
    List<ExpiredSession> purged = store.purgeExpired(T0 + IDLE, Integer.MAX_VALUE);
    assertThat(purged).extracting(ExpiredSession::sessionId).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(live);
  }

  @Test
  void aSlotQueuedTwiceByAShorteningRotationIsDroppedFromBothOnceDeleted() {
    List<SessionRecord> sessions = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      SessionRecord s = session(2 * i + 1); // anonymous
      assertThat(store.create(s, 0)).isTrue();
      sessions.add(s);
    }
    for (SessionRecord s : sessions) { // a shorter idle timeout queues each slot a second time
      assertThat(store.setIdleTimeout(s.id(), null, IDLE / 2)).isTrue();
    }
    assertThat(store.queuedSlots()).isEqualTo(4_000);
    SessionRecord kept = sessions.remove(0);
    for (SessionRecord s : sessions) {
      assertThat(store.delete(s.id())).isTrue();
    }

    assertThat(store.purgeExpired(T0 + 1_000, 10)).isEmpty();

    assertThat(store.queuedSlots()).isEqualTo(2);
    assertThat(store.purgeExpired(T0 + IDLE / 2, 10)).extracting(ExpiredSession::sessionId)
        .containsExactly(kept.id());
    assertThat(store.purgeExpired(T0 + IDLE, 10)).isEmpty();
  }

  @Test
  void deletedSlotsBecomeUnreachableAfterAPurge() {
    int n = 3_000;
    List<WeakReference<Slot>> slots = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SessionRecord s = session(i);
      assertThat(store.create(s, 0)).isTrue();
      TokenHash h = s.tokenHash();
      SessionView view = store.findAndTouch(h.word(0), h.word(1), h.word(2), h.word(3), null, T0,
          0);
      slots.add(new WeakReference<>(((Slot.Version) view).slot));
      ids.add(s.id());
    }
    for (String id : ids) {
      assertThat(store.delete(id)).isTrue();
    }
    assertThat(store.purgeExpired(T0 + 1_000, 10)).isEmpty();

    long left = n;
    for (int attempt = 0; attempt < 50 && left > 0; attempt++) {
      System.gc();
      left = slots.stream().filter(r -> r.get() != null).count();
    }
    assertThat(left).as("deleted slots still reachable").isZero();
    Reference.reachabilityFence(store);
  }
}
