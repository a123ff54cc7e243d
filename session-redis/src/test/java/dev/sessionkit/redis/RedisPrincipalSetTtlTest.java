// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A principal's set of session ids is named only by the scripts that create or rotate a session
 * (a touch and an idle-timeout change do not name it), so it must live until the latest absolute
 * deadline of the principal's sessions: after a login move, a second session with a later
 * deadline, an idle timeout raised to the absolute timeout, a re-login that moves a session's
 * absolute deadline, a renewal and a credential change. A set that expired under a live session
 * would hide it from a force logout.
 */
class RedisPrincipalSetTtlTest {

  private static final long TOLERANCE = 5_000;
  private static RedisNamespace namespace;

  @BeforeAll
  static void connect() {
    namespace = RedisNamespace.open("set-ttl");
  }

  @AfterAll
  static void disconnect() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void thePrincipalsSetOutlivesEverySessionOfThePrincipalThroughMovesReloginsAndIdleChanges() {
    String prefix = namespace.newPrefix();
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
    SessionConfig config = SessionConfig.builder().idleTimeout(Duration.ofMinutes(30))
        .absoluteTimeout(Duration.ofHours(8)).build();
    try (RedisSessionStore store = namespace.store(prefix)) {
      SessionManager sessions = SessionManager.builder().config(config).store(store).clock(clock)
          .build();
      RedisKeys keys = new RedisKeys(prefix);
      IssuedSession visit = sessions.startAnonymous(ClientInfo.NONE);
      IssuedSession moved = sessions.authenticate(visit.token(), "tina", ClientInfo.NONE, false);
      assertSetOutlivesSessions(keys, "tina", "after the login move");
      Session first = sessions.resolve(moved.token()).orElseThrow();
      first.setIdleTimeout(Duration.ofHours(8)); // up to its absolute deadline
      assertSetOutlivesSessions(keys, "tina", "an idle timeout up to the absolute deadline");

      clock.advance(Duration.ofHours(7));
      assertThat(sessions.resolve(moved.token())).isPresent();
      nearItsEnd(keys, "tina"); // 7 hours of Redis's time passed for the set too
      IssuedSession second = sessions.authenticate("tina", ClientInfo.NONE, false);
      assertSetOutlivesSessions(keys, "tina", "a second session, 7 hours later");

      clock.advance(Duration.ofMinutes(20));
      nearItsEnd(keys, "tina");
      IssuedSession relogin = sessions.authenticate(moved.token(), "tina", ClientInfo.NONE,
          false); // in place: a new absolute deadline
      Session again = sessions.resolve(relogin.token()).orElseThrow();
      again.setIdleTimeout(Duration.ofHours(8));
      assertSetOutlivesSessions(keys, "tina", "a re-login and a longer idle timeout");

      clock.advance(Duration.ofMinutes(20));
      nearItsEnd(keys, "tina");
      IssuedSession renewed = sessions.renew(relogin.token()).orElseThrow();
      IssuedSession changed = sessions.credentialsChanged(
          sessions.resolve(renewed.token()).orElseThrow());
      assertSetOutlivesSessions(keys, "tina", "a renewal and a credential change");
      assertThat(sessions.resolve(changed.token())).isPresent();
      assertThat(sessions.resolve(second.token())).as("signed out by the credential change")
          .isEmpty();
    } finally {
      namespace.deleteUnder(prefix);
    }
  }

  /**
   * Shortens the set's TTL to one minute, as if Redis's clock had moved as far as the manager's
   * (this test moves only the manager's): the next create or rotation must extend it again.
   */
  private static void nearItsEnd(RedisKeys keys, String principal) {
    namespace.commands().pexpire(keys.principal(RedisKeys.bucketOf(principal), principal), 60_000);
  }

  /**
   * The set's TTL covers each session hash's, both counted from Redis's now (the hashes' from
   * their last access as the manager's clock put it, which this test moves forward).
   */
  private static void assertSetOutlivesSessions(RedisKeys keys, String principal, String when) {
    RedisCommands<String, String> redis = namespace.commands();
    String bucket = RedisKeys.bucketOf(principal);
    String set = keys.principal(bucket, principal);
    List<String> ids = List.copyOf(redis.smembers(set));
    assertThat(ids).as(when).isNotEmpty();
    long setTtl = redis.pttl(set);
    for (String id : ids) {
      long hashTtl = redis.pttl(keys.session(bucket, id));
      assertThat(hashTtl).as("%s: session %s lives", when, id).isPositive();
      assertThat(setTtl).as("%s: the set outlives session %s", when, id)
          .isGreaterThanOrEqualTo(hashTtl - TOLERANCE);
    }
  }
}
