// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failover of the Sentinel setup (7201/7202, Sentinels 7211-7213): the primary is killed and
 * the Sentinels promote its replica. Requests fail closed meanwhile, the store follows the new
 * primary without a restart (Lettuce asks the Sentinels at every reconnect), and a revocation
 * that returned before the failover (it waited for the replica) stays revoked.
 */
class RedisSentinelTest {

  private static RedisNamespace redis;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.SENTINEL, "sentinel-test");
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @Test
  void aFailoverFailsClosedNeverUndoesARevocationAndRecoversWithoutARestart() throws Exception {
    int killedPort = primaryPort();
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
    try (RedisSessionStore store = RedisSessionStore.builder()
        .uri(RedisTopology.SENTINEL_LOCATION).keyPrefix(redis.newPrefix())
        .timeout(Duration.ofSeconds(1)).build()) {
      SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();
      IssuedSession alice = sessions.authenticate("alice", ClientInfo.NONE, true);
      IssuedSession kept = sessions.authenticate("carol", ClientInfo.NONE, false);
      assertThat(sessions.logoutAll("alice")).isEqualTo(1); // returns once the replica has it
      Failover.killPrimaryAndAwaitPromotion(killedPort, RedisSentinelTest::primaryPort, sessions,
          alice, kept, () -> sessions.authenticate("dave", ClientInfo.NONE, false), () -> { });
      // the old primary rejoined as the replica: revocations are acknowledged again
      assertThat(sessions.logoutAll("alice")).isEqualTo(1);
      assertThat(sessions.resolve(kept.token())).isPresent();
    }
  }

  /** Returns the port of the primary the Sentinels name now. */
  private static int primaryPort() {
    RedisClient sentinel = RedisClient.create(RedisURI.create("redis://127.0.0.1:7211"));
    try (var connection = sentinel.connectSentinel()) {
      return ((InetSocketAddress) connection.sync().getMasterAddrByName("sessionkit"))
          .getPort();
    } finally {
      sentinel.shutdown();
    }
  }
}
