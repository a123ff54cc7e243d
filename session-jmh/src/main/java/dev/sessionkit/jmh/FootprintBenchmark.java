// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.session.StandardManager;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.springframework.session.MapSession;

/**
 * Retained heap per empty session at 10^6 sessions: the used heap after full GCs with the sessions
 * held, minus the used heap before they were created, divided by 10^6. It counts everything a
 * session costs: the session object, its id and token hash, map entries and tables, and indexes.
 *
 * <ul>
 *   <li>Sessionkit: {@code startAnonymous(ClientInfo.NONE)} on the in-memory store.
 *   <li>Spring Session: {@code createSession} + {@code save} on a {@code MapSessionRepository}
 *       over a {@code ConcurrentHashMap}.
 *   <li>Tomcat: {@code StandardManager.createSession(null)}.
 * </ul>
 *
 * <p>The measurement happens once per fork, in the trial setup; the benchmark method only reports
 * it as the secondary result {@code bytesPerSession} (its time score is meaningless). JMH sums an
 * event counter over the measurement iterations, so the per-session figure is the mean of the
 * counter's per-iteration values (its raw data, which {@link Summary} uses) and is also printed by
 * the setup.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar FootprintBenchmark}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class FootprintBenchmark {

  /** Reports the measured bytes per session. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Footprint {
    double measured;

    /** Retained bytes per session, reported once per iteration. */
    public double bytesPerSession() {
      return measured;
    }
  }

  /** A heap measurement around creating {@link Fixtures#FOOTPRINT_SESSIONS} sessions. */
  abstract static class Measured {
    double bytesPerSession;
    Object retained;

    @Setup(Level.Trial)
    public void measure() {
      measure(Fixtures.FOOTPRINT_SESSIONS);
    }

    void measure(int count) {
      Object container = newContainer();
      addSession(container); // load classes and per-thread state before the baseline
      long before = Fixtures.usedHeapAfterGc();
      for (int i = 1; i < count; i++) {
        addSession(container);
      }
      long after = Fixtures.usedHeapAfterGc();
      retained = container;
      bytesPerSession = (double) (after - before) / (count - 1);
      System.out.printf(Locale.ROOT, "%n# %s: %d sessions, %.1f bytes per session%n",
          getClass().getSimpleName(), count, bytesPerSession);
    }

    abstract Object newContainer();

    abstract void addSession(Object container);
  }

  /** Sessionkit's in-memory store, sessions created through the manager. */
  @State(Scope.Benchmark)
  public static class Sessionkit extends Measured {
    @Override
    Object newContainer() {
      return SessionManager.builder().store(InMemorySessionStore.create()).build();
    }

    @Override
    void addSession(Object container) {
      ((SessionManager) container).startAnonymous(ClientInfo.NONE);
    }
  }

  /** Spring Session's {@code MapSession}s in a {@code ConcurrentHashMap}. */
  @State(Scope.Benchmark)
  public static class Spring extends Measured {
    @Override
    Object newContainer() {
      return SpringSessions.empty();
    }

    @Override
    void addSession(Object container) {
      SpringSessions sessions = (SpringSessions) container;
      MapSession session = sessions.repository.createSession();
      sessions.repository.save(session);
    }
  }

  /** Tomcat's {@code StandardSession}s in a {@code StandardManager}. */
  @State(Scope.Benchmark)
  public static class Tomcat extends Measured {
    @Override
    Object newContainer() {
      return TomcatSessions.empty().manager;
    }

    @Override
    void addSession(Object container) {
      ((StandardManager) container).createSession(null);
    }
  }

  @Benchmark
  public Object sessionkit(Sessionkit state, Footprint footprint) {
    footprint.measured = state.bytesPerSession;
    return state.retained;
  }

  @Benchmark
  public Object spring(Spring state, Footprint footprint) {
    footprint.measured = state.bytesPerSession;
    return state.retained;
  }

  @Benchmark
  public Object tomcat(Tomcat state, Footprint footprint) {
    footprint.measured = state.bytesPerSession;
    return state.retained;
  }
}
