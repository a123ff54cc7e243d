// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.LifecycleContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lifecycle invariants (revocation is final, unknown outcomes are safe, series per device,
 * LRU cap, parallel rotations, credential change) with a real manager over Redis at
 * 127.0.0.1:6379, one key prefix per test.
 */
class RedisLifecycleContractTest extends LifecycleContract {

  private static final AtomicInteger TEST = new AtomicInteger();
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> admin;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    client = RedisTestSupport.client();
    admin = client.connect();
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "lifecycle:");
      admin.close();
      client.shutdown();
    }
  }

  @Override
  protected Stores createStores() {
    String prefix = RedisTestSupport.RUN_PREFIX + "lifecycle:" + TEST.incrementAndGet() + ":";
    return Stores.of(RedisSessionStore.builder().client(client).keyPrefix(prefix).build());
  }
}
