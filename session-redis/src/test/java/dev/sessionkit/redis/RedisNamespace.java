// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.redis.internal.OwnedClient;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.redis.internal.SessionHash;
import dev.sessionkit.spi.Stores;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test class's share of one {@link RedisTopology} (standalone Redis at 127.0.0.1:6379 unless
 * told): a client of its own, set up as a store sets up the client it creates, and an area of keys
 * under {@link RedisTestSupport#RUN_PREFIX} in which every store gets a fresh prefix. {@link
 * #close()} deletes the whole area and shuts the client down. Open it in {@code @BeforeAll} (or
 * {@code @BeforeParameterizedClassInvocation} for a class run on every topology; it fails, or
 * skips outside CI, when the deployment is unreachable) and close it in the matching after-method.
 */
final class RedisNamespace implements AutoCloseable {

  private final String area;
  private final AtomicInteger stores = new AtomicInteger();
  private final OwnedClient<? extends AbstractRedisClient> owned;
  private final StatefulConnection<String, String> admin;
  private final StatefulRedisClusterConnection<String, String> clusterAdmin;
  private final RedisKeyCommands<String, String> adminKeys;
  private final RedisHashCommands<String, String> adminHashes;

  private RedisNamespace(RedisTopology topology, String area) {
    this.area = RedisTestSupport.RUN_PREFIX + area + ":";
    this.owned = topology.newClient();
    try {
      if (owned.client() instanceof RedisClusterClient cluster) {
        var connection = cluster.connect();
        ClientSetup.connectPrimaries(connection);
        clusterAdmin = connection;
        admin = connection;
        adminKeys = connection.sync();
        adminHashes = connection.sync();
      } else {
        var connection = ((RedisClient) owned.client()).connect();
        clusterAdmin = null;
        admin = connection;
        adminKeys = connection.sync();
        adminHashes = connection.sync();
      }
    } catch (RuntimeException e) {
      owned.shutdown();
      throw e;
    }
  }

  /** Connects to standalone Redis, with the keys of this class under {@code RUN_PREFIX + area}. */
  static RedisNamespace open(String area) {
    return open(RedisTopology.STANDALONE, area);
  }

  /** Connects to {@code topology}, with the keys of this class under {@code RUN_PREFIX + area}. */
  static RedisNamespace open(RedisTopology topology, String area) {
    topology.require();
    return new RedisNamespace(topology, area + ":" + topology.name().toLowerCase());
  }

  /** Returns this class's client (a {@code RedisClusterClient} on the cluster). */
  AbstractRedisClient client() {
    return owned.client();
  }

  /** Returns commands of this class's admin connection to standalone Redis (not the cluster). */
  RedisCommands<String, String> commands() {
    if (clusterAdmin != null) {
      throw new IllegalStateException("commands() is for standalone Redis; use keysUnder");
    }
    return ((StatefulRedisConnection<String, String>) admin).sync();
  }

  /** Returns a prefix under this class's area that no other store of this class uses. */
  String newPrefix() {
    return area + stores.incrementAndGet() + ":";
  }

  /** Returns a store (sessions and series) under a prefix no other store of this class uses. */
  Stores newStores() {
    return Stores.of(store(newPrefix()));
  }

  /** Returns a store under {@code prefix}, on this class's client. */
  RedisSessionStore store(String prefix) {
    RedisSessionStore.Builder builder = RedisSessionStore.builder().keyPrefix(prefix);
    return (owned.client() instanceof RedisClusterClient cluster ? builder.clusterClient(cluster)
        : builder.client((RedisClient) owned.client())).build();
  }

  /** Returns every key under {@code prefix} (SCAN over every primary, never KEYS). */
  List<String> keysUnder(String prefix) {
    connectPrimaries();
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
  void deleteUnder(String prefix) {
    for (String key : keysUnder(prefix)) {
      adminKeys.unlink(key);
    }
  }

  /** Overwrites an attribute of session {@code sessionId} under {@code prefix} with bad bytes. */
  void corruptAttributes(String prefix, String sessionId) {
    connectPrimaries();
    adminHashes.hset(new RedisKeys(prefix).session(RedisKeys.bucketOfSessionId(sessionId),
        sessionId), SessionHash.ATTRIBUTE + "cart", "\u00ac\u00ed not java serialization");
  }

  /**
   * On the cluster, opens the connections to primaries this client has none to (after a failover
   * test: the promoted replica), which Lettuce would otherwise open lazily, rejecting the first
   * commands while it does.
   */
  private void connectPrimaries() {
    if (clusterAdmin != null) {
      ClientSetup.connectPrimaries(clusterAdmin);
    }
  }

  @Override
  public void close() {
    try {
      deleteUnder(area);
    } finally {
      admin.close();
      owned.shutdown();
    }
  }
}
