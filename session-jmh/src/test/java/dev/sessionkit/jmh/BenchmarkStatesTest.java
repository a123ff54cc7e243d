// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.Session;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark once on small states and checks that it does what its name says (a
 * benchmark that silently measured the "no session" path would report a fine number).
 */
class BenchmarkStatesTest {

  private static final int SESSIONS = 200;

  @Test
  void floorWritesTheTimestampOfAStoredEntry() throws Exception {
    FloorBenchmark floor = new FloorBenchmark();
    FloorBenchmark.PerThread thread = new FloorBenchmark.PerThread();
    thread.setUp();
    FloorBenchmark.Sessions sessions = new FloorBenchmark.Sessions();
    sessions.fill(SESSIONS);

    FloorBenchmark.Entry entry = floor.perRequestFloor_1t(thread, sessions);

    assertThat(entry.lastAccessedAt).isPositive();
    assertThat(sessions.map.containsValue(entry)).isTrue();
    assertThat(floor.sha256Of32Bytes(thread, sessions)).hasSize(32);
    assertThat(floor.randomTokenBase64Url(thread)).hasSize(43);
  }

  /**
   * Each server and session kind serves its requests with the session it names: the setup checks
   * that the second request reused the session the first one started, under the right cookie.
   */
  @Test
  void servletPathServesEachSessionKindOnEachServer() throws Exception {
    for (String server : new String[] {"jetty", "tomcat"}) {
      for (String session : new String[] {"none", "container", "sessionkit"}) {
        ServletPathBenchmark path = new ServletPathBenchmark();
        path.server = server;
        path.session = session;
        path.start();
        try {
          assertThat(path.request()).as(server + "/" + session).isEqualTo(200);
        } finally {
          path.stop();
        }
      }
    }
  }

  /**
   * The medians run both session kinds on both servers, each request over its connection finding
   * the session the first request started (measure checks every answer and throws otherwise).
   */
  @Test
  void servletPathMediansTimeRequestsThatFindTheirSessions() throws Exception {
    for (String server : new String[] {"jetty", "tomcat"}) {
      // more than Tomcat's 100 requests per connection: the connection is opened again
      ServletPathMedians.Medians m = ServletPathMedians.measure(server, 60);
      assertThat(m.server()).isEqualTo(server);
      assertThat(m.container()).as(server).isPositive();
      assertThat(m.sessionkit()).as(server).isPositive();
      assertThat(m.timeRatio()).isPositive();
    }
  }

