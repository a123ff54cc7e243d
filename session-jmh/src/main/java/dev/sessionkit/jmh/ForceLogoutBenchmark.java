// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.spi.SessionRecord;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Force logout of one principal who has {@code sessionsOfPrincipal} (1, 10, 100) sessions among
 * 10^5 sessions of other users. Each invocation ends exactly that many sessions; they are put
 * back before the next one, outside the measurement ({@code Level.Invocation}).
 *
 * <ul>
 *   <li>{@code sessionkitLogoutAll}: {@code SessionManager.logoutAll(principal)}, through the
 *       store's principal index: its cost should follow the principal's sessions.
 *   <li>{@code sessionkitLogoutOthers}: {@code logoutOthers(current)} after a password change:
 *       the principal has one more session, the current one, which stays.
 *   <li>{@code springScan}: Spring Session's {@code MapSessionRepository} has no principal index
 *       ({@code FindByIndexNameSessionRepository} is implemented by its JDBC and Redis
 *       repositories only), so an application must scan every session for the principal name
 *       attribute and {@code deleteById} the matches: the cost of all 10^5 sessions, whatever the
 *       principal has.
 * </ul>
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar ForceLogoutBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class ForceLogoutBenchmark {

  static final String VICTIM = "victim";

  /** 10^5 Sessionkit sessions of others, plus the victim's sessions. */
  @State(Scope.Thread)
  public static class Sessionkit extends SizedState {
    @Param({"1", "10", "100"})
    int sessionsOfPrincipal;

    SessionkitSessions others;
    List<SessionRecord> victims;

    @Override
    void setUp(int count) {
      others = SessionkitSessions.authenticated(count, SessionConfig.defaults(),
          InstantSource.system());
      victims = new ArrayList<>();
      for (int i = 0; i < sessionsOfPrincipal; i++) {
        String id = others.manager.authenticate(VICTIM, ClientInfo.NONE, false).session().id();
        victims.add(others.store.findById(id).orElseThrow());
      }
    }

    /** Puts back the victim's sessions that the last invocation ended. */
    @Setup(Level.Invocation)
    public void restore() {
      for (SessionRecord record : victims) {
        others.restore(record);
      }
    }
  }

  /** Sessionkit for logoutOthers: the victim also holds the current session, which stays. */
  @State(Scope.Thread)
  public static class SessionkitWithCurrent extends Sessionkit {
    Session current;

    @Override
    void setUp(int count) {
      super.setUp(count);
      current = others.manager.authenticate(VICTIM, ClientInfo.NONE, false).session();
    }
  }

  /** 10^5 Spring Session sessions of others, plus the victim's. */
  @State(Scope.Thread)
  public static class Spring extends SizedState {
    @Param({"1", "10", "100"})
    int sessionsOfPrincipal;

    SpringSessions sessions;
    List<org.springframework.session.Session> victims;

    @Override
    void setUp(int count) {
      sessions = SpringSessions.authenticated(count);
      victims = new ArrayList<>();
      for (int i = 0; i < sessionsOfPrincipal; i++) {
        org.springframework.session.MapSession session = sessions.repository.createSession();
        session.setAttribute(SpringSessions.PRINCIPAL, VICTIM);
        sessions.repository.save(session);
        victims.add(sessions.map.get(session.getId()));
      }
    }

    @Setup(Level.Invocation)
    public void restore() {
      for (org.springframework.session.Session session : victims) {
        sessions.map.putIfAbsent(session.getId(), session);
      }
    }
  }

  @Benchmark
  public int sessionkitLogoutAll(Sessionkit state) {
    return state.others.manager.logoutAll(VICTIM);
  }

  @Benchmark
  public int sessionkitLogoutOthers(SessionkitWithCurrent state) {
    return state.others.manager.logoutOthers(state.current);
  }

  @Benchmark
  public int springScan(Spring state) {
    int ended = 0;
    for (org.springframework.session.Session session : state.sessions.map.values()) {
      if (VICTIM.equals(session.getAttribute(SpringSessions.PRINCIPAL))) {
        state.sessions.repository.deleteById(session.getId());
        ended++;
      }
    }
    return ended;
  }
}
