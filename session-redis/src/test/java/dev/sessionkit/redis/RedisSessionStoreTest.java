// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static dev.sessionkit.redis.RedisTestSupport.hashOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sessionkit.EndReason;
import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionEndedException;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis store adds to the contract suites: TTLs, the key layout, round trips, atomicity
 * under a real {@link SessionManager}, no secrets at rest, and expiry reports for sessions Redis
 * removed itself.
 */
class RedisSessionStoreTest {

  private static final Duration MARGIN = Duration.ofMinutes(1);
  private static final long TOLERANCE = 10_000;

  private static RedisClient storeClient;
  private static RedisClient adminClient;
  private static StatefulRedisConnection<String, String> admin;
  private static StatefulRedisConnection<String, byte[]> adminBytes;
  private static final RoundTripCounter COUNTER = new RoundTripCounter();
  private static int testNumber;

  private String prefix;
  private RedisKeys keys;
  private RedisSessionStore store;
  private MutableClock clock;
  private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    storeClient = RedisTestSupport.client();
    storeClient.addListener(COUNTER);
    adminClient = RedisTestSupport.client();
    admin = adminClient.connect();
    adminBytes = adminClient.connect(RedisSessionStore.codec());
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "store:");
      admin.close();
      adminBytes.close();
      adminClient.shutdown();
      storeClient.shutdown();
    }
  }

  @BeforeEach
  void openStore() {
    prefix = RedisTestSupport.RUN_PREFIX + "store:" + (++testNumber) + ":";
    keys = new RedisKeys(prefix);
    store = storeWith(MARGIN);
    clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  @AfterEach
  void closeStore() {
    store.close();
    RedisTestSupport.deleteUnder(admin, prefix);
  }

  private String sessionKey(String id) {
    return keys.session(RedisKeys.bucketOfSessionId(id), id);
  }

  private String principalKey(String principal) {
    return keys.principal(RedisKeys.bucketOf(principal), principal);
  }

  private String generationKey(String principal) {
    return keys.generation(RedisKeys.bucketOf(principal), principal);
  }

  private String seriesOfPrincipalKey(String principal) {
    return keys.seriesOfPrincipal(RedisKeys.bucketOf(principal), principal);
  }

  private String dueKeyOf(String sessionId) {
    return keys.due(RedisKeys.bucketOfSessionId(sessionId));
  }

  private RedisSessionStore storeWith(Duration margin) {
    return RedisSessionStore.builder().client(storeClient).keyPrefix(prefix).ttlMargin(margin)
        .build();
  }

  private SessionManager manager(SessionConfig config, RedisSessionStore with) {
    return SessionManager.builder().config(config).store(with).clock(clock)
        .listener(events::add).build();
  }

  private SessionManager manager() {
    return manager(SessionConfig.defaults(), store);
  }

  // ------------------------------------------------------------------ TTLs

  @Test
  void sessionTtlFollowsTouchesAndStopsAtTheAbsoluteDeadline() {
    SessionConfig config = SessionConfig.builder().idleTimeout(Duration.ofMinutes(30))
        .absoluteTimeout(Duration.ofHours(2)).build();
    SessionManager sessions = manager(config, store);
    long start = clock.millis();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);
    String id = login.session().id();

    assertTtls(id, Duration.ofMinutes(30), start + Duration.ofMinutes(30).toMillis());
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).as("no key per token")
        .containsExactlyInAnyOrder(sessionKey(id), dueKeyOf(id), principalKey("alice"));

    for (int minutes = 20; minutes <= 80; minutes += 20) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(sessions.resolve(login.token())).isPresent();
      // idle deadline moved forward: the TTL is the whole idle timeout again, not what was left
      assertTtls(id, Duration.ofMinutes(30), start + Duration.ofMinutes(minutes + 30).toMillis());
    }

    clock.advance(Duration.ofMinutes(25)); // 1h45: only 15 minutes to the absolute deadline
    assertThat(sessions.resolve(login.token())).isPresent();
    assertTtls(id, Duration.ofMinutes(15), start + Duration.ofHours(2).toMillis());

    clock.advance(Duration.ofMinutes(15));
    assertThat(sessions.resolve(login.token())).isEmpty();
    assertThat(admin.sync().exists(sessionKey(id))).isZero();
  }

  private void assertTtls(String id, Duration remaining, long expiresAt) {
    long expected = remaining.plus(MARGIN).toMillis();
    RedisCommands<String, String> redis = admin.sync();
    assertThat(redis.pttl(sessionKey(id))).isCloseTo(expected, within(TOLERANCE))
        .isLessThanOrEqualTo(expected);
    assertThat(redis.pttl(principalKey("alice"))).as("the set outlives the session")
        .isGreaterThanOrEqualTo(redis.pttl(sessionKey(id)) - TOLERANCE);
    List<String> due = redis.zrangebyscore(dueKeyOf(id), Range.create(expiresAt, expiresAt));
    assertThat(due).singleElement().asString().startsWith(id + "\n");
  }

  @Test
  void rememberMeSeriesIsKeyedBySelectorHashAndExpiresWithItsLifetime() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
    String token = login.rememberMe().orElseThrow().value();
    String selector = token.substring(0, token.indexOf('.'));
    String seriesKey = keys.series(RedisKeys.bucketOf("alice"), hashOf(selector));
    long lifetime = SessionConfig.defaults().rememberMeLifetime().toMillis();
    assertThat(admin.sync().exists(keys.series(RedisKeys.bucketOf("alice"), selector)))
        .as("never keyed by the selector")
        .isZero();
    assertThat(admin.sync().pttl(seriesKey)).isCloseTo(lifetime + MARGIN.toMillis(),
        within(TOLERANCE));
    assertThat(admin.sync().smembers(seriesOfPrincipalKey("alice")))
        .containsExactly(hashOf(selector));

    clock.advance(Duration.ofDays(3));
    RememberMeResult resumed = sessions.resumeRememberMe(token, ClientInfo.NONE);
    assertThat(resumed.status()).isEqualTo(RememberMeResult.Status.RESUMED);
    assertThat(admin.sync().pttl(seriesKey)).isCloseTo(
        lifetime - Duration.ofDays(3).toMillis() + MARGIN.toMillis(), within(TOLERANCE));
    assertThat(admin.sync().hget(seriesKey, "ls"))
        .isEqualTo(resumed.issued().orElseThrow().session().id());
  }

  // ------------------------------------------------------------------ previous tokens

  @Test
  void aRenewedAwayTokenResolvesInItsGraceAndNoLongerAfterTheNextRotationWithNoKeyOfItsOwn() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("bob", ClientInfo.NONE, false);
    Session session = login.session();
    clock.advance(Duration.ofSeconds(10));
    IssuedSession first = sessions.renew(session).orElseThrow();
    assertThat(sessions.resolve(login.token())).as("within the grace").isPresent();
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).as("no key per token")
        .containsExactlyInAnyOrder(sessionKey(session.id()), dueKeyOf(session.id()),
            principalKey("bob"));

    clock.advance(Duration.ofSeconds(1));
    IssuedSession second = sessions.renew(first.session()).orElseThrow();
    assertThat(sessions.resolve(login.token())).as("two rotations ago").isEmpty();
    assertThat(sessions.resolve(first.token())).as("the previous one, in its grace").isPresent();

    assertThat(sessions.logout(second.token())).isTrue();
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).as("a logout leaves nothing")
        .isEmpty();
    assertThat(sessions.resolve(first.token())).isEmpty();
  }

  @Test
  void aRevocationLeavesAGenerationKeyThatNeverExpiresAndNothingElse() {
    SessionManager sessions = manager();
    for (int i = 0; i < 3; i++) {
      IssuedSession login = sessions.authenticate("cora", ClientInfo.NONE, true);
      sessions.renew(login.session()).orElseThrow();
    }
    assertThat(sessions.logoutAll("cora")).isEqualTo(3);

    assertThat(admin.sync().get(generationKey("cora"))).isEqualTo("1");
    assertThat(admin.sync().pttl(generationKey("cora"))).as("no TTL").isEqualTo(-1);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix))
        .containsExactly(generationKey("cora"));
    assertThat(sessions.logoutAll("cora")).isZero();
    assertThat(admin.sync().get(generationKey("cora"))).isEqualTo("2");
  }

  @Test
  void everyKeyIsInTheLayoutAndInTheBucketOfItsRecord() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("dora", ClientInfo.NONE, true);
    String bucket = RedisKeys.bucketOf("dora");
    assertThat(login.session().id()).endsWith("." + bucket);
    assertThat(login.token()).as("the cookie names its session")
        .endsWith("." + login.session().id().replace(".", ""));
    assertThat(login.rememberMe().orElseThrow().value()).endsWith("." + bucket);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).isNotEmpty()
        .allSatisfy(key -> assertThat(key).startsWith(keys.bucketRoot(bucket)));
  }

  @Test
  void aStoreRefusesToStartOnDataOfAnEarlierLayoutAndSaysWhatToDo() {
    for (String index : List.of("v3:{00}:due", "v3:{ff}:rdue", "v3:{7a}:due", "v2:due", "v2:rdue",
        "due", "rdue")) {
      admin.sync().zadd(prefix + index, 1, "an entry of an earlier layout");

      assertThatThrownBy(() -> storeWith(MARGIN)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("layout " + (index.startsWith("v3") ? 3
              : index.startsWith("v2") ? 2 : 1))
          .hasMessageContaining("'" + prefix + "'")
          .hasMessageContaining("redis-cli --scan --pattern")
          .hasMessageContaining("another keyPrefix");
      admin.sync().del(prefix + index);
    }
    storeWith(MARGIN).close();
  }

  // ------------------------------------------------------------------ round trips

  @Test
  void resolveCostsOneRoundTripAlsoWhenItRecordsTheAccess() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);
    sessions.resolve(login.token()); // scripts cached (a fresh Redis answers NOSCRIPT once)
    clock.advance(Duration.ofSeconds(2));
    sessions.resolve(login.token());
    COUNTER.take();

    assertThat(sessions.resolve(login.token())).isPresent();
    assertThat(COUNTER.take()).containsExactly("EVALSHA");

    clock.advance(Duration.ofSeconds(2)); // past the touch interval: the access is recorded
    assertThat(sessions.resolve(login.token()).orElseThrow().lastAccessedAt())
        .isEqualTo(clock.instant());
    assertThat(COUNTER.take()).containsExactly("EVALSHA");
    assertThat(sessions.resolve(login.token()).orElseThrow().lastAccessedAt())
        .as("recorded in Redis, not only in the answer").isEqualTo(clock.instant());
    COUNTER.take();

    assertThat(sessions.resolve("A".repeat(43) + ".AAAAAAAAAAAAAAAA00")).isEmpty();
    assertThat(COUNTER.take()).as("an unknown session of a bucket").containsExactly("EVALSHA");
    assertThat(sessions.resolve("A".repeat(43))).isEmpty();
    assertThat(sessions.resolve("A".repeat(43) + ".zz")).isEmpty();
    assertThat(sessions.resolve("A".repeat(43) + ".00")).as("a cookie of layout 3").isEmpty();
    assertThat(sessions.resolve("A".repeat(43) + ".AAAAAAAAAAAAAAAAzz")).isEmpty();
    assertThat(COUNTER.take()).as("a cookie without a session of this store costs nothing")
        .isEmpty();
  }

  /**
   * The session cookie names its session (the id is no secret: it is in events and logs); a
   * cookie that names someone else's session with a token of its own, or a made-up one, must find
   * nothing, record no access there and end nothing.
   */
  @Test
  void aCookieThatNamesAnotherSessionWithItsOwnTokenFindsNothingAndChangesNothing() {
    SessionManager sessions = manager();
    IssuedSession mallory = sessions.authenticate("mallory", ClientInfo.NONE, false);
    IssuedSession victim = sessions.authenticate("victor", ClientInfo.NONE, false);
    String victimId = victim.session().id();
    String victimTag = victim.token().substring(victim.token().indexOf('.') + 1);
    String malloryToken = mallory.token().substring(0, mallory.token().indexOf('.'));
    Instant lastAccess = sessions.resolve(victim.token()).orElseThrow().lastAccessedAt();
    clock.advance(Duration.ofMinutes(5));

    for (String forged : List.of(malloryToken + "." + victimTag,
        "A".repeat(43) + "." + victimTag)) {
      assertThat(sessions.resolve(forged)).as("resolve %s", forged.substring(43)).isEmpty();
      assertThat(sessions.logout(forged)).as("logout").isFalse();
      assertThat(sessions.authenticate(forged, "mallory", ClientInfo.NONE, false).session().id())
          .as("a login from it starts a session of its own").isNotEqualTo(victimId);
    }

    assertThat(store.findById(victimId)).hasValueSatisfying(r -> {
      assertThat(r.principal()).isEqualTo("victor");
      assertThat(r.lifetime().lastAccessedAt()).as("no access recorded")
          .isEqualTo(lastAccess.toEpochMilli());
    });
    assertThat(sessions.resolve(victim.token())).as("the victim is still signed in").isPresent();
    assertThat(sessions.resolve(mallory.token())).isPresent();
  }

  @Test
  void resolvingByAPreviousTokenCostsOneRoundTripAndTouchesOnlyWithinTheGrace() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("ella", ClientInfo.NONE, false);
    sessions.resolve(login.token()); // scripts cached
    IssuedSession renewed = sessions.renew(login.session()).orElseThrow();
    clock.advance(Duration.ofSeconds(2));
    COUNTER.take();

    Session byPrevious = sessions.resolve(login.token()).orElseThrow();
    assertThat(COUNTER.take()).containsExactly("EVALSHA");
    assertThat(byPrevious.id()).isEqualTo(login.session().id());
    assertThat(byPrevious.lastAccessedAt()).isEqualTo(clock.instant());

    clock.advance(SessionConfig.defaults().rotationGracePeriod()); // the grace is over
    Instant before = clock.instant();
    assertThat(sessions.resolve(login.token())).isEmpty();
    assertThat(COUNTER.take()).containsExactly("EVALSHA");
    assertThat(admin.sync().hget(sessionKey(byPrevious.id()), "la"))
        .as("a dead token never touches").isNotEqualTo(Long.toString(before.toEpochMilli()));
    assertThat(sessions.resolve(renewed.token())).isPresent();
  }

  @Test
  void managerOperationsCostTheRoundTripsTheReadmeLists() {
    SessionManager sessions = manager();
    for (int pass = 0; pass < 2; pass++) { // the first pass caches the scripts
      String principal = "kim" + pass;
      COUNTER.take();
      IssuedSession plain = sessions.authenticate(principal, ClientInfo.NONE, false);
      int authenticate = COUNTER.take().size();
      IssuedSession remembered = sessions.authenticate(principal, ClientInfo.NONE, true);
      int authenticateRememberMe = COUNTER.take().size();
      plain.session().putAttribute("cart", "apple");
      int putAttribute = COUNTER.take().size();
      sessions.renew(plain.session()).orElseThrow();
      int renew = COUNTER.take().size();
      RememberMeResult resumed = sessions.resumeRememberMe(
          remembered.rememberMe().orElseThrow().value(), ClientInfo.NONE);
      int resume = COUNTER.take().size();
      sessions.sessionsOf(principal);
      int list = COUNTER.take().size();
      sessions.logoutOthers(resumed.issued().orElseThrow().session());
      int logoutOthers = COUNTER.take().size();
      sessions.logout(resumed.issued().orElseThrow().token());
      int logout = COUNTER.take().size();
      if (pass == 1) {
        assertThat(List.of(authenticate, authenticateRememberMe, putAttribute, renew, resume,
            list, logoutOthers, logout)).containsExactly(2, 3, 1, 1, 5, 2, 6, 4);
      }
    }
  }

  @Test
  void everyStoreOperationCostsTheRoundTripsDocsRedisLists() {
    for (int pass = 0; pass < 2; pass++) { // the first pass caches the scripts
      COUNTER.take();
      Map<String, List<String>> sent = RoundTripScenario.run(store, clock.millis(), COUNTER);
      if (pass == 1) {
        assertThat(sent).hasSize(22).allSatisfy((operation, commands) ->
            assertThat(commands).as(operation)
                .hasSize(RoundTripScenario.expectedCommands(operation)));
        // a purge asks each due-index shard once (a read in its slot; nothing is due here, so
        // no shard needs the script that claims), a listing reads the set, then the sessions
        assertThat(sent.get("purgeExpired")).containsOnly("ZRANGEBYSCORE");
        assertThat(sent.get("findByPrincipal")).containsExactly("SMEMBERS", "EVALSHA");
        // the principal's only session was deleted before: nothing listed, nothing to drop
        assertThat(sent.get("revokePrincipal")).containsExactly("EVALSHA");
        assertThat(sent.get("findById")).containsExactly("HGETALL");
        assertThat(sent.get("findSeries")).containsExactly("HGETALL");
        assertThat(sent.get("principalGeneration")).containsExactly("GET");
        assertThat(sent.get("findByTokenHashAndTouch (previous token)"))
            .containsExactly("EVALSHA");
      }
    }
  }

  // ------------------------------------------------------------------ atomicity

  @Test
  void forceLogoutUnderConcurrentLoginsLeavesNoSessionBehindOrHalfDone() throws Exception {
    SessionManager sessions = manager();
    for (int round = 0; round < 5; round++) {
      String principal = "carol" + round;
      List<IssuedSession> before = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        before.add(sessions.authenticate(principal, ClientInfo.NONE, false));
      }
      events.clear();
      List<IssuedSession> during = new CopyOnWriteArrayList<>();
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        tasks.add(() -> {
          int refused = 0;
          for (int i = 0; i < 10; i++) {
            try {
              during.add(sessions.authenticate(principal, ClientInfo.NONE, false));
            } catch (SessionEndedException fenced) {
              refused++; // read the generation before the force logout, stored after: refused
            }
          }
          return refused;
        });
      }
      tasks.add(() -> sessions.logoutAll(principal));
      List<Integer> results = runTogether(tasks);

      Set<String> revoked = new HashSet<>();
      for (SessionEvent e : events) {
        if (e.type() == SessionEvent.Type.REVOKED) {
          assertThat(revoked.add(e.sessionId().orElseThrow())).isTrue();
        }
      }
      assertThat(revoked).hasSize(results.get(3));
      assertThat(during.size() + results.get(0) + results.get(1) + results.get(2)).isEqualTo(30);
      Set<String> live = new HashSet<>();
      for (IssuedSession issued : concat(before, during)) {
        boolean resolves = sessions.resolve(issued.token()).isPresent();
        String id = issued.session().id();
        // each session either ended in the force logout or is untouched: never both, never lost
        assertThat(resolves).as(id).isNotEqualTo(revoked.contains(id));
        if (resolves) {
          live.add(id);
        }
      }
      assertThat(revoked).containsAll(before.stream().map(s -> s.session().id()).toList());
      assertThat(sessions.sessionsOf(principal)).extracting(Session::id)
          .containsExactlyInAnyOrderElementsOf(live);
      assertThat(admin.sync().smembers(principalKey(principal)))
          .containsExactlyInAnyOrderElementsOf(live);
    }
  }

  @Test
  void ofParallelUsesOfOneRememberMeTokenExactlyOneStartsASession() throws Exception {
    SessionManager sessions = manager();
    for (int round = 0; round < 10; round++) {
      String principal = "dave" + round;
      String token = sessions.authenticate(principal, ClientInfo.NONE, true).rememberMe()
          .orElseThrow().value();
      List<Callable<RememberMeResult.Status>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(() -> sessions.resumeRememberMe(token, ClientInfo.NONE).status());
      }
      List<RememberMeResult.Status> results = runTogether(tasks);

      assertThat(results).filteredOn(s -> s == RememberMeResult.Status.RESUMED).hasSize(1);
      assertThat(results).filteredOn(s -> s != RememberMeResult.Status.RESUMED)
          .containsOnly(RememberMeResult.Status.RECENTLY_ROTATED);
      assertThat(sessions.sessionsOf(principal)).hasSize(2);
    }
  }

  // ------------------------------------------------------------------ secrets

  @Test
  void noTokenSelectorOrValidatorIsStoredInAnyKeyOrValue() {
    SessionManager sessions = manager();
    List<String> secrets = new ArrayList<>();
    IssuedSession visit = sessions.startAnonymous(ClientInfo.of("203.0.113.9", "Firefox"));
    secrets.add(visit.token());
    visit.session().putAttribute("cart", new ArrayList<>(List.of("book", "pen")));
    IssuedSession login = sessions.authenticate(visit.token(), "erin", ClientInfo.NONE, true);
    secrets.add(login.token());
    String rememberMe = login.rememberMe().orElseThrow().value();
    secrets.add(rememberMe);
    clock.advance(Duration.ofSeconds(5));
    Session session = sessions.resolve(login.token()).orElseThrow();
    session.putAttribute("theme", "dark");
    IssuedSession renewed = sessions.renew(session).orElseThrow();
    secrets.add(renewed.token());
    clock.advance(Duration.ofSeconds(10));
    RememberMeResult resumed = sessions.resumeRememberMe(rememberMe, ClientInfo.NONE);
    IssuedSession second = resumed.issued().orElseThrow();
    secrets.add(second.token());
    secrets.add(second.rememberMe().orElseThrow().value());
    IssuedSession other = sessions.authenticate("erin", ClientInfo.NONE, true);
    secrets.add(other.token());
    secrets.add(other.rememberMe().orElseThrow().value());
    sessions.renew(other.session()).orElseThrow(); // a previous token's hash in the session

    List<byte[]> needles = new ArrayList<>();
    int selectors = 0;
    for (String secret : secrets) {
      String[] parts = secret.split("\\.");
      for (String part : Arrays.copyOf(parts, parts.length - 1)) {
        // the last part is the routing tag: public, it names the bucket (and the session id)
        // session tokens and validators have 43 characters, selectors 16
        needles.add(part.getBytes(StandardCharsets.US_ASCII));
        needles.add(Base64.getUrlDecoder().decode(part));
        selectors += part.length() == 16 ? 1 : 0;
      }
    }
    assertThat(selectors).as("selectors among the secrets").isEqualTo(3);
    assertThat(needles).hasSize(2 * 11);

    List<byte[]> stored = storedBytes();
    // the scan sees what is there: the live token's hash is a value, the series' selector hash a
    // key
    assertThat(stored).anySatisfy(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(hashOf(second.token())));
    assertThat(stored).anySatisfy(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(keys.series(RoutingTag.ofSessionId(rememberMe),
            hashOf(rememberMe.substring(0, 16)))));
    for (byte[] bytes : stored) {
      for (byte[] needle : needles) {
        assertThat(indexOf(bytes, needle)).as("a secret is stored in %s",
            new String(bytes, StandardCharsets.UTF_8)).isEqualTo(-1);
      }
    }
  }

  /** Every key under the prefix, and every field, member and value it holds. */
  private List<byte[]> storedBytes() {
    List<byte[]> out = new ArrayList<>();
    RedisCommands<String, byte[]> redis = adminBytes.sync();
    for (String key : RedisTestSupport.keysUnder(admin.sync(), prefix)) {
      out.add(key.getBytes(StandardCharsets.UTF_8));
      switch (admin.sync().type(key)) {
        case "string" -> out.add(redis.get(key));
        case "hash" -> redis.hgetall(key).forEach((field, value) -> {
          out.add(field.getBytes(StandardCharsets.UTF_8));
          out.add(value);
        });
        case "set" -> out.addAll(redis.smembers(key));
        case "zset" -> out.addAll(redis.zrange(key, 0, -1));
        default -> throw new AssertionError("unexpected type of " + key);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ expiry by Redis

  @Test
  void sessionsRedisExpiredWhileNoServerRanAreReportedOnceWithTheirPrincipal() throws Exception {
    SessionConfig config = SessionConfig.builder().idleTimeout(Duration.ofMillis(500))
        .absoluteTimeout(Duration.ofMillis(800)).touchInterval(Duration.ofMillis(10)).build();
    long start = clock.millis();
    String idle;
    String absolute;
    String anonymous;
    try (RedisSessionStore first = storeWith(Duration.ZERO)) {
      SessionManager sessions = manager(config, first);
      idle = sessions.authenticate("frank", ClientInfo.NONE, false).session().id();
      IssuedSession touched = sessions.authenticate("frank", ClientInfo.NONE, false);
      absolute = touched.session().id();
      clock.advance(Duration.ofMillis(400));
      // touched: now it ends at the absolute deadline
      assertThat(sessions.resolve(touched.token())).isPresent();
      anonymous = sessions.startAnonymous(ClientInfo.NONE).session().id();
    } // every app server is gone

    List<String> sessionKeys = List.of(sessionKey(idle), sessionKey(absolute),
        sessionKey(anonymous));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (admin.sync().exists(sessionKeys.toArray(new String[0])) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(admin.sync().exists(sessionKeys.toArray(new String[0]))).as("Redis expired them")
        .isZero();

    SessionManager restarted = manager(config, store);
    clock.set(Instant.ofEpochMilli(start + 1000));
    assertThat(restarted.sessionsOf("frank")).isEmpty();
    assertThat(admin.sync().exists(principalKey("frank"))).as("stale entries pruned").isZero();

    events.clear();
    assertThat(restarted.purgeExpired()).isEqualTo(3);
    assertThat(events).extracting(SessionEvent::type).containsOnly(SessionEvent.Type.EXPIRED);
    assertThat(events).extracting(e -> e.sessionId().orElseThrow(),
            e -> e.principal().orElse(null), e -> e.reason().orElseThrow(), SessionEvent::at)
        .containsExactlyInAnyOrder(
            Tuple.tuple(idle, "frank", EndReason.IDLE_TIMEOUT, Instant.ofEpochMilli(start + 500)),
            Tuple.tuple(absolute, "frank", EndReason.ABSOLUTE_TIMEOUT,
                Instant.ofEpochMilli(start + 800)),
            Tuple.tuple(anonymous, null, EndReason.IDLE_TIMEOUT,
                Instant.ofEpochMilli(start + 900)));
    assertThat(restarted.purgeExpired()).isZero();
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).as("nothing left behind")
        .isEmpty();
  }

  @Test
  void purgeOfSessionsStillInRedisRemovesEveryKey() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("gina", ClientInfo.NONE, true);
    sessions.renew(login.session()).orElseThrow();
    sessions.startAnonymous(ClientInfo.NONE);
    clock.advance(Duration.ofMinutes(31));
    assertThat(sessions.purgeExpired()).isEqualTo(2);
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix))
        .as("only the series is left, until its own end").hasSize(3)
        .contains(keys.seriesDue(RedisKeys.bucketOf("gina")), seriesOfPrincipalKey("gina"));
    clock.advance(SessionConfig.defaults().rememberMeLifetime());
    sessions.purgeExpired();
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).isEmpty();
  }

  /**
   * A revocation that must wait for a replica where none runs (standalone Redis): it is applied on
   * the primary, and the caller is told, with how many acknowledged, rather than a bare timeout.
   * The timeout (2 s, of which the WAIT takes 1.5 s) leaves the script and the WAIT's answer time
   * to arrive on a loaded machine; at 400 ms a slow first revocation connection timed out instead.
   */
  @Test
  void aRevocationNoReplicaAcknowledgesIsAppliedAndReportedAsFailed() {
    try (RedisSessionStore waiting = RedisSessionStore.builder().client(storeClient)
        .keyPrefix(prefix).timeout(Duration.ofSeconds(2)).revocationReplicas(1).build()) {
      SessionManager sessions = manager(SessionConfig.defaults(), waiting);
      IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);

      assertThatThrownBy(() -> sessions.logoutAll("alice"))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("0 of 1 replicas acknowledged it");
      assertThat(sessions.resolve(login.token())).as("applied on the primary").isEmpty();
    }
  }

  /**
   * A revocation waits for a replica that does not answer (none runs here: the same as a stalled
   * one); a request of another user on the same store, sent while that {@code WAIT} blocks its
   * connection on Redis, is answered while it still does: revocations go over a connection of
   * their own (standalone and Sentinel alike), not the one every request shares.
   */
  @Test
  void aRevocationWaitingForAReplicaDoesNotHoldUpTheRequestsOfItsStore() throws Exception {
    try (RedisSessionStore waiting = RedisSessionStore.builder().client(storeClient)
        .keyPrefix(prefix).timeout(Duration.ofSeconds(3)).revocationReplicas(1).build()) {
      SessionManager sessions = manager(SessionConfig.defaults(), waiting);
      IssuedSession alice = sessions.authenticate("alice", ClientInfo.NONE, false);
      IssuedSession bob = sessions.authenticate("bob", ClientInfo.NONE, false);
      assertThat(sessions.resolve(bob.token())).isPresent();
      long waitsBefore = waitingClients();
      ExecutorService logoutThread = Executors.newSingleThreadExecutor();
      try {
        Future<Throwable> logout = logoutThread.submit(() -> {
          try {
            sessions.logout(alice.token());
            return null;
          } catch (SessionStoreException expected) {
            return expected; // no replica acknowledged: documented, the caller retries
          }
        });
        while (waitingClients() == waitsBefore) {
          assertThat(logout).as("the logout's WAIT blocks on Redis").isNotDone();
          TimeUnit.MILLISECONDS.sleep(5); // polls Redis (an outside event)
        }
        assertThat(sessions.resolve(bob.token())).isPresent();
        assertThat(waitingClients())
            .as("the request was answered while the logout still waited for a replica")
            .isGreaterThan(waitsBefore);
        assertThat(logout.get(10, TimeUnit.SECONDS)).isInstanceOf(SessionStoreException.class)
            .hasMessageContaining("0 of 1 replicas acknowledged it");
      } finally {
        logoutThread.shutdownNow();
      }
      assertThat(sessions.resolve(alice.token())).as("applied on the primary").isEmpty();
    }
  }

  /** Returns how many clients of Redis are blocked in a {@code WAIT}. */
  private static long waitingClients() {
    return admin.sync().clientList().lines().filter(l -> l.contains(" cmd=wait ")).count();
  }

  /**
   * A force logout and a listing of a principal whose set names a session whose hash is gone (Redis
   * expired it, no purge ran yet): the listing drops the entry (its script names the hash in KEYS,
   * so a missing hash is gone, also on a cluster whose slot migrates), and the purge still reports
   * that session's expiry once.
   */
  @Test
  void aForceLogoutRemovesTheEntryOfASessionRedisExpiredAndThePurgeStillReportsIt() {
    SessionManager sessions = manager();
    IssuedSession gone = sessions.authenticate("ivan", ClientInfo.NONE, false);
    IssuedSession live = sessions.authenticate("ivan", ClientInfo.NONE, false);
    String goneId = gone.session().id();
    admin.sync().del(sessionKey(goneId)); // as Redis's expiry does it

    assertThat(sessions.sessionsOf("ivan")).extracting(Session::id)
        .containsExactly(live.session().id());
    assertThat(admin.sync().smembers(principalKey("ivan"))).as("listing drops the entry")
        .containsExactly(live.session().id());

    assertThat(sessions.logoutAll("ivan")).isEqualTo(1);
    assertThat(sessions.resolve(live.token())).isEmpty();
    assertThat(admin.sync().exists(principalKey("ivan"))).as("no entry left").isZero();

    events.clear();
    clock.advance(SessionConfig.defaults().absoluteTimeout());
    assertThat(sessions.purgeExpired()).isEqualTo(1);
    assertThat(events).extracting(e -> e.sessionId().orElseThrow(), SessionEvent::type)
        .containsExactly(Tuple.tuple(goneId, SessionEvent.Type.EXPIRED));
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix))
        .containsExactly(keys.generation(RedisKeys.bucketOf("ivan"), "ivan"));
  }

  /**
   * Signing everyone out while a session's hash is gone (Redis expired it) but its due entry is
   * not: the entry stays for the purge, which reports the expiry once; the rest is deleted.
   */
  @Test
  void aLogoutOfEveryoneLeavesTheExpiryOfASessionRedisExpiredToThePurge() {
    SessionManager sessions = manager();
    IssuedSession gone = sessions.authenticate("judy", ClientInfo.NONE, false);
    IssuedSession live = sessions.authenticate("judy", ClientInfo.NONE, false);
    IssuedSession anonymous = sessions.startAnonymous(ClientInfo.NONE);
    admin.sync().del(sessionKey(gone.session().id())); // Redis's expiry

    assertThat(sessions.logoutEveryone()).isEqualTo(2);
    assertThat(sessions.resolve(live.token())).isEmpty();
    assertThat(sessions.resolve(anonymous.token())).isEmpty();

    events.clear();
    clock.advance(SessionConfig.defaults().absoluteTimeout());
    assertThat(sessions.purgeExpired()).isEqualTo(1);
    assertThat(events).extracting(e -> e.sessionId().orElseThrow(), SessionEvent::type)
        .containsExactly(Tuple.tuple(gone.session().id(), SessionEvent.Type.EXPIRED));
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix))
        .containsExactly(keys.generation(RedisKeys.bucketOf("judy"), "judy"));
  }

  @Test
  void aCorruptRecordIsRemovedWithEveryKeyThatPointsAtIt() {
    SessionManager sessions = manager();
    IssuedSession login = sessions.authenticate("hank", ClientInfo.NONE, false);
    IssuedSession renewed = sessions.renew(login.session()).orElseThrow();
    admin.sync().hset(sessionKey(login.session().id()), "la", "not a number");

    assertThat(sessions.resolve(renewed.token())).isEmpty();
    assertThat(sessions.sessionsOf("hank")).isEmpty();
    assertThat(RedisTestSupport.keysUnder(admin.sync(), prefix)).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Runs the tasks on their own threads, all released at once; returns results in order. */
  static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(tasks.size());
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Callable<T>> released = tasks.stream().<Callable<T>>map(task -> () -> {
        barrier.await();
        return task.call();
      }).toList();
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(released, 60, TimeUnit.SECONDS)) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
