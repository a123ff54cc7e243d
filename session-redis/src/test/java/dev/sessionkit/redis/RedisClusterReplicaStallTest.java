// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a Redis Cluster whose replica of one slot stops acknowledging (a stalled or dead
 * replica, or a primary just promoted whose own replica is not back yet): a revocation waits for
 * it ({@code WAIT}) and then fails, as documented; every other request of that primary's slots
 * must go on meanwhile.
 */
class RedisClusterReplicaStallTest {

  private static RedisNamespace redis;
  private static RedisClusterClient client;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.CLUSTER, "stall-test");
    client = (RedisClusterClient) redis.client();
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  /**
   * The replica of alice's slot is stopped (SIGSTOP). A logout in flight waits for it; a request
   * of another user on the same primary, sent while that {@code WAIT} is blocked on the primary,
   * must be answered while it still is, not queued behind it on the shared connection (one
   * signed-out user at a time would otherwise stall every request of a third of the site, and a
   * stream of logouts would time all of them out).
   */
  @Test
  void aRevocationWaitingForAStalledReplicaDoesNotHoldUpOtherRequestsOfItsPrimary()
      throws Exception {
    String bucket = RedisKeys.bucketOf("alice");
    String carol = principalInBucket(bucket);
    String prefix = redis.newPrefix() + "stall:";
    int slot = SlotHash.getSlot(new RedisKeys(prefix).bucketRoot(bucket));
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
    try (RedisSessionStore store = RedisSessionStore.builder().clusterClient(client)
        .keyPrefix(prefix).build()) {
      SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();
      IssuedSession alice = sessions.authenticate("alice", ClientInfo.NONE, false);
      IssuedSession other = sessions.authenticate(carol, ClientInfo.NONE, false);
      assertThat(sessions.resolve(other.token())).isPresent(); // scripts cached, nodes open
      RedisClusterNode primary = primaryOf(slot);
      int primaryPort = primary.getUri().getPort();
      long replicaPid = pidOf(replicaPortOf(primary.getNodeId()));
      signal("STOP", replicaPid);
      CompletableFuture<Void> logout;
      try {
        logout = CompletableFuture.runAsync(() -> {
          try {
            sessions.logout(alice.token());
          } catch (RuntimeException expected) {
            // no replica acknowledged: documented, the caller retries
          }
        });
        while (blockedClients(primaryPort) == 0) {
          assertThat(logout).as("the logout's WAIT blocks on the primary").isNotDone();
          TimeUnit.MILLISECONDS.sleep(5); // polls Redis (an outside event)
        }
        assertThat(sessions.resolve(other.token())).isPresent();
        assertThat(blockedClients(primaryPort))
            .as("the request was answered while the logout still waited for the replica")
            .isPositive();
      } finally {
        signal("CONT", replicaPid);
      }
      logout.get(10, TimeUnit.SECONDS);
    }
  }

  private static long blockedClients(int port) {
    String info = onNode(port, c -> c.info("clients"));
    return info.lines().filter(l -> l.startsWith("blocked_clients:"))
        .mapToLong(l -> Long.parseLong(l.substring("blocked_clients:".length()).strip()))
        .findFirst().orElseThrow();
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO()
        .start();
    assertThat(kill.waitFor()).as("kill -" + signal).isZero();
  }

  private static long pidOf(int port) {
    String info = onNode(port, c -> c.info("server"));
    return Long.parseLong(info.lines().filter(l -> l.startsWith("process_id:")).findFirst()
        .orElseThrow().substring("process_id:".length()).strip());
  }

  private static <T> T onNode(int port, Function<RedisCommands<String, String>, T> action) {
    RedisClient node = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
    try (var connection = node.connect()) {
      return action.apply(connection.sync());
    } finally {
      node.shutdown();
    }
  }

  private static String clusterNodes() {
    return onNode(7101, c -> c.clusterNodes());
  }

  private static RedisClusterNode primaryOf(int slot) {
    return ClusterPartitionParser.parse(clusterNodes())
        .getPartitionBySlot(slot);
  }

  private static int replicaPortOf(String primaryId) {
    for (RedisClusterNode node : ClusterPartitionParser.parse(clusterNodes())) {
      if (primaryId.equals(node.getSlaveOf()) && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
        return node.getUri().getPort();
      }
    }
    throw new AssertionError("the primary has no replica");
  }

  /** Returns a principal other than alice whose sessions live in {@code bucket}. */
  private static String principalInBucket(String bucket) {
    for (int i = 0; ; i++) {
      if (RedisKeys.bucketOf("carol-" + i).equals(bucket)) {
        return "carol-" + i;
      }
    }
  }
}
