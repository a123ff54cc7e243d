// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session cookies that an attacker writes: the cookie names its session (the id is no secret), so
 * every entry point that takes a cookie ({@code resolve}, {@code logout}, {@code renew}, {@code
 * loginTarget}, {@code authenticate(currentToken, ...)}) must find nothing of someone else's
 * session, change nothing there, and answer a cookie whose tag is not of this store's shape
 * without asking Redis.
 */
class RedisForgedCookieTest {

  private static final RoundTripCounter COUNTER = new RoundTripCounter();
  private static RedisClient storeClient;
  private static RedisClient adminClient;
  private static StatefulRedisConnection<String, String> admin;
  private static int testNumber;

  private String prefix;
  private RedisSessionStore store;
  private MutableClock clock;
  private SessionManager sessions;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    storeClient = RedisTestSupport.client();
    storeClient.addListener(COUNTER);
    adminClient = RedisTestSupport.client();
    admin = adminClient.connect();
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "forged:");
      admin.close();
      adminClient.shutdown();
      storeClient.shutdown();
    }
  }

  @BeforeEach
  void openStore() {
    prefix = RedisTestSupport.RUN_PREFIX + "forged:" + (++testNumber) + ":";
    store = RedisSessionStore.builder().client(storeClient).keyPrefix(prefix).build();
    clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
    sessions = SessionManager.builder().config(SessionConfig.defaults()).store(store)
        .clock(clock).build();
  }

  @AfterEach
  void closeStore() {
    store.close();
    RedisTestSupport.deleteUnder(admin, prefix);
  }

  private static String tokenOf(String cookie) {
    return cookie.substring(0, cookie.indexOf('.'));
  }

  private static String tagOf(String cookie) {
    return cookie.substring(cookie.indexOf('.') + 1);
  }

  /**
   * Tags that the core accepts (1 to 24 base64url characters) but that name no session of this
   * store: an id part of the wrong length (the manager's ids have 16 characters), the victim's own
   * tag with its bucket in upper case or cut off, the bucket alone (a layout-3 cookie), the longest
   * tag the core lets through. Each must be "no session" at every entry point, with no round trip.
   */
  @Test
  void aCookieWhoseTagIsNotOfThisStoresShapeFindsNothingWithoutARoundTripAtAnyEntryPoint() {
    String principal = "victor";
    for (int i = 0; !RedisKeys.bucketOf(principal).matches(".*[a-f].*"); i++) {
      principal = "victor" + i; // a bucket with a letter, to write it in upper case
    }
    IssuedSession victim = sessions.authenticate(principal, ClientInfo.NONE, false);
    String victimTag = tagOf(victim.token());
    String idPart = victimTag.substring(0, 16);
    String bucket = victimTag.substring(16);
    String token = tokenOf(victim.token());
    sessions.resolve(victim.token()); // scripts cached
    COUNTER.take();

    List<String> forged = List.of(
        token + "." + bucket, // layout 3: the bucket alone
        token + "." + idPart + bucket.toUpperCase(java.util.Locale.ROOT),
        token + "." + idPart, // no bucket
        token + "." + "A" + bucket, // a 1-character id
        token + "." + idPart.substring(1) + bucket, // 15 characters
        token + "." + idPart + "A" + bucket, // 17 characters
        token + "." + "A".repeat(22) + bucket, // the longest tag the core accepts
        "A".repeat(43) + "." + "A".repeat(10) + "00");
    for (String cookie : forged) {
      String shape = cookie.substring(44);
      assertThat(sessions.resolve(cookie)).as("resolve .%s", shape).isEmpty();
      assertThat(sessions.logout(cookie)).as("logout .%s", shape).isFalse();
      assertThat(sessions.renew(cookie)).as("renew .%s", shape).isEmpty();
      assertThat(sessions.loginTarget(cookie, principal)).as("loginTarget .%s", shape)
          .isEmpty();
      assertThat(COUNTER.take()).as("round trips of .%s", shape).isEmpty();
      assertThat(sessions.authenticate(cookie, "mallory", ClientInfo.NONE, false).session().id())
          .as("a login from .%s starts a session of its own", shape)
          .isNotEqualTo(victim.session().id());
      COUNTER.take();
    }
    assertThat(sessions.resolve(victim.token())).as("the victim is still signed in").isPresent();
  }

  /**
   * A login moves an anonymous session to its principal's bucket under a new id; the token it
   * replaced (which an attacker may have planted: session fixation) names the old id, which
   * forwards to the new one during the grace. Through every entry point that token, alone or with
   * the new session's tag, resolves nothing, ends nothing, renews nothing, records no access and
   * lets no other principal's login into the session or its attributes.
   */
  @Test
  void theTokenALoginMovedAwayOpensNothingOfTheMovedSessionAtAnyEntryPoint() {
    IssuedSession planted = sessions.startAnonymous(ClientInfo.NONE);
    planted.session().putAttribute("cart", "book");
    planted.session().saveChanges();
    IssuedSession login = sessions.authenticate(planted.token(), "victor", ClientInfo.NONE,
        false);
    String movedId = login.session().id();
    assertThat(movedId).as("the login moved the session").isNotEqualTo(planted.session().id());
    Instant lastAccess = sessions.resolve(login.token()).orElseThrow().lastAccessedAt();
    clock.advance(Duration.ofSeconds(2)); // within the grace, past the touch interval

    String withNewTag = tokenOf(planted.token()) + "." + tagOf(login.token());
    for (String cookie : List.of(planted.token(), withNewTag)) {
      assertThat(sessions.resolve(cookie)).as("resolve").isEmpty();
      assertThat(sessions.renew(cookie)).as("renew").isEmpty();
      assertThat(sessions.logout(cookie)).as("logout").isFalse();
      assertThat(sessions.loginTarget(cookie, "mallory")).as("loginTarget").isEmpty();
      IssuedSession other = sessions.authenticate(cookie, "mallory", ClientInfo.NONE, false);
      assertThat(other.session().id()).isNotEqualTo(movedId);
      assertThat(other.session().attributeNames()).as("no attribute of the victim").isEmpty();
    }

    SessionRecord moved = store.findById(movedId).orElseThrow();
    assertThat(moved.principal()).isEqualTo("victor");
    assertThat(moved.lifetime().lastAccessedAt()).as("no access recorded")
        .isEqualTo(lastAccess.toEpochMilli());
    Session resolved = sessions.resolve(login.token()).orElseThrow();
    assertThat(resolved.id()).isEqualTo(movedId);
    assertThat(resolved.attributes()).isEqualTo(Map.of("cart", "book"));
  }

  /**
   * The old id of a session that a login moved forwards to its new id during the grace, for the
   * holder of the token the login replaced. A cookie that names the old id with any other token
   * must not be forwarded: it costs one round trip like a cookie naming an id that never existed
   * (no second read of the moved session, no timing that tells that the id just moved).
   */
  @Test
  void aMadeUpTokenNamingAMovedSessionIsNotForwardedAndCostsOneRoundTrip() {
    IssuedSession visit = sessions.startAnonymous(ClientInfo.NONE);
    IssuedSession login = sessions.authenticate(visit.token(), "victor", ClientInfo.NONE, false);
    assertThat(login.session().id()).isNotEqualTo(visit.session().id());
    String madeUp = "A".repeat(43) + "." + tagOf(visit.token());
    sessions.resolve(madeUp); // scripts cached
    COUNTER.take();

    assertThat(sessions.resolve(madeUp)).isEmpty();
    assertThat(COUNTER.take()).as("resolve").containsExactly("EVALSHA");
    assertThat(sessions.logout(madeUp)).isFalse();
    assertThat(COUNTER.take()).as("logout").containsExactly("EVALSHA");
    assertThat(sessions.loginTarget(madeUp, "victor")).isEmpty();
    assertThat(COUNTER.take()).as("loginTarget").containsExactly("EVALSHA");

    assertThat(sessions.loginTarget(visit.token(), "victor")).as("the replaced token's holder")
        .contains(login.session().id());
    assertThat(sessions.resolve(login.token())).isPresent();
  }

  /**
   * A touch (one script, by session id) after a renewal moves the session's idle deadline, never
   * the grace of the token the renewal replaced: once the grace is over that token stays dead. A
   * touch of a session that was deleted or moved away recreates nothing.
   */
  @Test
  void aTouchNeitherExtendsARotatedAwayTokenNorRecreatesAnEndedOrMovedSession() {
    IssuedSession login = sessions.authenticate("ella", ClientInfo.NONE, false);
    IssuedSession renewed = sessions.renew(login.session()).orElseThrow();
    String id = login.session().id();
    long graceEnd = store.findById(id).orElseThrow().previousToken().validUntil();

    assertThat(store.touch(id, graceEnd - 1)).isTrue();
    assertThat(store.findById(id).orElseThrow().previousToken().validUntil())
        .as("the touch left the grace alone").isEqualTo(graceEnd);
    clock.advance(Duration.ofMillis(graceEnd - clock.millis()));
    assertThat(sessions.resolve(login.token())).as("the grace is over").isEmpty();
    assertThat(sessions.resolve(renewed.token())).isPresent();

    assertThat(sessions.logout(renewed.token())).isTrue();
    assertThat(store.touch(id, clock.millis() + 1)).as("ended").isFalse();

    IssuedSession visit = sessions.startAnonymous(ClientInfo.NONE);
    IssuedSession moved = sessions.authenticate(visit.token(), "ella", ClientInfo.NONE, false);
    assertThat(store.touch(visit.session().id(), clock.millis() + 1)).as("moved away")
        .isFalse();
    List<String> keys = new ArrayList<>(RedisTestSupport.keysUnder(admin.sync(), prefix));
    String oldBucket = RedisKeys.bucketOfSessionId(visit.session().id());
    RedisKeys layout = new RedisKeys(prefix);
    assertThat(keys).doesNotContain(layout.session(oldBucket, visit.session().id()),
        layout.session(RedisKeys.bucketOfSessionId(id), id));
    assertThat(sessions.resolve(moved.token())).isPresent();
  }
}
