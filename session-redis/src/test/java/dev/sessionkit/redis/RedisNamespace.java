// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test class's share of Redis at 127.0.0.1:6379: a client, and an area of keys under {@link
 * RedisTestSupport#RUN_PREFIX} in which every store gets a fresh prefix. {@link #close()} deletes
 * the whole area and shuts the client down. Open it in {@code @BeforeAll} (it fails, or skips
 * outside CI, when Redis is unreachable) and close it in {@code @AfterAll}.
 */
final class RedisNamespace implements AutoCloseable {

  private final String area;
  private final AtomicInteger stores = new AtomicInteger();
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> admin;

  private RedisNamespace(String area, RedisClient client) {
    this.area = RedisTestSupport.RUN_PREFIX + area + ":";
    this.client = client;
    this.admin = client.connect();
  }

  /** Connects, with the keys of this class under {@code RUN_PREFIX + area + ":"}. */
  static RedisNamespace open(String area) {
    RedisTestSupport.requireRedis();
    return new RedisNamespace(area, RedisTestSupport.client());
  }

  /** Returns a store (sessions and series) under a prefix no other store of this class uses. */
  Stores newStores() {
    String prefix = area + stores.incrementAndGet() + ":";
    return Stores.of(RedisSessionStore.builder().client(client).keyPrefix(prefix).build());
  }

  @Override
  public void close() {
    RedisTestSupport.deleteUnder(admin, area);
    admin.close();
    client.shutdown();
  }
}
