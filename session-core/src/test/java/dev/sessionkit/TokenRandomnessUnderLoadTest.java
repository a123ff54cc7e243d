// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Randomness under load (OWASP ASVS 7.2.3, 11.5.1): 8 threads draw 1 000 000 tokens from the
 * default generator at once. All are distinct, and no thread ever blocked or waited while drawing:
 * each thread has its own DRBG instance, so there is no shared lock to queue on. "No thread
 * blocked" is asserted by the JVM's per-thread counts of monitor blocks and waits, which do not
 * depend on timing (a shared {@code SecureRandom} makes them climb into the thousands).
 */
class TokenRandomnessUnderLoadTest {

  static final int THREADS = 8;
  static final int TOKENS = 1_000_000;

  @Test
  void eightThreadsDrawAMillionDistinctTokensAndNoneEverBlocks() throws Exception {
    ThreadMXBean jvm = ManagementFactory.getThreadMXBean();
    TokenGenerator random = TokenGenerator.secure();
    int perThread = TOKENS / THREADS;
    long[][] prefixes = new long[THREADS][perThread];
    long[][] contention = new long[THREADS][];
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int index = t;
      Thread thread = new Thread(() -> {
        try {
          Tokens.newToken(random); // seeds this thread's DRBG (once, from the OS)
          start.await();
          ThreadInfo before = jvm.getThreadInfo(Thread.currentThread().getId());
          for (int i = 0; i < perThread; i++) {
            String token = Tokens.newToken(random);
            prefixes[index][i] = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token)).getLong();
          }
          ThreadInfo after = jvm.getThreadInfo(Thread.currentThread().getId());
          contention[index] = new long[] {after.getBlockedCount() - before.getBlockedCount(),
              after.getWaitedCount() - before.getWaitedCount()};
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "token-drawer-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();

    for (int t = 0; t < THREADS; t++) {
      assertThat(contention[t]).as("blocks and waits of thread %s while drawing", t)
          .containsExactly(0, 0);
    }
    // Distinct 64-bit prefixes imply distinct tokens. (Among 10^6 uniform 64-bit values a
    // collision has probability about 3e-8, so a failure here means the tokens are not random.)
    long[] all = Arrays.stream(prefixes).flatMapToLong(Arrays::stream).sorted().toArray();
    assertThat(all).hasSize(TOKENS);
    for (int i = 1; i < all.length; i++) {
      assertThat(all[i]).as("token prefix %s repeated", i).isNotEqualTo(all[i - 1]);
    }
  }
}
