// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.SessionStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Lettuce client and connection of a store that was given a URI, with the options that
 * keep it failing fast and healing by itself: commands are rejected at once while disconnected
 * (which also keeps Lettuce from re-sending a command that was in flight when a connection
 * dropped), every command has a timeout, and reconnect attempts back off from 50 ms to at most 1 s.
 * A cluster client also refreshes its view of the cluster when a node answers {@code MOVED} or
 * {@code ASK}, when connections fail, and every 10 s, so that it finds a promoted replica by
 * itself. A Sentinel URI makes Lettuce ask the Sentinels for the primary at every (re)connect.
 */
public final class ClientSetup {

  /** Keys as UTF-8 text, values as raw bytes (attributes are binary). */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final Logger LOG = LoggerFactory.getLogger(ClientSetup.class);

  private ClientSetup() {}

  /**
   * Logs a warning if a client with {@code options} would send a command again after a reconnect
   * (auto-reconnect without {@code REJECT_COMMANDS}): a script that was applied before the
   * connection dropped would then run twice, and the second answer (a compare-and-set that finds
   * its own change) is wrong.
   */
  public static void warnIfReplaying(ClientOptions options, String what) {
    if (options.isAutoReconnect()
        && options.getDisconnectedBehavior() != ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) {
      LOG.warn("Redis session store: the application's {} re-sends commands that were in flight"
          + " when a connection dropped; a session script could run twice and report a wrong"
          + " outcome. Set ClientOptions.disconnectedBehavior(REJECT_COMMANDS)", what);
    }
  }

  /**
   * Logs a warning if a cluster client with {@code options} would re-send commands (as above) or
   * never refreshes its topology (it would not find a promoted replica).
   */
  public static void warnIfReplaying(ClusterClientOptions options, String what) {
    warnIfReplaying((ClientOptions) options, what);
    ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
    if (!refresh.isPeriodicRefreshEnabled() && refresh.getAdaptiveRefreshTriggers().isEmpty()) {
      LOG.warn("Redis session store: the application's {} never refreshes the cluster topology;"
          + " after a failover it keeps sending to the old primary. Enable adaptive refresh"
          + " triggers", what);
    }
  }

  /** Returns the options a store-created cluster client uses. */
  public static ClusterClientOptions clusterOptions(Duration timeout) {
    return ClusterClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
            .enablePeriodicRefresh(Duration.ofSeconds(10))
            .build())
        .build();
  }

  /**
   * Creates a cluster client for the seed {@code nodes}; the caller shuts it down ({@link
   * OwnedClient#shutdown}).
   */
  public static OwnedClient<RedisClusterClient> clusterClient(List<RedisURI> nodes,
      Duration timeout) {
    nodes.forEach(uri -> uri.setTimeout(timeout));
    OwnedClient.Threads threads = new OwnedClient.Threads();
    RedisClusterClient client = RedisClusterClient.create(resources(threads), nodes);
    client.setOptions(clusterOptions(timeout));
    return new OwnedClient<>(client, threads);
  }

  /**
   * Opens a cluster connection with the store's codec.
   *
   * @throws SessionStoreException if no node can be reached
   */
  public static StatefulRedisClusterConnection<String, byte[]> connect(RedisClusterClient client,
      String where) {
    StatefulRedisClusterConnection<String, byte[]> connection;
    try {
      connection = client.connect(CODEC);
      client.refreshPartitions(); // a client the application has used may hold an old view
    } catch (RuntimeException e) {
      throw new SessionStoreException("Redis session store: cannot connect to " + where + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    connectPrimaries(connection);
    return connection;
  }

  /**
   * Opens one more cluster connection with the store's codec on a client that {@link
   * #connect(RedisClusterClient, String)} already connected (its view of the cluster is fresh).
   *
   * @throws SessionStoreException if no node can be reached
   */
  public static StatefulRedisClusterConnection<String, byte[]> connectAgain(
      RedisClusterClient client, String where) {
    StatefulRedisClusterConnection<String, byte[]> connection;
    try {
      connection = client.connect(CODEC);
    } catch (RuntimeException e) {
      throw new SessionStoreException("Redis session store: cannot connect to " + where + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    connectPrimaries(connection);
    return connection;
  }

  /**
   * Opens the connection to every primary now. Lettuce opens node connections lazily, and a
   * client that rejects commands while disconnected also rejects a command that waits for a node
   * connection being opened: without this, the first command to each primary would fail. A
   * primary that cannot be reached now is left to the first command (which then fails closed).
   */
  public static void connectPrimaries(StatefulRedisClusterConnection<?, ?> connection) {
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.getRole().isUpstream()) {
        try {
          connection.getConnection(node.getUri().getHost(), node.getUri().getPort());
        } catch (RuntimeException e) {
          LOG.warn("Redis session store: cannot connect to cluster node {}:{} yet ({})",
              node.getUri().getHost(), node.getUri().getPort(), e.getClass().getSimpleName());
        }
      }
    }
  }

  private static ClientResources resources(OwnedClient.Threads threads) {
    return ClientResources.builder()
        .threadFactoryProvider(threads)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS))
        .build();
  }

  /** Returns the options a store-created client uses. */
  public static ClientOptions options(Duration timeout) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .build();
  }

  /** Creates a client for {@code uri}; the caller shuts it down ({@link OwnedClient#shutdown}). */
  public static OwnedClient<RedisClient> client(RedisURI uri, Duration timeout) {
    uri.setTimeout(timeout);
    OwnedClient.Threads threads = new OwnedClient.Threads();
    RedisClient client = RedisClient.create(resources(threads), uri);
    client.setOptions(options(timeout));
    return new OwnedClient<>(client, threads);
  }

  /**
   * Opens a connection with the store's codec.
   *
   * @throws SessionStoreException if Redis cannot be reached
   */
  public static StatefulRedisConnection<String, byte[]> connect(RedisClient client,
      String where) {
    try {
      return client.connect(CODEC);
    } catch (RuntimeException e) {
      throw new SessionStoreException("Redis session store: cannot connect to " + where + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** Returns {@code host:port} of {@code uri} (never its password). */
  public static String describe(RedisURI uri) {
    if (uri.getSocket() != null) {
      return "unix:" + uri.getSocket();
    }
    if (!uri.getSentinels().isEmpty()) {
      StringBuilder out = new StringBuilder(uri.isSsl() ? "rediss-sentinel://"
          : "redis-sentinel://");
      for (int i = 0; i < uri.getSentinels().size(); i++) {
        RedisURI sentinel = uri.getSentinels().get(i);
        out.append(i == 0 ? "" : ",").append(sentinel.getHost()).append(':')
            .append(sentinel.getPort());
      }
      return out.append('#').append(uri.getSentinelMasterId()).toString();
    }
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
        + (uri.getDatabase() != 0 ? "/" + uri.getDatabase() : "");
  }
}
