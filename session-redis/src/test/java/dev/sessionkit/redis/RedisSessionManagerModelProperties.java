// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import io.lettuce.core.RedisClient;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stateful model test over Redis at 127.0.0.1:6379: each chain of operations gets its own key
 * prefix, and one shared client serves them all.
 */
class RedisSessionManagerModelProperties extends SessionManagerModelContract {

  private static final AtomicInteger CHAIN = new AtomicInteger();
  private static RedisClient client;

  @Override
  protected Stores createStores() {
    synchronized (RedisSessionManagerModelProperties.class) {
      if (client == null) {
        RedisTestSupport.requireRedis();
        client = RedisTestSupport.client();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try (var admin = client.connect()) {
            RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "model:");
          }
          client.shutdown();
        }));
      }
    }
    String prefix = RedisTestSupport.RUN_PREFIX + "model:" + CHAIN.incrementAndGet() + ":";
    return Stores.of(RedisSessionStore.builder().client(client).keyPrefix(prefix).build());
  }
}
