// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.Session;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.session.MapSession;

/**
 * The per-request path at 10^5 live sessions, a uniformly random session per request, at 1 and 2
 * threads:
 *
 * <ul>
 *   <li>{@code sessionkitEveryRequestWrites_*}: {@code SessionManager.resolve(token)} with {@code
 *       touchInterval} zero, so every request records its access (validate the 43-character
 *       cookie value, decode, SHA-256, look up, check both timeouts, compare-and-set the new last
 *       access). This is the one to hold against {@link FloorBenchmark#perRequestFloor_1t}, which
 *       also writes on every request.
 *   <li>{@code sessionkitDefaultTouchInterval_*}: the same with the default {@code touchInterval}
 *       of 1 second, which skips the write when the session was touched less than a second ago
 *       (at these rates most requests still find their session last touched more than a second
 *       ago, since each of the 10^5 sessions is hit only every ~0.1 s to ~1 s).
 *   <li>{@code springFindTouchSave_*}: Spring Session's {@code MapSessionRepository}: {@code
 *       findById} + {@code setLastAccessedTime(Instant.now())} + {@code save}, what its {@code
 *       SessionRepositoryFilter} does per request.
 *   <li>{@code tomcatFindAccess_*}: Tomcat's {@code StandardManager}: {@code findSession} + {@code
 *       isValid} + {@code access} + {@code endAccess}, what a request that touches its session
 *       does in Tomcat. Tomcat keys sessions by their id and does not hash it.
 * </ul>
 *
 * <p>Time is the system clock (as in production): with touchInterval zero the write happens
 * whenever the clock has moved past the session's last access, which at 10^5 sessions is nearly
 * always.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar ResolveBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ResolveBenchmark {

  @Benchmark
  @Threads(1)
  public Optional<Session> sessionkitEveryRequestWrites_1t(LiveSessions.SessionkitEveryRequestWrites state) {
    return resolve(state.sessions);
  }

  @Benchmark
  @Threads(2)
  public Optional<Session> sessionkitEveryRequestWrites_2t(LiveSessions.SessionkitEveryRequestWrites state) {
    return resolve(state.sessions);
  }

  @Benchmark
  @Threads(1)
  public Optional<Session> sessionkitDefaultTouchInterval_1t(LiveSessions.SessionkitDefaults state) {
    return resolve(state.sessions);
  }

  @Benchmark
  @Threads(2)
  public Optional<Session> sessionkitDefaultTouchInterval_2t(LiveSessions.SessionkitDefaults state) {
    return resolve(state.sessions);
  }

  @Benchmark
  @Threads(1)
  public MapSession springFindTouchSave_1t(LiveSessions.Spring state) {
    return findTouchSave(state.sessions);
  }

  @Benchmark
  @Threads(2)
  public MapSession springFindTouchSave_2t(LiveSessions.Spring state) {
    return findTouchSave(state.sessions);
  }

  @Benchmark
  @Threads(1)
  public org.apache.catalina.Session tomcatFindAccess_1t(LiveSessions.Tomcat state) throws IOException {
    return findAccess(state.sessions);
  }

  @Benchmark
  @Threads(2)
  public org.apache.catalina.Session tomcatFindAccess_2t(LiveSessions.Tomcat state) throws IOException {
    return findAccess(state.sessions);
  }

  static Optional<Session> resolve(SessionkitSessions sessions) {
    return sessions.manager.resolve(sessions.tokens[Fixtures.randomIndex(sessions.tokens.length)]);
  }

  static MapSession findTouchSave(SpringSessions sessions) {
    MapSession session =
        sessions.repository.findById(sessions.ids[Fixtures.randomIndex(sessions.ids.length)]);
    if (session != null) {
      session.setLastAccessedTime(Instant.now());
      sessions.repository.save(session);
    }
    return session;
  }

  static org.apache.catalina.Session findAccess(TomcatSessions sessions) throws IOException {
    org.apache.catalina.Session session =
        sessions.manager.findSession(sessions.ids[Fixtures.randomIndex(sessions.ids.length)]);
    if (session != null && session.isValid()) {
      session.access();
      session.endAccess();
      return session;
    }
    return null;
  }
}
