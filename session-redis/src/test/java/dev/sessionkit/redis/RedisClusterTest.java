// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.redis.internal.LuaScript;
import dev.sessionkit.redis.internal.RedisGateway;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the store adds on a Redis Cluster (7101-7106) beyond the contract suites: one round trip
 * per request and per store operation, never redirected (a command that went to the wrong node
 * would be answered {@code MOVED} and sent again: a second command); and a failover: a primary
 * killed with its replica promoted, requests failing closed meanwhile, recovery without a restart,
 * and a revocation that the failover does not undo.
 */
class RedisClusterTest {

  private static final RoundTripCounter COUNTER = new RoundTripCounter();
  private static RedisNamespace redis;
  private static RedisClusterClient client;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.CLUSTER, "cluster-test");
    client = (RedisClusterClient) redis.client();
    client.addListener(COUNTER);
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close(); // after the failover too: this client found the promoted replica by itself
      redis = null;
    }
  }

  private static String prefix(String test) {
    return redis.newPrefix() + test + ":";
  }

  @Test
  void everyRequestIsOneRoundTripAndNoCommandIsRedirected() {
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
    try (RedisSessionStore store = RedisSessionStore.builder().clusterClient(client)
        .keyPrefix(prefix("rt")).revocationReplicas(0).build()) {
      SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();
      IssuedSession visit = sessions.startAnonymous(ClientInfo.NONE);
      IssuedSession login = sessions.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
      sessions.resolve(login.token()); // scripts cached on the node
      clock.advance(Duration.ofSeconds(2));
      sessions.resolve(login.token());
      COUNTER.take();

      assertThat(sessions.resolve(login.token())).isPresent();
      assertThat(COUNTER.take()).as("resolve").containsExactly("EVALSHA");
      clock.advance(Duration.ofSeconds(2)); // past the touch interval: the access is recorded
      assertThat(sessions.resolve(login.token())).isPresent();
      assertThat(COUNTER.take()).as("resolve recording the access").containsExactly("EVALSHA");

      loadScriptsOnEveryPrimary(); // as in a running system (else one EVAL per node, once)
      Map<String, List<String>> sent = RoundTripScenario.run(store, clock.millis(), COUNTER);
      assertThat(sent).hasSize(22).allSatisfy((operation, commands) -> assertThat(commands)
          .as(operation).hasSize(RoundTripScenario.expectedCommands(operation)));
    }
  }

  @Test
  void aRevocationOnTheClusterWaitsForAReplicaByDefault() {
    try (RedisSessionStore store = RedisSessionStore.builder().clusterClient(client)
        .keyPrefix(prefix("wait")).build()) {
      loadScriptsOnEveryPrimary();
      COUNTER.take();
      store.revokePrincipal("alice", java.util.Set.of(), 1);
      assertThat(COUNTER.take()).containsExactly("EVALSHA", "WAIT");
      store.revokeSeries("alice", java.util.Set.of(), 1);
      assertThat(COUNTER.take()).as("no series listed: no second phase, and still a WAIT")
          .containsExactly("SMEMBERS", "WAIT");
      assertThat(store.delete(RoundTripScenario.randomId() + ".00")).isFalse();
      assertThat(COUNTER.take())
          .as("nothing deleted, and still a WAIT: it may retry a delete whose WAIT failed")
          .containsExactly("EVALSHA", "WAIT");
    }
  }

  /**
   * A primary the client has no connection to yet (a replica a failover just promoted, here every
   * primary of a fresh connection): Lettuce opens node connections lazily and, rejecting commands
   * while disconnected, rejects the first commands to the node; the store sends such a command
   * (never sent, so never applied) again once the connection is open.
   */
  @Test
  void aCommandToAPrimaryWithoutAnOpenConnectionIsSentWhenTheConnectionOpens() {
    RedisKeys keys = new RedisKeys(prefix("lazy"));
    int rejected = 0;
    // whether a node's connection is still opening when the first command reaches it is up to
    // Lettuce's event loop: a few fresh clients, until one shows it
    for (int attempt = 0; attempt < 5 && rejected == 0; attempt++) {
      rejected = rejectedOnAFreshConnection(keys);
    }
    assertThat(rejected).as("Lettuce's own behaviour, which the store works around")
        .isPositive();

    var owned = RedisTopology.CLUSTER.newClient();
    var connection = ((RedisClusterClient) owned.client()).connect(ClientSetup.CODEC);
    RedisGateway gateway = RedisGateway.of(connection, Duration.ofSeconds(2),
        Duration.ofMinutes(1));
    try {
      for (int i = 0; i < RedisKeys.BUCKETS; i++) {
        assertThat(gateway.hashFields("findById", keys.session(RedisKeys.bucket(i), "none")))
            .isEmpty();
      }
    } finally {
      connection.close();
      owned.shutdown();
    }
  }

  /** Sends a {@code GET} per bucket over a new client's connection; returns how many it rejected. */
  private static int rejectedOnAFreshConnection(RedisKeys keys) {
    var lettuce = RedisTopology.CLUSTER.newClient();
    try (var raw = ((RedisClusterClient) lettuce.client()).connect(ClientSetup.CODEC)) {
      int rejected = 0;
      for (int i = 0; i < RedisKeys.BUCKETS; i++) {
        try {
          raw.sync().get(keys.session(RedisKeys.bucket(i), "none"));
        } catch (RedisException e) {
          assertThat(e).hasMessageStartingWith("Currently not connected");
          rejected++;
        }
      }
      return rejected;
    } finally {
      lettuce.shutdown();
    }
  }

  private static void loadScriptsOnEveryPrimary() {
    try (var connection = client.connect()) {
      for (RedisClusterNode node : connection.getPartitions()) {
        if (node.getRole().isUpstream()) {
          var commands = connection.getConnection(node.getUri().getHost(),
              node.getUri().getPort()).sync();
          for (LuaScript script : LuaScript.values()) {
            commands.scriptLoad(script.body());
          }
        }
      }
    }
  }

  @Test
  void aFailoverFailsClosedNeverUndoesARevocationAndRecoversWithoutARestart() throws Exception {
    String bucket = RedisKeys.bucketOf("alice");
    String carol = principalInBucket(bucket);
    String prefix = prefix("failover");
    int killedPort = primaryPortOf(new RedisKeys(prefix).bucketRoot(bucket));
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
    try (RedisSessionStore store = RedisSessionStore.builder()
        .uri(RedisTopology.CLUSTER_LOCATION).keyPrefix(prefix).timeout(Duration.ofSeconds(1))
        .build();
        RedisSessionStore idle = RedisSessionStore.builder().clusterClient(client)
            .keyPrefix(prefix("idle")).build()) {
      SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();
      IssuedSession alice = sessions.authenticate("alice", ClientInfo.NONE, true);
      IssuedSession kept = sessions.authenticate(carol, ClientInfo.NONE, false);
      assertThat(sessions.logoutAll("alice")).isEqualTo(1); // returns once a replica has it
      Failover.killPrimaryAndAwaitPromotion(killedPort,
          () -> primaryPortOf(new RedisKeys(prefix).bucketRoot(bucket)), sessions, alice, kept,
          () -> sessions.resolve(alice.token()),
          // a store that sat idle through the failover reaches every primary, the promoted one too
          // (failing closed until its client has learnt the new topology, then without a restart)
          () -> assertThat(untilReachable(() -> idle.purgeExpired(clock.millis(), 10)))
              .isEmpty());
      assertThat(sessions.resolve(again(sessions))).as("after the old primary rejoined")
          .isPresent();
      assertThat(idle.purgeExpired(clock.millis(), 10)).as("after the old primary rejoined")
          .isEmpty();
    }
  }

  /**
   * Runs {@code call} until it stops failing closed ({@link SessionStoreException}, which is
   * what a store whose client has not yet learnt a new topology answers), for at most 30 s; then
   * returns its result, or throws its last failure.
   */
  private static <T> T untilReachable(java.util.function.Supplier<T> call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return call.get();
      } catch (SessionStoreException failedClosed) {
        if (System.nanoTime() > deadline) {
          throw failedClosed;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(100); // waits for the client's topology refresh
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failedClosed;
        }
      }
    }
  }

  /** Logs alice in again and returns the token. */
  private static String again(SessionManager sessions) {
    return sessions.authenticate("alice", ClientInfo.NONE, false).token();
  }

  /** Returns a principal other than alice whose sessions live in {@code bucket}. */
  private static String principalInBucket(String bucket) {
    for (int i = 0; ; i++) {
      if (RedisKeys.bucketOf("carol-" + i).equals(bucket)) {
        return "carol-" + i;
      }
    }
  }

  /** Returns the port of the primary that serves the slot of {@code key}, asking a node. */
  private static int primaryPortOf(String key) {
    int slot = SlotHash.getSlot(key);
    for (int port = 7101; port <= 7106; port++) {
      String reason = RedisTestSupport.reachable("127.0.0.1", port);
      if (reason != null) {
        continue;
      }
      RedisClient node = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
      try (var connection = node.connect()) {
        Partitions partitions = ClusterPartitionParser.parse(connection.sync().clusterNodes());
        RedisClusterNode primary = partitions.getPartitionBySlot(slot);
        if (primary != null && !primary.is(RedisClusterNode.NodeFlag.FAIL)) {
          return primary.getUri().getPort();
        }
      } finally {
        node.shutdown();
      }
    }
    throw new AssertionError("no node knows a primary for slot " + slot);
  }
}
