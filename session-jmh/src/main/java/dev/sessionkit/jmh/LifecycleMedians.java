// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionRecord;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.session.StandardSession;

/**
 * Login and logout of Sessionkit and Tomcat, and resolve-and-touch beside the per-request floor,
 * as the median of single calls, the two alternating call by call in one process, at {@link
 * Fixtures#SESSIONS} live sessions each: what {@link LifecycleBenchmark} measures, in a form that
 * a machine shared with other work disturbs less. A median ignores the calls that a collection or another process interrupted, and the
 * alternation gives both libraries the same machine at the same moment; JMH's iterations of a
 * second each take turns instead, so load that comes and goes lands on one library more than the
 * other. The calls are those of {@link LifecycleBenchmark}: Sessionkit {@code authenticate} and
 * {@code logout(token)} with the default configuration; Tomcat {@code createSession} with a
 * principal, and {@code findSession} + {@code invalidate}. Each new session is removed and each
 * ended one put back after its call, untimed. {@code System.nanoTime()} costs some tens of
 * nanoseconds per call, the same for both.
 *
 * <p>Resolve-and-touch the same way, beside the per-request floor: Sessionkit {@code
 * resolve(token)} with {@code touchInterval} zero (every request records its access, as {@code
 * ResolveBenchmark.sessionkitEveryRequestWrites_1t}) alternating call by call with the floor's
 * {@link FloorBenchmark#perRequestFloor_1t} (SHA-256 of 32 bytes, a {@code ConcurrentHashMap} hit,
 * a clock read, a volatile write), each at {@link Fixtures#SESSIONS} sessions. Every call is
 * checked, untimed: the session was found and its last access is at least the clock read just
 * before the call (written by this call, or by an earlier one in the same millisecond). Not
 * thread-safe: one thread.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp session-jmh/target/benchmarks.jar dev.sessionkit.jmh.LifecycleMedians [calls]
 * </pre>
 */
public final class LifecycleMedians {

  /** Medians in nanoseconds per call. */
  record Medians(long sessionkitLogin, long tomcatLogin, long sessionkitLogout,
      long tomcatLogout) {

    double loginRatio() {
      return (double) sessionkitLogin / tomcatLogin;
    }

    double logoutRatio() {
      return (double) sessionkitLogout / tomcatLogout;
    }
  }

  /** Medians in nanoseconds per call of resolve-and-touch and of the per-request floor. */
  record ResolveMedians(long sessionkit, long floor) {

    double ratio() {
      return (double) sessionkit / floor;
    }
  }

  private LifecycleMedians() {}

  /**
   * Prints the medians of {@code calls} calls of each (default 200 000) after as many to warm up.
   *
   * @param args the number of calls, optional
   * @throws IOException if Tomcat fails to put a session back
   * @throws NoSuchAlgorithmException if the JDK has no SHA-256 or DRBG
   */
  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    ResolveMedians r = measureResolve(Fixtures.SESSIONS, calls, Duration.ZERO);
    System.out.printf(
        "resolve-and-touch: Sessionkit %d ns, floor %d ns: %.2fx the floor's time%n",
        r.sessionkit(), r.floor(), r.ratio());
    Medians m = measure(Fixtures.SESSIONS, calls);
    System.out.printf("login:  Sessionkit %d ns, Tomcat %d ns: %.2fx Tomcat's time%n",
        m.sessionkitLogin(), m.tomcatLogin(), m.loginRatio());
    System.out.printf("logout: Sessionkit %d ns, Tomcat %d ns: %.2fx Tomcat's time%n",
        m.sessionkitLogout(), m.tomcatLogout(), m.logoutRatio());
  }

  /** Measures at {@code sessions} live sessions: {@code calls} warm-up calls, then as many timed. */
  static Medians measure(int sessions, int calls) throws IOException {
    SessionkitSessions sk = SessionkitSessions.authenticated(sessions, SessionConfig.defaults(),
        InstantSource.system());
    TomcatSessions tc = TomcatSessions.authenticated(sessions);
    SessionRecord[] records = new SessionRecord[sessions];
    for (int i = 0; i < sessions; i++) {
      records[i] = sk.record(i);
    }
    long[] skLogin = new long[calls];
    long[] tcLogin = new long[calls];
    long[] skLogout = new long[calls];
    long[] tcLogout = new long[calls];
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up
      for (int c = 0; c < calls; c++) {
        int i = ThreadLocalRandom.current().nextInt(sessions);
        long t0 = System.nanoTime();
        boolean ended = sk.manager.logout(sk.tokens[i]);
        skLogout[c] = System.nanoTime() - t0;
        if (!ended) {
          throw new IllegalStateException("a live session did not log out");
        }
        sk.restore(records[i]);

        int j = ThreadLocalRandom.current().nextInt(sessions);
        t0 = System.nanoTime();
        ((StandardSession) tc.manager.findSession(tc.ids[j])).invalidate();
        tcLogout[c] = System.nanoTime() - t0;
        tc.restore(tc.ids[j], System.currentTimeMillis(), "user-" + j);

        t0 = System.nanoTime();
        IssuedSession issued = sk.manager.authenticate("alice", ClientInfo.NONE, false);
        skLogin[c] = System.nanoTime() - t0;
        sk.store.delete(issued.session().id());

        t0 = System.nanoTime();
        StandardSession session = (StandardSession) tc.manager.createSession(null);
        session.setAuthType("FORM");
        session.setPrincipal(new GenericPrincipal("alice"));
        tcLogin[c] = System.nanoTime() - t0;
        tc.manager.remove(session);
      }
    }
    return new Medians(median(skLogin), median(tcLogin), median(skLogout), median(tcLogout));
  }

  /**
   * Measures resolve-and-touch at {@code sessions} live sessions with {@code touchInterval}
   * beside the floor: {@code calls} warm-up calls, then as many timed.
   *
   * @throws IllegalStateException if a resolve did not find its session or did not record its
   *     access at the time of the call (a non-zero touch interval skips writes)
   */
  static ResolveMedians measureResolve(int sessions, int calls, Duration touchInterval)
      throws NoSuchAlgorithmException {
    SessionkitSessions sk = SessionkitSessions.authenticated(sessions,
        SessionConfig.builder().touchInterval(touchInterval).build(), InstantSource.system());
    FloorBenchmark.PerThread thread = new FloorBenchmark.PerThread();
    thread.setUp();
    FloorBenchmark.Sessions floor = new FloorBenchmark.Sessions();
    floor.fill(sessions);
    long[] skResolve = new long[calls];
    long[] floorResolve = new long[calls];
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up
      for (int c = 0; c < calls; c++) {
        int i = Fixtures.randomIndex(sessions);
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Optional<Session> session = sk.manager.resolve(sk.tokens[i]);
        skResolve[c] = System.nanoTime() - t0;
        if (session.isEmpty() || session.get().lastAccessedAt().toEpochMilli() < now) {
          throw new IllegalStateException(
              "a resolve did not find its session or did not record its access");
        }

        int j = Fixtures.randomIndex(sessions);
        now = System.currentTimeMillis();
        t0 = System.nanoTime();
        FloorBenchmark.Entry entry = FloorBenchmark.perRequest(thread, floor, j);
        floorResolve[c] = System.nanoTime() - t0;
        if (entry.lastAccessedAt < now) {
          throw new IllegalStateException("the floor did not write its timestamp");
        }
      }
    }
    return new ResolveMedians(median(skResolve), median(floorResolve));
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