  /** A connection sends its app's session cookie: without a session the answer differs. */
  @Test
  void servletPathConnectionsCarryTheirSessionAndTheCheckSeesIt() throws Exception {
    try (ServletApp none = ServletApp.start("jetty", "none");
        ServletApp ours = ServletApp.start("jetty", "sessionkit");
        ServletPathMedians.Connection toNone = new ServletPathMedians.Connection(none);
        ServletPathMedians.Connection toOurs = new ServletPathMedians.Connection(ours)) {
      assertThat(toNone.get()).isEqualTo("ok");
      assertThat(toOurs.get()).isEqualTo("n=1");
      assertThat(toOurs.get()).as("kept alive").isEqualTo("n=1");
      assertThatThrownBy(() -> toOurs.check("n=null"))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void tokensAreSessionkitTokens() {
    TokenBenchmark tokens = new TokenBenchmark();
    assertThat(tokens.sessionkitSecure_1t()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    assertThat(tokens.sharedSecureRandom_1t(new TokenBenchmark.Shared())).hasSize(43);
  }

  @Test
  void resolveFindsALiveSessionInEveryLibrary() throws Exception {
    ResolveBenchmark resolve = new ResolveBenchmark();
    LiveSessions.SessionkitEveryRequestWrites every = new LiveSessions.SessionkitEveryRequestWrites();
    every.setUp(SESSIONS);
    LiveSessions.SessionkitDefaults defaults = new LiveSessions.SessionkitDefaults();
    defaults.setUp(SESSIONS);
    LiveSessions.Spring spring = new LiveSessions.Spring();
    spring.setUp(SESSIONS);
    LiveSessions.Tomcat tomcat = new LiveSessions.Tomcat();
    tomcat.setUp(SESSIONS);

    assertThat(every.sessions.manager.config().touchInterval()).isEqualTo(Duration.ZERO);
    assertThat(defaults.sessions.manager.config().touchInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(resolve.sessionkitEveryRequestWrites_1t(every)).isPresent();
    assertThat(resolve.sessionkitDefaultTouchInterval_2t(defaults)).isPresent();
    assertThat(resolve.springFindTouchSave_1t(spring)).isNotNull();
    assertThat(resolve.tomcatFindAccess_1t(tomcat)).isNotNull();
    assertThat(every.sessions.store.size()).isEqualTo(SESSIONS);
    assertThat(spring.sessions.map).hasSize(SESSIONS);
    assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS);
  }

  @Test
  void resolveStepsWorkOnLiveSessions() {
    ResolveStepsBenchmark steps = new ResolveStepsBenchmark();
    ResolveStepsBenchmark.Hashed state = new ResolveStepsBenchmark.Hashed();
    state.setUp(SESSIONS);

    ResolveStepsBenchmark.Digest digest = new ResolveStepsBenchmark.Digest();
    // The JDK hashing finds the sessions: it computes the hash the manager stored.
    TokenHash hash = steps.decodeAndHashToken(state, digest);
    assertThat(state.sessions.store.findByTokenHash(hash)).isPresent();
    assertThat(state.hashes).contains(hash);
    assertThat(steps.storeFindByTokenHash(state)).isPresent();
    long before = System.currentTimeMillis();
    SessionRecord touched = steps.storeFindByTokenHashAndTouch(state).orElseThrow();
    assertThat(touched.lifetime().lastAccessedAt()).isGreaterThanOrEqualTo(before);
    SessionView view = steps.storeFindAndTouch(state);
    assertThat(view).as("the per-request call finds a live session").isNotNull();
    assertThat(view.lastAccessedAt()).isGreaterThanOrEqualTo(before);
    assertThat(state.sessions.ids).contains(view.id());
    assertThat(steps.storeTouch(state)).isTrue();
    assertThat(steps.resolveAndTouch(state)).isPresent();
  }

  @Test
  void lifecycleStepsDoWhatTheirNamesSay() {
    LifecycleStepsBenchmark steps = new LifecycleStepsBenchmark();
    LifecycleStepsBenchmark.Create create = new LifecycleStepsBenchmark.Create();
    create.setUp(SESSIONS);
    LifecycleStepsBenchmark.Pick pick = new LifecycleStepsBenchmark.Pick();
    pick.setUp(SESSIONS);
    ResolveStepsBenchmark.Digest digest = new ResolveStepsBenchmark.Digest();

    assertThat(steps.loginNewToken()).hasSize(43);
    assertThat(steps.loginNewId()).hasSize(16);
    assertThat(steps.loginPrincipalGeneration(create)).isZero();
    create.prepare();
    assertThat(steps.loginStoreCreate(create)).isTrue();
    assertThat(create.sessions.store.size()).isEqualTo(SESSIONS + 1);
    create.remove();
    assertThat(create.sessions.store.size()).isEqualTo(SESSIONS);
    assertThat(steps.login(create).session().principal()).contains("alice");
    create.remove();
    assertThat(create.sessions.store.size()).isEqualTo(SESSIONS);

    pick.pick();
    TokenHash hash = steps.logoutHashToken(pick, digest);
    assertThat(hash).isEqualTo(pick.hashes[pick.next]);
    assertThat(steps.loginHashToken(pick, digest)).isEqualTo(hash);
    assertThat(steps.logoutStoreFind(pick).orElseThrow().id()).isEqualTo(pick.records[pick.next].id());
    assertThat(steps.logoutStoreDelete(pick)).isTrue();
    assertThat(pick.sessions.store.size()).isEqualTo(SESSIONS - 1);
    pick.restore();
    assertThat(steps.logoutStoreFindAndDelete(pick).id()).isEqualTo(pick.records[pick.next].id());
    assertThat(pick.sessions.store.size()).isEqualTo(SESSIONS - 1);
    pick.restore();
    assertThat(steps.logout(pick)).as("the restored session logs out").isTrue();
    assertThat(pick.sessions.manager.resolve(pick.sessions.tokens[pick.next])).isEmpty();
    pick.restore();
    assertThat(pick.sessions.manager.resolve(pick.sessions.tokens[pick.next])).isPresent();
  }

  @Test
  void lifecycleMediansTimeEveryCallOfBothLibraries() throws Exception {
    // every Sessionkit logout must end a live session (measure throws otherwise): the put-back works
    LifecycleMedians.Medians m = LifecycleMedians.measure(SESSIONS, 2 * SESSIONS);
    assertThat(java.util.List.of(m.sessionkitLogin(), m.tomcatLogin(), m.sessionkitLogout(),
        m.tomcatLogout())).allSatisfy(nanos -> assertThat(nanos).isPositive());
    assertThat(m.loginRatio()).isPositive();
    assertThat(m.logoutRatio()).isPositive();
  }

  @Test
  void resolveMediansTimeResolvesThatWriteBesideTheFloor() throws Exception {
    // measureResolve throws unless every resolve found its session and recorded its access
    LifecycleMedians.ResolveMedians m =
        LifecycleMedians.measureResolve(SESSIONS, 5_000, Duration.ZERO);
    assertThat(m.sessionkit()).isPositive();
    assertThat(m.floor()).isPositive();
    assertThat(m.ratio()).isPositive();
  }

  @Test
  void resolveMediansRefuseResolvesThatSkipTheWrite() {
    // with a touch interval longer than the run, a resolve leaves the last access of the login
    assertThatThrownBy(() -> LifecycleMedians.measureResolve(SESSIONS, 5_000, Duration.ofMinutes(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not record its access");
  }

  @Test
  void loginAddsASessionThatTheTeardownRemoves() {
    LifecycleBenchmark lifecycle = new LifecycleBenchmark();
    LifecycleBenchmark.SessionkitLogin ours = new LifecycleBenchmark.SessionkitLogin();
    ours.setUp(SESSIONS);
    LifecycleBenchmark.SpringLogin spring = new LifecycleBenchmark.SpringLogin();
    spring.setUp(SESSIONS);
    LifecycleBenchmark.TomcatLogin tomcat = new LifecycleBenchmark.TomcatLogin();
    tomcat.setUp(SESSIONS);

    assertThat(lifecycle.sessionkitLogin(ours).session().principal()).contains("alice");
    lifecycle.springLogin(spring);
    lifecycle.tomcatLogin(tomcat);
    assertThat(ours.sessions.store.size()).isEqualTo(SESSIONS + 1);
    assertThat(spring.sessions.map).hasSize(SESSIONS + 1);
    assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS + 1);

    ours.removeLogin();
    spring.removeLogin();
    tomcat.removeLogin();
    assertThat(ours.sessions.store.size()).isEqualTo(SESSIONS);
    assertThat(spring.sessions.map).hasSize(SESSIONS);
    assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS);
  }

  @Test
  void logoutEndsASessionThatThePickPutsBack() throws Exception {
    LifecycleBenchmark lifecycle = new LifecycleBenchmark();
    LifecycleBenchmark.SessionkitLogout ours = new LifecycleBenchmark.SessionkitLogout();
    ours.setUp(SESSIONS);
    LifecycleBenchmark.SpringLogout spring = new LifecycleBenchmark.SpringLogout();
    spring.setUp(SESSIONS);
    LifecycleBenchmark.TomcatLogout tomcat = new LifecycleBenchmark.TomcatLogout();
    tomcat.setUp(SESSIONS);

    for (int round = 0; round < 3; round++) {
      ours.pick();
      spring.pick();
      tomcat.pick();
      assertThat(ours.sessions.store.size()).isEqualTo(SESSIONS);
      assertThat(spring.sessions.map).hasSize(SESSIONS);
      assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS);

      assertThat(lifecycle.sessionkitLogout(ours)).isTrue();
      lifecycle.springLogout(spring);
      assertThat(lifecycle.tomcatLogout(tomcat).isValid()).isFalse();

      assertThat(ours.sessions.manager.resolve(ours.sessions.tokens[ours.next])).isEmpty();
      assertThat(ours.sessions.store.size()).isEqualTo(SESSIONS - 1);
      assertThat(spring.sessions.map).hasSize(SESSIONS - 1);
      assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS - 1);

      ours.restore();
      spring.restore();
      tomcat.restore();
      assertThat(ours.sessions.manager.resolve(ours.sessions.tokens[ours.next])).isPresent();
      assertThat(spring.sessions.repository.findById(spring.sessions.ids[spring.next])).isNotNull();
      assertThat(tomcat.sessions.manager.findSession(tomcat.sessions.ids[tomcat.next]).isValid())
          .isTrue();
    }
    assertThat(ours.sessions.store.size()).isEqualTo(SESSIONS);
    assertThat(spring.sessions.map).hasSize(SESSIONS);
    assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS);
  }

  @Test
  void attributeWriteRequestsStoreTheAttribute() throws Exception {
    LifecycleBenchmark lifecycle = new LifecycleBenchmark();
    LiveSessions.SessionkitDefaults ours = new LiveSessions.SessionkitDefaults();
    ours.setUp(1);
    LiveSessions.Spring spring = new LiveSessions.Spring();
    spring.setUp(1);
    LiveSessions.Tomcat tomcat = new LiveSessions.Tomcat();
    tomcat.setUp(1);

    lifecycle.sessionkitAttributeWriteRequest(ours);
    lifecycle.springAttributeWriteRequest(spring);
    lifecycle.tomcatAttributeWriteRequest(tomcat);

    Session session = ours.sessions.manager.resolve(ours.sessions.tokens[0]).orElseThrow();
    assertThat(session.getAttribute(LifecycleBenchmark.CART)).contains(LifecycleBenchmark.CART_VALUE);
    assertThat((Object) spring.sessions.repository.findById(spring.sessions.ids[0])
        .getAttribute(LifecycleBenchmark.CART)).isEqualTo(LifecycleBenchmark.CART_VALUE);
    assertThat(((org.apache.catalina.session.StandardSession) tomcat.sessions.manager
        .findSession(tomcat.sessions.ids[0])).getAttribute(LifecycleBenchmark.CART))
        .isEqualTo(LifecycleBenchmark.CART_VALUE);
  }

  @Test
  void forceLogoutEndsExactlyThePrincipalsSessionsEveryInvocation() {
    ForceLogoutBenchmark force = new ForceLogoutBenchmark();
    ForceLogoutBenchmark.Sessionkit all = new ForceLogoutBenchmark.Sessionkit();
    all.sessionsOfPrincipal = 3;
    all.setUp(SESSIONS);
    ForceLogoutBenchmark.SessionkitWithCurrent others = new ForceLogoutBenchmark.SessionkitWithCurrent();
    others.sessionsOfPrincipal = 3;
    others.setUp(SESSIONS);
    ForceLogoutBenchmark.Spring spring = new ForceLogoutBenchmark.Spring();
    spring.sessionsOfPrincipal = 3;
    spring.setUp(SESSIONS);

    for (int round = 0; round < 2; round++) {
      all.restore();
      others.restore();
      spring.restore();
      assertThat(force.sessionkitLogoutAll(all)).isEqualTo(3);
      assertThat(force.sessionkitLogoutOthers(others)).isEqualTo(3);
      assertThat(force.springScan(spring)).isEqualTo(3);
      assertThat(all.others.store.size()).isEqualTo(SESSIONS);
      assertThat(others.others.store.size()).isEqualTo(SESSIONS + 1);
      assertThat(spring.sessions.map).hasSize(SESSIONS);
    }
    assertThat(others.others.manager.sessionsOf(ForceLogoutBenchmark.VICTIM))
        .extracting(Session::id).containsExactly(others.current.id());
  }

  @Test
  void purgeRemovesExactlyTheExpiredSessionsEveryInvocation() throws Exception {
    PurgeBenchmark purge = new PurgeBenchmark();
    PurgeBenchmark.Sessionkit ours = new PurgeBenchmark.Sessionkit();
    ours.setUp(SESSIONS, 20);
    PurgeBenchmark.Tomcat tomcat = new PurgeBenchmark.Tomcat();
    tomcat.setUp(SESSIONS, 20);

    for (int round = 0; round < 2; round++) {
      ours.restore();
      tomcat.restore();
      assertThat(ours.store.size()).isEqualTo(SESSIONS);
      assertThat(purge.sessionkitPurge(ours)).isEqualTo(20);
      assertThat(ours.store.size()).isEqualTo(SESSIONS - 20);
      assertThat(tomcat.sessions.manager.getActiveSessions()).isEqualTo(SESSIONS);
      assertThat(purge.tomcatProcessExpires(tomcat)).isEqualTo(SESSIONS - 20);
    }
  }

  @Test
  void footprintMeasuresAPlausibleSizePerSession() {
    FootprintBenchmark footprint = new FootprintBenchmark();
    FootprintBenchmark.Spring spring = new FootprintBenchmark.Spring();
    spring.measure(50_000);
    FootprintBenchmark.Footprint counter = new FootprintBenchmark.Footprint();

    footprint.spring(spring, counter);

    // An empty MapSession in a ConcurrentHashMap takes a few hundred bytes; a broken measurement
    // (no GC, nothing retained) gives zero, a negative number or megabytes.
    assertThat(counter.bytesPerSession()).isBetween(100.0, 1000.0);
    assertThat(((SpringSessions) spring.retained).map).hasSize(50_000);
  }

  @Test
  void jdbcPathResolvesAndTouchesALiveSessionAndTheFloorReadsARow() throws Exception {
    JdbcPathBenchmark jdbc = new JdbcPathBenchmark();
    jdbc.touch = "every";
    try {
      jdbc.setUp(SESSIONS);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("PostgreSQL at 127.0.0.1:5432 is required under CI=true", e);
      }
      Assumptions.abort("PostgreSQL at 127.0.0.1:5432 unreachable: " + e);
    }
    try {
      assertThat(jdbc.primaryKeySelect()).isPositive();
      assertThat(jdbc.primaryKeyUpdate()).isEqualTo(1);
      Session session = jdbc.sessionkitResolve().orElseThrow();
      long before = session.lastAccessedAt().toEpochMilli();
      Thread.sleep(2); // the touch records the clock's millisecond: let it move
      Session again = jdbc.manager.resolve(jdbc.tokens[indexOf(jdbc.ids, session.id())])
          .orElseThrow();
      assertThat(again.lastAccessedAt().toEpochMilli()).isGreaterThan(before);
      assertThat(jdbc.store.findById(session.id()).orElseThrow().lifetime().lastAccessedAt())
          .isEqualTo(again.lastAccessedAt().toEpochMilli());
    } finally {
      jdbc.tearDown();
    }
  }

  private static int indexOf(String[] values, String value) {
    return Arrays.asList(values).indexOf(value);
  }
}
