// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test class's share of one {@link RedisTopology} (standalone Redis at 127.0.0.1:6379 unless
 * told): a client of its own, and an area of keys under {@link RedisTestSupport#RUN_PREFIX} in
 * which every store gets a fresh prefix. {@link #close()} deletes the whole area and shuts the
 * client down. Open it in {@code @BeforeAll} (or {@code @BeforeParameterizedClassInvocation} for a
 * class run on every topology; it fails, or skips outside CI, when the deployment is unreachable)
 * and close it in the matching after-method.
 */
final class RedisNamespace implements AutoCloseable {

  private final RedisTopology topology;
  private final String area;
  private final AtomicInteger stores = new AtomicInteger();
  private final AbstractRedisClient client;

  private RedisNamespace(RedisTopology topology, String area) {
    this.topology = topology;
    this.area = RedisTestSupport.RUN_PREFIX + area + ":";
    this.client = topology.newClient();
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

  /** Returns a store (sessions and series) under a prefix no other store of this class uses. */
  Stores newStores() {
    String prefix = area + stores.incrementAndGet() + ":";
    RedisSessionStore.Builder builder = RedisSessionStore.builder().keyPrefix(prefix);
    return Stores.of((client instanceof RedisClusterClient cluster ? builder.clusterClient(cluster)
        : builder.client((RedisClient) client)).build());
  }

  @Override
  public void close() {
    try {
      topology.deleteUnder(area);
    } finally {
      client.shutdown();
    }
  }
}
