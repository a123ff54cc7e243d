// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's logout call, {@code findAndDelete}, builds no record, id string or token
 * hash: what it allocates is the entry that later takes the id off its principal's list (and that
 * batch's own work, spread over its deletions), well under the record that a lookup by hash
 * builds before a delete by id. Counted with the JVM's per-thread allocation counter over many
 * calls after a warm-up (allocation is deterministic, unlike time: no timed assertion).
 */
class InMemoryFindAndDeleteTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final int SESSIONS = 10_000;
  /**
   * The unlisting entry and its queue node (48 bytes) and that batch's share (about 80 bytes);
   * a record with its lifetime, id string and {@code Optional} is about 170 bytes on its own.
   */
  private static final double MAX_BYTES_PER_CALL = 160;

  private final Random random = new Random(7);

  private SessionRecord session(int i) {
    byte[] hash = new byte[32];
    random.nextBytes(hash);
    byte[] id = new byte[12];
    random.nextBytes(id);
    return SessionRecord.authenticated(Base64.getUrlEncoder().withoutPadding().encodeToString(id),
        TokenHash.of(hash), Authentication.interactive("user-" + (i % 100), T0, null),
        Lifetime.startingAt(T0, 60_000, 600_000), ClientInfo.NONE);
  }

  @Test
  void findAndDeleteBuildsNoRecordIdOrHash() {
    InMemorySessionStore store = InMemorySessionStore.create();
    SessionRecord[] records = new SessionRecord[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      records[i] = session(i);
    }
    double least = Double.MAX_VALUE;
    long deleted = 0;
    for (int round = 0; round < 12; round++) {
      for (SessionRecord r : records) {
        assertThat(store.create(r, Long.MAX_VALUE)).isTrue();
      }
      long start = allocated();
      for (SessionRecord r : records) {
        TokenHash h = r.tokenHash();
        SessionView v = store.findAndDelete(h.word(0), h.word(1), h.word(2), h.word(3), "", T0);
        deleted += v != null ? 1 : 0;
      }
      long bytes = allocated() - start;
      if (round >= 4) { // the least of the rounds after a warm-up, once the JIT compiled the path
        least = Math.min(least, (double) bytes / SESSIONS);
      }
      assertThat(store.size()).isZero();
    }
    assertThat(deleted).as("each call deleted its session").isEqualTo(12L * SESSIONS);
    System.out.printf("InMemoryFindAndDeleteTest: %.1f bytes per findAndDelete%n", least);
    assertThat(least).as("bytes allocated per findAndDelete").isLessThan(MAX_BYTES_PER_CALL);
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
