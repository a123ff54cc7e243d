// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.redis.internal.PhaseHooks;
import dev.sessionkit.redis.internal.RedisGateway;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.redis.internal.RedisSeries;
import dev.sessionkit.redis.internal.RedisSessions;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls that land between the phases of a force logout, a logout of everyone, a listing and a
 * purge (which read ids first, then name every session hash in {@code KEYS}), of a touch and an
 * idle timeout change (which read the names of a session's token keys first), of a delete and a
 * rotation (whose second phase removes what still points at the session) and of the series
 * revocations and purge: the hook runs them on another store at exactly that point, so each
 * interleaving is deterministic.
 */
class RedisPhaseInterleavingTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofMinutes(1);

  private static RedisClient client;
  private static StatefulRedisConnection<String, byte[]> connection;
  private static StatefulRedisConnection<String, String> admin;

  private String prefix;
  private RedisKeys keys;
  private RedisGateway gateway;
  /** The store of the concurrent calls (no hook). */
  private RedisSessions other;
  /** The remember-me half of the store of the concurrent calls (no hook). */
  private RedisSeries otherSeries;
  /** Runs once, at the first phase boundary of the store under test in bucket {@link #at}. */
  private Runnable between;
  private String at;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    client = RedisTestSupport.client();
    connection = client.connect(RedisSessionStore.codec());
    admin = client.connect();
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "phases:");
      admin.close();
      connection.close();
      client.shutdown();
    }
  }

  @BeforeEach
  void freshPrefix() {
    prefix = RedisTestSupport.RUN_PREFIX + "phases:" + RoundTripScenario.randomId() + ":";
    keys = new RedisKeys(prefix);
    gateway = RedisGateway.of(connection, TIMEOUT, MARGIN);
    other = PhaseHooks.sessions(gateway, keys, bucket -> { });
    otherSeries = PhaseHooks.series(gateway, keys, bucket -> { });
  }

  @AfterEach
  void cleanUp() {
    RedisTestSupport.deleteUnder(admin, prefix);
  }

  /**
   * The store under test: runs {@link #between} once, at its first phase boundary in the bucket
   * of {@code principal}.
   */
  private RedisSessions underTest(String principal) {
    at = RedisKeys.bucketOf(principal);
    AtomicBoolean ran = new AtomicBoolean();
    return PhaseHooks.sessions(gateway, keys, bucket -> {
      if (bucket.equals(at) && ran.compareAndSet(false, true)) {
        between.run();
      }
    });
  }

  /** The remember-me half of the store under test, hooked as {@link #underTest}. */
  private RedisSeries seriesUnderTest(String principal) {
    at = RedisKeys.bucketOf(principal);
    AtomicBoolean ran = new AtomicBoolean();
    return PhaseHooks.series(gateway, keys, bucket -> {
      if (bucket.equals(at) && ran.compareAndSet(false, true)) {
        between.run();
      }
    });
  }

  private RememberMeSeries issued(String principal, long lifetime) {
    RememberMeSeries series = RememberMeSeries.issue(
        RoundTripScenario.hashIn(RedisKeys.bucketOf(principal)), principal,
        RoundTripScenario.randomHash(), NOW, lifetime, "s.00", 0);
    otherSeries.createSeries(series);
    return series;
  }

  private SessionRecord login(String principal, long generation) {
    SessionRecord session = RoundTripScenario.authenticated(principal, NOW);
    assertThat(other.create(session, generation)).as("login stored").isTrue();
    return session;
  }

  @Test
  void aLoginBetweenThePhasesOfAForceLogoutIsRefusedWithTheOldGenerationAndStaysWithTheNew() {
    SessionRecord phone = login("alice", 0);
    SessionRecord laptop = login("alice", 0);
    List<SessionRecord> lateLogins = new ArrayList<>();
    between = () -> {
      assertThat(other.create(RoundTripScenario.authenticated("alice", NOW), 0))
          .as("a login that read the generation before the force logout").isFalse();
      SessionRecord late = RoundTripScenario.authenticated("alice", NOW);
      assertThat(other.create(late, other.principalGeneration("alice")))
          .as("a login that read the new generation").isTrue();
      lateLogins.add(late);
    };

    List<String> deleted = underTest("alice").revokePrincipal("alice", Set.of(), 1);

    assertThat(deleted).containsExactlyInAnyOrder(phone.id(), laptop.id());
    assertThat(other.findById(phone.id())).isEmpty();
    assertThat(other.findById(laptop.id())).isEmpty();
    assertThat(other.findByTokenHash(phone.tokenHash())).isEmpty();
    String late = lateLogins.get(0).id();
    assertThat(other.findById(late)).as("the login after the force logout").isPresent();
    assertThat(other.findByPrincipal("alice", NOW)).extracting(SessionRecord::id)
        .containsExactly(late);
    assertThat(other.findByTokenHash(laptop.tokenHash())).isEmpty();
  }

  @Test
  void aForceLogoutBetweenThePhasesOfAnotherLeavesNothingAndEachSessionIsReportedOnce() {
    SessionRecord phone = login("bob", 0);
    SessionRecord laptop = login("bob", 0);
    SessionRecord kept = login("bob", 0);
    List<String> byTheOther = new ArrayList<>();
    between = () -> byTheOther.addAll(other.revokePrincipal("bob", Set.of(), 2));

    List<String> deleted = underTest("bob").revokePrincipal("bob", Set.of(kept.id()), 1);

    assertThat(byTheOther).containsExactlyInAnyOrder(phone.id(), laptop.id(), kept.id());
    assertThat(deleted).as("all were gone by the second phase").isEmpty();
    assertThat(other.findByPrincipal("bob", NOW)).isEmpty();
    assertThat(other.principalGeneration("bob")).isEqualTo(2);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix))
        .containsExactly(keys.generation(RedisKeys.bucketOf("bob"), "bob"));
  }

  @Test
  void aSessionThatLeavesThePrincipalBetweenThePhasesOfAForceLogoutStaysAsItIsNow() {
    SessionRecord shared = login("carol", 0);
    SessionRecord loggedOut = SessionRecord.anonymous(shared.id(),
        RoundTripScenario.hashFor(shared.id()), shared.lifetime(), ClientInfo.NONE);
    between = () -> assertThat(other.rotate(shared.id(), shared.tokenHash(), loggedOut, 0))
        .as("a logout that keeps the session, anonymous").isTrue();

    assertThat(underTest("carol").revokePrincipal("carol", Set.of(), 1)).isEmpty();

    assertThat(other.findById(shared.id())).as("no longer carol's: not hers to end")
        .hasValueSatisfying(r -> assertThat(r.isAuthenticated()).isFalse());
    assertThat(admin.sync().smembers(keys.principal(RedisKeys.bucketOf("carol"), "carol")))
        .as("its entry left carol's set").isEmpty();
  }

  @Test
  void aLoginBetweenThePhasesOfALogoutOfEveryoneIsRefusedWithTheOldGeneration() {
    SessionRecord phone = login("dave", 0);
    between = () -> assertThat(other.create(RoundTripScenario.authenticated("dave", NOW), 0))
        .as("a login that read the generation before").isFalse();

    assertThat(underTest("dave").revokeAll()).isEqualTo(1);

    assertThat(other.findById(phone.id())).isEmpty();
    assertThat(other.principalGeneration("dave")).isEqualTo(1);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix))
        .containsExactly(keys.generation(RedisKeys.bucketOf("dave"), "dave"));
  }

  @Test
  void aTouchBetweenThePhasesOfAPurgeKeepsTheSessionAndItExpiresLater() {
    SessionRecord session = login("erin", 0); // idle timeout 60 s
    long firstPass = NOW + 61_000;
    between = () -> assertThat(other.touch(session.id(), NOW + 60_000)).isTrue();

    assertThat(underTest("erin").purgeExpired(firstPass, 100)).as("touched meanwhile").isEmpty();

    assertThat(other.findById(session.id())).isPresent();
    assertThat(other.purgeExpired(NOW + 121_000, 100)).extracting(ExpiredSession::sessionId)
        .containsExactly(session.id());
    assertThat(other.findById(session.id())).isEmpty();
  }

  @Test
  void aPurgeBetweenThePhasesOfAnotherReportsEachExpiryOnce() {
    SessionRecord first = login("fay", 0);
    SessionRecord second = login("fay", 0);
    List<ExpiredSession> byTheOther = new ArrayList<>();
    between = () -> byTheOther.addAll(other.purgeExpired(NOW + 61_000, 1));

    List<ExpiredSession> byThisOne = underTest("fay").purgeExpired(NOW + 61_000, 100);

    Set<String> reported = new HashSet<>();
    byTheOther.forEach(e -> assertThat(reported.add(e.sessionId())).isTrue());
    byThisOne.forEach(e -> assertThat(reported.add(e.sessionId())).as("reported twice").isTrue());
    assertThat(reported).containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(byTheOther).hasSize(1);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).as("nothing left").isEmpty();
  }

  @Test
  void aSessionDeletedBetweenThePhasesOfAListingIsNotListedAndItsEntryLeaves() {
    SessionRecord gone = login("gus", 0);
    SessionRecord live = login("gus", 0);
    between = () -> assertThat(other.delete(gone.id())).isTrue();

    assertThat(underTest("gus").findByPrincipal("gus", NOW)).extracting(SessionRecord::id)
        .containsExactly(live.id());
    assertThat(admin.sync().smembers(keys.principal(RedisKeys.bucketOf("gus"), "gus")))
        .containsExactly(live.id());
  }

  @Test
  void aSessionStoredAgainUnderItsIdBetweenThePhasesOfADeleteKeepsItsEntryAndItsToken() {
    SessionRecord session = login("hal", 0);
    SessionRecord again = SessionRecord.authenticated(session.id(),
        RoundTripScenario.hashFor(session.id()),
        Authentication.interactive("hal", NOW, null), session.lifetime(), ClientInfo.NONE);
    between = () -> assertThat(other.create(again, 0)).as("the id stored again").isTrue();

    assertThat(underTest("hal").delete(session.id())).isTrue();

    assertThat(other.findByTokenHash(session.tokenHash())).as("the old token").isEmpty();
    assertThat(other.findByTokenHash(again.tokenHash())).isPresent();
    assertThat(admin.sync().smembers(keys.principal(RedisKeys.bucketOf("hal"), "hal")))
        .as("still hal's: a force logout must find it").containsExactly(session.id());
    assertThat(other.revokePrincipal("hal", Set.of(), 1)).containsExactly(session.id());
  }

  @Test
  void aLoginBetweenThePhasesOfALogoutThatKeepsTheSessionKeepsItsEntryInTheSet() {
    SessionRecord shared = login("kim", 0);
    SessionRecord loggedOut = SessionRecord.anonymous(shared.id(),
        RoundTripScenario.hashFor(shared.id()), shared.lifetime(), ClientInfo.NONE);
    SessionRecord back = SessionRecord.authenticated(shared.id(),
        RoundTripScenario.hashFor(shared.id()),
        Authentication.interactive("kim", NOW, null), shared.lifetime(), ClientInfo.NONE);
    between = () -> assertThat(other.rotate(shared.id(), loggedOut.tokenHash(), back, 0))
        .as("kim logs in again").isTrue();

    assertThat(underTest("kim").rotate(shared.id(), shared.tokenHash(), loggedOut, 0)).isTrue();

    assertThat(admin.sync().smembers(keys.principal(RedisKeys.bucketOf("kim"), "kim")))
        .as("kim's again: a force logout must find it").containsExactly(shared.id());
    assertThat(other.revokePrincipal("kim", Set.of(), 1)).containsExactly(shared.id());
  }

  @Test
  void aLogoutThatKeepsTheSessionTakesItsEntryOutOfThePrincipalsSet() {
    SessionRecord shared = login("lou", 0);
    SessionRecord loggedOut = SessionRecord.anonymous(shared.id(),
        RoundTripScenario.hashFor(shared.id()), shared.lifetime(), ClientInfo.NONE);
    between = () -> { };

    assertThat(underTest("lou").rotate(shared.id(), shared.tokenHash(), loggedOut, 0)).isTrue();

    assertThat(admin.sync().smembers(keys.principal(RedisKeys.bucketOf("lou"), "lou"))).isEmpty();
    assertThat(other.findByTokenHash(loggedOut.tokenHash())).isPresent();
  }

  @Test
  void seriesChangedBetweenThePhasesOfASeriesRevocationAreDeletedOnceAndANewOneStays() {
    RememberMeSeries gone = issued("max", 86_400_000);
    RememberMeSeries listed = issued("max", 86_400_000);
    List<RememberMeSeries> created = new ArrayList<>();
    between = () -> {
      assertThat(otherSeries.deleteSeries(gone.selectorHash())).isTrue();
      created.add(issued("max", 86_400_000));
    };

    assertThat(seriesUnderTest("max").revokeSeries("max", Set.of(), 1)).isEqualTo(1);

    assertThat(otherSeries.findSeries(listed.selectorHash())).isEmpty();
    assertThat(otherSeries.findSeries(created.get(0).selectorHash()))
        .as("created after the first phase").isPresent();
    assertThat(admin.sync().smembers(keys.seriesOfPrincipal(RedisKeys.bucketOf("max"), "max")))
        .containsExactly(created.get(0).selectorHash().toBase64Url());
  }

  @Test
  void aSeriesCreatedBetweenThePhasesOfARevocationOfEverySeriesStays() {
    RememberMeSeries listed = issued("ned", 86_400_000);
    List<RememberMeSeries> created = new ArrayList<>();
    between = () -> created.add(issued("ned", 86_400_000));

    assertThat(seriesUnderTest("ned").revokeAllSeries()).isEqualTo(1);

    assertThat(otherSeries.findSeries(listed.selectorHash())).isEmpty();
    assertThat(otherSeries.findSeries(created.get(0).selectorHash())).isPresent();
  }

  @Test
  void aSeriesPurgeBetweenThePhasesOfAnotherRemovesEachSeriesOnce() {
    issued("oda", 1_000);
    issued("oda", 1_000);
    int[] byTheOther = new int[1];
    between = () -> byTheOther[0] = otherSeries.purgeExpiredSeries(NOW + 2_000, 1);

    int byThisOne = seriesUnderTest("oda").purgeExpiredSeries(NOW + 2_000, 100);

    assertThat(byTheOther[0]).isEqualTo(1);
    assertThat(byThisOne).as("only the one the other purge left").isEqualTo(1);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).as("nothing left").isEmpty();
  }
}
