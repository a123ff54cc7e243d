// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.spi.SessionRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.session.StandardSession;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.session.MapSession;

/**
 * Login, logout and a request that writes one attribute, at 10^5 live sessions, one thread, for
 * Sessionkit (default configuration), Spring Session's {@code MapSessionRepository} and Tomcat's
 * {@code StandardManager}.
 *
 * <ul>
 *   <li>login: Sessionkit {@code authenticate(principal, NONE, false)} (new token, new id, hash,
 *       store insert, principal index, expiry queue); Spring {@code createSession} + principal
 *       attribute + {@code save}; Tomcat {@code createSession} + principal. The new session is
 *       removed after each invocation, outside the measurement, so the store stays at 10^5.
 *   <li>logout: Sessionkit {@code logout(token)}; Spring {@code deleteById}; Tomcat {@code
 *       invalidate}, of a random session. It is put back after each invocation, outside the
 *       measurement.
 *   <li>request with an attribute write: resolve the session, then set attribute "cart":
 *       Sessionkit {@code resolve} + {@code putAttribute} (a per-attribute write to the store);
 *       Spring {@code findById} + {@code setLastAccessedTime} + {@code setAttribute} + {@code
 *       save} (its only way to write); Tomcat {@code findSession} + {@code access} + {@code
 *       setAttribute} + {@code endAccess}.
 * </ul>
 *
 * <p>Login and logout restore the store with {@code Level.Invocation} helpers: JMH then
 * timestamps each invocation, which adds some tens of nanoseconds to every peer alike; the
 * allocation per operation reported by {@code -prof gc} includes the helpers' allocations.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar LifecycleBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class LifecycleBenchmark {

  static final String CART = "cart";
  static final String CART_VALUE = "book-42";

  /** Sessionkit for logins: the session a login created is removed after each invocation. */
  @State(Scope.Thread)
  public static class SessionkitLogin extends LiveSessions.SessionkitDefaults {
    IssuedSession loggedIn;

    @TearDown(Level.Invocation)
    public void removeLogin() {
      if (loggedIn != null) {
        sessions.store.delete(loggedIn.session().id());
        loggedIn = null;
      }
    }
  }

  /** Sessionkit for logouts: picks a session before each invocation and puts it back after. */
  @State(Scope.Thread)
  public static class SessionkitLogout extends LiveSessions.SessionkitDefaults {
    SessionRecord[] records;
    int next;

    @Override
    void setUp(int count) {
      super.setUp(count);
      records = new SessionRecord[count];
      for (int i = 0; i < count; i++) {
        records[i] = sessions.record(i);
      }
    }

    @Setup(Level.Invocation)
    public void pick() {
      next = Fixtures.randomIndex(records.length);
    }

    @TearDown(Level.Invocation)
    public void restore() {
      sessions.restore(records[next]);
    }
  }

  /** Spring for logins: the session a login created is removed after each invocation. */
  @State(Scope.Thread)
  public static class SpringLogin extends LiveSessions.Spring {
    MapSession loggedIn;

    @TearDown(Level.Invocation)
    public void removeLogin() {
      if (loggedIn != null) {
        sessions.map.remove(loggedIn.getId());
        loggedIn = null;
      }
    }
  }

  /** Spring for logouts: picks a session before each invocation and puts it back after. */
  @State(Scope.Thread)
  public static class SpringLogout extends LiveSessions.Spring {
    org.springframework.session.Session[] stored;
    int next;

    @Override
    void setUp(int count) {
      super.setUp(count);
      stored = new org.springframework.session.Session[count];
      for (int i = 0; i < count; i++) {
        stored[i] = sessions.map.get(sessions.ids[i]);
      }
    }

    @Setup(Level.Invocation)
    public void pick() {
      next = Fixtures.randomIndex(stored.length);
    }

    @TearDown(Level.Invocation)
    public void restore() {
      sessions.map.putIfAbsent(sessions.ids[next], stored[next]);
    }
  }

  /** Tomcat for logins: the session a login created is removed after each invocation. */
  @State(Scope.Thread)
  public static class TomcatLogin extends LiveSessions.Tomcat {
    org.apache.catalina.Session loggedIn;

    @TearDown(Level.Invocation)
    public void removeLogin() {
      if (loggedIn != null) {
        sessions.manager.remove(loggedIn);
        loggedIn = null;
      }
    }
  }

  /**
   * Tomcat for logouts: picks a session before each invocation; after it, the invalidated session
   * is replaced by a fresh session object with the same id.
   */
  @State(Scope.Thread)
  public static class TomcatLogout extends LiveSessions.Tomcat {
    int next;

    @Setup(Level.Invocation)
    public void pick() {
      next = Fixtures.randomIndex(sessions.ids.length);
    }

    @TearDown(Level.Invocation)
    public void restore() throws IOException {
      sessions.restore(sessions.ids[next], System.currentTimeMillis(), "user-" + next);
    }
  }

  @Benchmark
  public IssuedSession sessionkitLogin(SessionkitLogin state) {
    state.loggedIn = state.sessions.manager.authenticate("alice", ClientInfo.NONE, false);
    return state.loggedIn;
  }

  @Benchmark
  public boolean sessionkitLogout(SessionkitLogout state) {
    return state.sessions.manager.logout(state.sessions.tokens[state.next]);
  }

  @Benchmark
  public Session sessionkitAttributeWriteRequest(LiveSessions.SessionkitDefaults state) {
    Session session = ResolveBenchmark.resolve(state.sessions).orElseThrow();
    session.putAttribute(CART, CART_VALUE);
    return session;
  }

  @Benchmark
  public MapSession springLogin(SpringLogin state) {
    MapSession session = state.sessions.repository.createSession();
    session.setAttribute(SpringSessions.PRINCIPAL, "alice");
    state.sessions.repository.save(session);
    state.loggedIn = session;
    return session;
  }

  @Benchmark
  public String springLogout(SpringLogout state) {
    String id = state.sessions.ids[state.next];
    state.sessions.repository.deleteById(id);
    return id;
  }

  @Benchmark
  public MapSession springAttributeWriteRequest(LiveSessions.Spring state) {
    SpringSessions sessions = state.sessions;
    MapSession session =
        sessions.repository.findById(sessions.ids[Fixtures.randomIndex(sessions.ids.length)]);
    session.setLastAccessedTime(Instant.now());
    session.setAttribute(CART, CART_VALUE);
    sessions.repository.save(session);
    return session;
  }

  @Benchmark
  public org.apache.catalina.Session tomcatLogin(TomcatLogin state) {
    StandardSession session = (StandardSession) state.sessions.manager.createSession(null);
    session.setAuthType("FORM");
    session.setPrincipal(new GenericPrincipal("alice"));
    state.loggedIn = session;
    return session;
  }

  @Benchmark
  public org.apache.catalina.Session tomcatLogout(TomcatLogout state) throws IOException {
    org.apache.catalina.Session session =
        state.sessions.manager.findSession(state.sessions.ids[state.next]);
    ((StandardSession) session).invalidate();
    return session;
  }

  @Benchmark
  public org.apache.catalina.Session tomcatAttributeWriteRequest(LiveSessions.Tomcat state)
      throws IOException {
    TomcatSessions sessions = state.sessions;
    org.apache.catalina.Session session =
        sessions.manager.findSession(sessions.ids[Fixtures.randomIndex(sessions.ids.length)]);
    if (session.isValid()) {
      session.access();
      ((StandardSession) session).setAttribute(CART, CART_VALUE);
      session.endAccess();
    }
    return session;
  }
}
