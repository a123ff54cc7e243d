// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The store's compact parts: packed ids, the reference-only indexes, the expiry buckets. */
class SlotTableTest {

  private final Random random = new Random(42);

  private String newId() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private TokenHash newHash() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  private Slot slot(String id, TokenHash hash) {
    SessionRecord record = SessionRecord.anonymous(id, hash, Lifetime.startingAt(0, 1000, 5000),
        ClientInfo.NONE);
    return new Slot(id, record);
  }

  @Test
  void packedIdsComeBackAsTheSameText() {
    for (int i = 0; i < 2000; i++) {
      String id = newId();
      Slot slot = slot(id, newHash());
      assertThat(slot.idText).isNull();
      assertThat(slot.id()).isEqualTo(id);
      assertThat(slot.hasId(id)).isTrue();
      assertThat(slot.idHash()).isEqualTo(Slot.idHash(id));
    }
    assertThat(slot("AAAAAAAAAAAAAAAA", newHash()).id()).isEqualTo("AAAAAAAAAAAAAAAA");
    assertThat(slot("________________", newHash()).id()).isEqualTo("________________");
  }

  @Test
  void idsThatAreNotCanonicalAreKeptAsText() {
    for (String id : List.of("s1", "", "abcdefghijklmno+", "abcdefghijklmnopq", "ä123456789012345")) {
      Slot slot = slot(id, newHash());
      assertThat(slot.idText).isEqualTo(id);
      assertThat(slot.id()).isEqualTo(id);
      assertThat(slot.hasId(id)).isTrue();
      assertThat(slot.idHash()).isEqualTo(Slot.idHash(id));
    }
    assertThat(slot("AAAAAAAAAAAAAAAA", newHash()).hasId("AAAAAAAAAAAAAAAB")).isFalse();
    assertThat(slot("s1", newHash()).hasId("AAAAAAAAAAAAAAAA")).isFalse();
  }

