// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.testing.MutableClock;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Purge of 10^4 expired sessions among 10^5: each invocation removes exactly the expired ones,
 * which are put back before the next invocation, outside the measurement ({@code
 * Level.Invocation}).
 *
 * <ul>
 *   <li>{@code sessionkitPurge}: {@code SessionManager.purgeExpired()} on the in-memory store,
 *       which walks its expiry queue from the front and stops at the first session not due: its
 *       cost should follow the 10^4 expired sessions, not the 10^5. Time comes from a {@link
 *       MutableClock}: 10^4 sessions are created, the clock moves 20 minutes, 9 x 10^4 more are
 *       created, and the clock moves past the first ones' 30-minute idle timeout.
 *   <li>{@code tomcatProcessExpires}: Tomcat's {@code StandardManager.processExpires()} (what its
 *       background thread runs), which checks every session.
 * </ul>
 *
 * <p>Spring Session's {@code MapSessionRepository} has no purge at all: an expired session stays in
 * its map until someone asks for it by id.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar PurgeBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class PurgeBenchmark {

  /** Sessions that are expired at each purge. */
  static final int EXPIRED = 10_000;

  /** 10^5 Sessionkit sessions, 10^4 of them expired. */
  @State(Scope.Thread)
  public static class Sessionkit {
    SessionManager manager;
    InMemorySessionStore store;
    SessionRecord[] expired;

    @Setup(Level.Trial)
    public void setUp() {
      setUp(Fixtures.SESSIONS, EXPIRED);
    }

    void setUp(int count, int expiredCount) {
      MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
      store = InMemorySessionStore.create();
      manager = SessionManager.builder().config(SessionConfig.defaults()).store(store)
          .clock(clock).build();
      String[] expiredIds = new String[expiredCount];
      for (int i = 0; i < expiredCount; i++) {
        expiredIds[i] = manager.authenticate("user-" + i, ClientInfo.NONE, false).session().id();
      }
      clock.advance(Duration.ofMinutes(20));
      for (int i = expiredCount; i < count; i++) {
        manager.authenticate("user-" + i, ClientInfo.NONE, false);
      }
      clock.advance(Duration.ofMinutes(11));
      expired = new SessionRecord[expiredCount];
      for (int i = 0; i < expiredCount; i++) {
        expired[i] = store.findById(expiredIds[i]).orElseThrow();
      }
    }

    /** Puts back the expired sessions that the last purge removed. */
    @Setup(Level.Invocation)
    public void restore() {
      for (SessionRecord record : expired) {
        SessionkitSessions.restore(store, record);
      }
    }
  }

  /** 10^5 Tomcat sessions, 10^4 of them created (and last accessed) an hour ago. */
  @State(Scope.Thread)
  public static class Tomcat {
    TomcatSessions sessions;
    String[] expiredIds;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      setUp(Fixtures.SESSIONS, EXPIRED);
    }

    void setUp(int count, int expiredCount) throws IOException {
      sessions = TomcatSessions.authenticated(count);
      expiredIds = new String[expiredCount];
      System.arraycopy(sessions.ids, 0, expiredIds, 0, expiredCount);
      for (String id : expiredIds) {
        sessions.manager.findSession(id).setCreationTime(System.currentTimeMillis() - 3_600_000L);
      }
    }

    /** Puts back, as fresh session objects, the expired sessions that the last run removed. */
    @Setup(Level.Invocation)
    public void restore() throws IOException {
      long anHourAgo = System.currentTimeMillis() - 3_600_000L;
      for (String id : expiredIds) {
        sessions.restore(id, anHourAgo, null);
      }
    }
  }

  @Benchmark
  public int sessionkitPurge(Sessionkit state) {
    return state.manager.purgeExpired();
  }

  @Benchmark
  public int tomcatProcessExpires(Tomcat state) {
    state.sessions.manager.processExpires();
    return state.sessions.manager.getActiveSessions();
  }
}
