// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.testing.LogSecrecyContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * No secret in any log line at TRACE (Lettuce's and Netty's included), on Redis at 127.0.0.1:6379:
 * the cycle runs in its own JVM through the {@code redis://} store factory, under its own prefix.
 */
class RedisLogSecrecyTest extends LogSecrecyContract {

  static final String PREFIX = RedisTestSupport.RUN_PREFIX + "logscan:";

  @BeforeAll
  static void requireRedis() {
    RedisTestSupport.requireRedis();
  }

  @AfterAll
  static void cleanUp() {
    RedisClient client = RedisTestSupport.client();
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      RedisTestSupport.deleteUnder(admin, PREFIX);
    } finally {
      client.shutdown();
    }
  }

  @Override
  protected Map<String, String> storeSettings() {
    return Map.of("store", "redis://" + RedisTestSupport.HOST + ":" + RedisTestSupport.PORT,
        "redis-key-prefix", PREFIX);
  }
}