  @Test
  void indexesFindEverySlotThroughGrowthAndRemovals() {
    IdIndex byId = new IdIndex();
    TokenIndex byToken = new TokenIndex();
    List<Slot> slots = new ArrayList<>();
    List<TokenHash> hashes = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      TokenHash hash = newHash();
      Slot slot = slot(newId(), hash);
      assertThat(byId.add(slot, slot.id())).isTrue();
      assertThat(byToken.add(hash, slot)).isTrue();
      slots.add(slot);
      hashes.add(hash);
    }
    for (int i = 0; i < slots.size(); i += 2) {
      Slot slot = slots.get(i);
      slot.delete();
      byId.remove(slot);
      byToken.remove(hashes.get(i), slot);
    }
    for (int round = 0; round < 3; round++) { // reuse the tombstones, then grow again
      for (int i = 0; i < 5_000; i++) {
        TokenHash hash = newHash();
        Slot slot = slot(newId(), hash);
        byId.add(slot, slot.id());
        byToken.add(hash, slot);
        slots.add(slot);
        hashes.add(hash);
      }
    }
    for (int i = 0; i < slots.size(); i++) {
      boolean live = i >= 20_000 || i % 2 == 1;
      Slot slot = slots.get(i);
      assertThat(byId.get(slot.id())).isSameAs(live ? slot : null);
      assertThat(byToken.get(hashes.get(i))).isSameAs(live ? slot : null);
    }
  }

  @Test
  void manyInsertAndDeleteCyclesAtASteadyHighLoadKeepEveryProbeChain() {
    // a steady population just below a rebuild: every delete leaves a tombstone in a chain that
    // later inserts and lookups must still walk past, for many generations of tombstones
    IdIndex byId = new IdIndex();
    TokenIndex byToken = new TokenIndex();
    List<Slot> live = new ArrayList<>();
    List<TokenHash> liveHashes = new ArrayList<>();
    List<Slot> dead = new ArrayList<>();
    List<TokenHash> deadHashes = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      TokenHash hash = newHash();
      Slot slot = slot(newId(), hash);
      assertThat(byId.add(slot, slot.id())).isTrue();
      assertThat(byToken.add(hash, slot)).isTrue();
      live.add(slot);
      liveHashes.add(hash);
    }
    for (int cycle = 1; cycle <= 60_000; cycle++) {
      int victim = random.nextInt(live.size());
      Slot gone = live.get(victim);
      TokenHash goneHash = liveHashes.get(victim);
      gone.delete();
      byId.remove(gone);
      byToken.remove(goneHash, gone);
      dead.add(gone);
      deadHashes.add(goneHash);
      TokenHash hash = newHash();
      Slot slot = slot(newId(), hash);
      assertThat(byId.add(slot, slot.id())).isTrue();
      assertThat(byToken.add(hash, slot)).isTrue();
      live.set(victim, slot);
      liveHashes.set(victim, hash);
      if (cycle % 10_000 == 0) {
        for (int i = 0; i < live.size(); i++) {
          Slot s = live.get(i);
          TokenHash h = liveHashes.get(i);
          assertThat(byId.get(s.id())).as("cycle %s: live by id", cycle).isSameAs(s);
          assertThat(byToken.get(h)).as("cycle %s: live by hash", cycle).isSameAs(s);
          assertThat(byToken.get(h.word(0), h.word(1), h.word(2), h.word(3)))
              .as("cycle %s: live by words", cycle).isSameAs(s);
        }
        for (int i = Math.max(0, dead.size() - 2_000); i < dead.size(); i++) {
          assertThat(byId.get(dead.get(i).id())).as("cycle %s: deleted", cycle).isNull();
          assertThat(byToken.get(deadHashes.get(i))).as("cycle %s: deleted", cycle).isNull();
        }
      }
    }
  }

  /** A hash whose hash code (its low 32 bits of word 0) is {@code code}. */
  private TokenHash hashWithCode(int code) {
    return TokenHash.ofWords(((long) random.nextInt() << 32) | (code & 0xFFFFFFFFL),
        random.nextLong(), random.nextLong(), random.nextLong());
  }

  @Test
  void aRotatedSlotIsFoundByItsNewHashWhenTheProbeRunsOfBothHashesOverlap() {
    // Three hash codes in segment 0 whose probe runs in its first array (16 positions, the
    // position is the code's low 26 bits scaled to 16) start at positions 4 and 5: the new hash
    // (position 4, taken by another slot) runs over the old hash's position 5.
    TokenIndex byToken = new TokenIndex();
    TokenHash old = hashWithCode(5 << 22);
    TokenHash other = hashWithCode(4 << 22);
    TokenHash renewed = hashWithCode((4 << 22) + 1);
    Slot otherSlot = slot(newId(), other);
    byToken.add(other, otherSlot);
    SessionRecord record = SessionRecord.anonymous(newId(), old, Lifetime.startingAt(0, 1000,
        5000), ClientInfo.NONE);
    Slot slot = new Slot(record.id(), record);
    byToken.add(old, slot);

    // a rotation: the new version first, then the new hash added and the old one removed
    SessionRecord rotated = SessionRecord.anonymous(record.id(), renewed, record.lifetime(),
        ClientInfo.NONE);
    assertThat(slot.compareAndSet(slot.version(), slot.version().rotatedTo(rotated))).isTrue();
    assertThat(byToken.add(renewed, slot)).isTrue();
    byToken.remove(old, slot);

    assertThat(byToken.get(renewed)).isSameAs(slot);
    assertThat(byToken.get(old)).isNull();
    assertThat(byToken.get(other)).isSameAs(otherSlot);
    byToken.remove(renewed, slot);
    assertThat(byToken.get(renewed)).isNull();
    assertThat(byToken.get(other)).isSameAs(otherSlot);
  }

  @Test
  void aSecondLiveSlotWithTheSameKeyIsRefused() {
    IdIndex byId = new IdIndex();
    TokenIndex byToken = new TokenIndex();
    TokenHash hash = newHash();
    Slot first = slot("AAAAAAAAAAAAAAAA", hash);
    Slot second = slot("AAAAAAAAAAAAAAAA", hash);
    assertThat(byId.add(first, first.id())).isTrue();
    assertThat(byToken.add(hash, first)).isTrue();
    assertThat(byId.add(second, second.id())).isFalse();
    assertThat(byToken.add(hash, second)).isFalse();
    assertThat(byToken.add(hash, first)).as("adding a slot again is a no-op").isTrue();

    first.delete(); // a deleted slot no longer holds its keys
    assertThat(byId.add(second, second.id())).isTrue();
    assertThat(byId.get("AAAAAAAAAAAAAAAA")).isSameAs(second);
  }

  @Test
  void readersFindStableSlotsWhileAWriterGrowsAndShrinksTheIndex() throws Exception {
    TokenIndex byToken = new TokenIndex();
    List<Slot> stable = new ArrayList<>();
    List<TokenHash> stableHashes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      TokenHash hash = newHash();
      Slot slot = slot(newId(), hash);
      byToken.add(hash, slot);
      stable.add(slot);
      stableHashes.add(hash);
    }
    AtomicInteger misses = new AtomicInteger();
    Thread[] readers = new Thread[2];
    boolean[] stop = {false};
    for (int r = 0; r < readers.length; r++) {
      readers[r] = new Thread(() -> {
        int i = 0;
        while (!stopped(stop)) {
          int k = i++ % stable.size();
          if (byToken.get(stableHashes.get(k)) != stable.get(k)) {
            misses.incrementAndGet();
          }
        }
      });
      readers[r].start();
    }
    Random writerRandom = new Random(7);
    for (int round = 0; round < 20; round++) {
      List<Slot> churn = new ArrayList<>();
      List<TokenHash> churnHashes = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        byte[] bytes = new byte[32];
        writerRandom.nextBytes(bytes);
        TokenHash hash = TokenHash.of(bytes);
        Slot slot = slot("AAAAAAAAAAAAAAAA", hash);
        byToken.add(hash, slot);
        churn.add(slot);
        churnHashes.add(hash);
      }
      for (int i = 0; i < churn.size(); i++) {
        churn.get(i).delete();
        byToken.remove(churnHashes.get(i), churn.get(i));
      }
    }
    synchronized (stop) {
      stop[0] = true;
    }
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(misses.get()).isZero();
  }

  private static boolean stopped(boolean[] stop) {
    synchronized (stop) {
      return stop[0];
    }
  }

  @Test
  void expiryBucketsHandOutOnlyStartedBucketsAndLoseNoLateAddition() {
    ExpiryBuckets buckets = new ExpiryBuckets();
    Slot early = slot(newId(), newHash());
    Slot late = slot(newId(), newHash());
    buckets.add(early, 1000);
    buckets.add(late, 10 * ExpiryBuckets.BUCKET_MILLIS);

    assertThat(buckets.takeDue(999)).containsExactly(early); // its bucket started at 0
    assertThat(buckets.takeDue(1000)).isNull();
    buckets.add(early, 1000); // after its bucket was taken: a new one
    assertThat(buckets.takeDue(1000)).containsExactly(early);
    assertThat(buckets.takeDue(10 * ExpiryBuckets.BUCKET_MILLIS - 1)).isNull();
    assertThat(buckets.takeDue(10 * ExpiryBuckets.BUCKET_MILLIS)).containsExactly(late);
  }
}
