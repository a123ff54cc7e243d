// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.ClientInfo;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The per-request path allocates almost nothing: a resolve that records its access on the
 * in-memory store allocates the {@link Session} and its {@link Optional} (40 bytes with compressed
 * references), nothing per lookup key, record or id. Counted with the JVM's per-thread allocation
 * counter over many calls after a warm-up (allocation is deterministic, unlike time, so this is
 * no timed assertion); {@code ResolveBenchmark} with {@code -prof gc} measures the same in JMH.
 */
class RequestPathAllocationTest {

  private static final int SESSIONS = 1_000;
  private static final int CALLS = 200_000;
  /** Below the per-request floor's own allocation; the Session and its Optional are 40 bytes. */
  private static final double MAX_BYTES_PER_RESOLVE = 48;

  private static com.sun.management.ThreadMXBean threads() {
    return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  }

  @Test
  void aResolveThatRecordsItsAccessAllocatesLessThan48Bytes() {
    // a clock that moves a millisecond per read: every resolve writes (touchInterval zero)
    AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    InstantSource ticking = new InstantSource() {
      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis());
      }

      @Override
      public long millis() {
        return millis.incrementAndGet();
      }
    };
    SessionManager manager = SessionManager.builder()
        .config(SessionConfig.builder().touchInterval(Duration.ZERO).build())
        .clock(ticking)
        .build();
    String[] tokens = new String[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      tokens[i] = manager.authenticate("user-" + i, ClientInfo.NONE, false).token();
    }
    long before = manager.resolve(tokens[0]).orElseThrow().lastAccessedAt().toEpochMilli();

    double perCall = bytesPerCall(manager, tokens);

    assertThat(manager.resolve(tokens[0]).orElseThrow().lastAccessedAt().toEpochMilli())
        .as("every resolve recorded its access").isGreaterThan(before + CALLS / SESSIONS);
    assertThat(perCall).as("bytes allocated per resolve-and-touch").isLessThan(MAX_BYTES_PER_RESOLVE);
  }

  @Test
  void anUnknownTokenAllocatesNothingButItsEmptyAnswer() {
    SessionManager manager = SessionManager.builder().build();
    String[] unknown = new String[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      unknown[i] = Tokens.newToken(TokenGenerator.secure());
    }
    assertThat(bytesPerCall(manager, unknown)).as("bytes per unknown token").isLessThan(8);
  }

  /**
   * Warms the path up, then measures this thread's allocation over {@link #CALLS} resolves, five
   * times, and returns the least per call: once the JIT has compiled the path the count is the
   * same every round, and a round that ran partly interpreted (the compiler starved by other
   * work on the machine) only counts more.
   */
  private static double bytesPerCall(SessionManager manager, String[] tokens) {
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < CALLS; i++) {
        sink += sink(manager.resolve(tokens[i % tokens.length]));
      }
    }
    long thread = Thread.currentThread().getId();
    double least = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = threads().getThreadAllocatedBytes(thread);
      for (int i = 0; i < CALLS; i++) {
        sink += sink(manager.resolve(tokens[i % tokens.length]));
      }
      long allocated = threads().getThreadAllocatedBytes(thread) - start;
      least = Math.min(least, (double) allocated / CALLS);
    }
    assertThat(sink).isNotNegative();
    System.out.printf("RequestPathAllocationTest: %.1f bytes per resolve%n", least);
    return least;
  }

  private static long sink(Optional<Session> session) {
    return session.isPresent() ? 1 : 0;
  }
}
