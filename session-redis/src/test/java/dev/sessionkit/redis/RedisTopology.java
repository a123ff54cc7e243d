// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.redis.internal.SessionHash;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis deployments the store's tests run on: the machine's standalone Redis (6379), a
 * Sentinel setup (primary 7201, replica 7202, Sentinels 7211-7213) and a Redis Cluster (three
 * primaries and three replicas, 7101-7106). The last two are started by {@code
 * src/test/scripts/redis-topology.sh} when they are not up (CI's {@code .ci/run} starts them
 * first); what a test run started it stops when the JVM exits. An unreachable deployment skips the
 * test with the reason, and fails it under {@code CI=true}.
 *
 * <p>Each deployment keeps one shared client and one admin connection (keys as text) for the test
 * run; stores get their own key prefix under {@link RedisTestSupport#RUN_PREFIX}.
 */
enum RedisTopology {
  STANDALONE("Redis at 127.0.0.1:6379", null, 6379),
  SENTINEL("Redis Sentinel at 127.0.0.1:7211-7213", "sentinel", 7211, 7212, 7213, 7201, 7202),
  CLUSTER("Redis Cluster at 127.0.0.1:7101-7106", "cluster", 7101, 7102, 7103, 7104, 7105,
      7106);

  /** The location of the Sentinel setup, as an application writes it. */
  static final String SENTINEL_LOCATION =
      "redis-sentinel://127.0.0.1:7211,127.0.0.1:7212,127.0.0.1:7213#sessionkit";
  /** The location of the cluster, as an application writes it. */
  static final String CLUSTER_LOCATION = "redis-cluster://127.0.0.1:7101,127.0.0.1:7102";
  private static final Path SCRIPT = Path.of("src/test/scripts/redis-topology.sh");

  private final String what;
  private final String scriptName;
  private final int[] ports;
  private RedisClient client;
  private RedisClusterClient clusterClient;
  private RedisKeyCommands<String, String> adminKeys;
  private RedisHashCommands<String, String> adminHashes;

  RedisTopology(String what, String scriptName, int... ports) {
    this.what = what;
    this.scriptName = scriptName;
    this.ports = ports;
  }

  /** Makes sure the deployment is up (starting it if needed) or skips/fails the test. */
  synchronized void require() {
    if (down() == null) {
      return;
    }
    if (scriptName != null && Files.isExecutable(SCRIPT)) {
      run("start");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> run("stop")));
    }
    RedisTestSupport.requireUp(what, down());
  }

  private String down() {
    for (int port : ports) {
      String reason = RedisTestSupport.reachable("127.0.0.1", port);
      if (reason != null) {
        return "port " + port + ": " + reason;
      }
    }
    return null;
  }

  private void run(String action) {
    try {
      Process process = new ProcessBuilder(SCRIPT.toString(), action, scriptName)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      System.out.println("redis-topology.sh " + action + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns a store on this deployment under {@code prefix}, on the shared client. */
  synchronized RedisSessionStore store(String prefix) {
    require();
    connect();
    RedisSessionStore.Builder builder = RedisSessionStore.builder().keyPrefix(prefix);
    return (this == CLUSTER ? builder.clusterClient(clusterClient) : builder.client(client))
        .build();
  }

  private void connect() {
    if (adminKeys != null) {
      return;
    }
    AbstractRedisClient created = newClient();
    if (created instanceof RedisClusterClient cluster) {
      clusterClient = cluster;
      var connection = cluster.connect();
      ClientSetup.connectPrimaries(connection);
      var admin = connection.sync();
      adminKeys = admin;
      adminHashes = admin;
    } else {
      client = (RedisClient) created;
      var admin = client.connect().sync();
      adminKeys = admin;
      adminHashes = admin;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp));
  }

  /**
   * Returns a new client of this deployment with the options the docs ask of an application's
   * client (commands rejected while disconnected; on the cluster, topology refresh too): a {@link
   * RedisClusterClient} for {@link #CLUSTER}, else a {@link RedisClient}. The caller shuts it down.
   */
  AbstractRedisClient newClient() {
    if (this == CLUSTER) {
      RedisClusterClient created = RedisClusterClient.create(List.of(
          RedisURI.create("redis://127.0.0.1:7101"), RedisURI.create("redis://127.0.0.1:7102")));
      created.setOptions(ClientSetup.clusterOptions(Duration.ofSeconds(2)));
      return created;
    }
    RedisClient created = RedisClient.create(this == SENTINEL ? RedisURI.create(SENTINEL_LOCATION)
        : RedisTestSupport.uri());
    created.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    return created;
  }

  private synchronized void cleanUp() {
    try {
      deleteUnder(RedisTestSupport.RUN_PREFIX);
    } catch (RuntimeException e) {
      System.out.println("cleaning up " + what + " failed: " + e.getMessage());
    }
    if (client != null) {
      client.shutdown();
    }
    if (clusterClient != null) {
      clusterClient.shutdown();
    }
  }

  /** Returns every key under {@code prefix} (SCAN over every primary, never KEYS). */
  synchronized List<String> keysUnder(String prefix) {
    connect();
    List<String> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = adminKeys.scan(cursor,
          ScanArgs.Builder.matches(prefix + "*").limit(500));
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  /** Deletes every key under {@code prefix}. */
  synchronized void deleteUnder(String prefix) {
    for (String key : keysUnder(prefix)) {
      adminKeys.unlink(key);
    }
  }

  /** Overwrites an attribute of session {@code sessionId} under {@code prefix} with bad bytes. */
  synchronized void corruptAttributes(String prefix, String sessionId) {
    adminHashes.hset(new RedisKeys(prefix).session(RedisKeys.bucketOfSessionId(sessionId),
        sessionId), SessionHash.ATTRIBUTE + "cart", "\u00ac\u00ed not java serialization");
  }
}
