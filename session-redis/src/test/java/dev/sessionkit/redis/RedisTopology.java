// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.redis.internal.OwnedClient;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>No client is shared across test classes: each class opens its own ({@link RedisNamespace}),
 * so that a class that runs after a failover test starts from the cluster as it is then, never
 * from a view of it taken before.
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
  /** The script that starts and stops the Sentinel setup and the cluster. */
  static final Path SCRIPT = Path.of("src/test/scripts/redis-topology.sh");
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final String what;
  private final String scriptName;
  private final int[] ports;

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
      script("start", scriptName);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> script("stop", scriptName)));
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

  /** Runs the topology script with {@code args}, its output in the test log, for at most 90 s. */
  static void script(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = SCRIPT.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        System.out.println("redis-topology.sh " + String.join(" ", args) + " timed out");
      } else if (process.exitValue() != 0) {
        System.out.println("redis-topology.sh " + String.join(" ", args) + " exited with "
            + process.exitValue());
      }
    } catch (IOException e) {
      System.out.println("redis-topology.sh " + String.join(" ", args) + " failed: "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns a new client of this deployment, set up as a store sets up the client it creates (see
   * {@code ClientSetup}: commands rejected while disconnected, reconnects backing off to at most
   * 1 s; on the cluster, adaptive and periodic topology refresh): a {@code RedisClusterClient}
   * for {@link #CLUSTER}, else a {@code RedisClient}. The caller shuts it down.
   */
  OwnedClient<? extends AbstractRedisClient> newClient() {
    return switch (this) {
      case CLUSTER -> ClientSetup.clusterClient(List.of(
          RedisURI.create("redis://127.0.0.1:7101"), RedisURI.create("redis://127.0.0.1:7102")),
          TIMEOUT);
      case SENTINEL -> ClientSetup.client(RedisURI.create(SENTINEL_LOCATION), TIMEOUT);
      case STANDALONE -> ClientSetup.client(RedisTestSupport.uri(), TIMEOUT);
    };
  }
}
