// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.ForceLogoutRaceContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ForceLogoutRaceContract} over Redis at 127.0.0.1:6379, one key prefix per store. */
class RedisForceLogoutRaceTest extends ForceLogoutRaceContract {

  private static final AtomicInteger STORE = new AtomicInteger();
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
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "race:");
      admin.close();
      client.shutdown();
    }
  }

  @Override
  protected Stores createStores() {
    String prefix = RedisTestSupport.RUN_PREFIX + "race:" + STORE.incrementAndGet() + ":";
    return Stores.of(RedisSessionStore.builder().client(client).keyPrefix(prefix).build());
  }

  @Override
  protected int maxCall() {
    return 2; // each trial costs round trips: park at the first two calls of each operation
  }
}
