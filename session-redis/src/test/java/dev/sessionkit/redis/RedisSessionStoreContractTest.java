// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.redis.internal.SessionHash;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.testing.SessionStoreContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The session store contract suite against Redis at 127.0.0.1:6379, one key prefix per test. */
class RedisSessionStoreContractTest extends SessionStoreContract {

  private static final AtomicInteger TEST = new AtomicInteger();
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> admin;

  private String prefix;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    client = RedisTestSupport.client();
    admin = client.connect();
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "contract:");
      admin.close();
      client.shutdown();
    }
  }

  @Override
  protected SessionStore createStore() {
    prefix = RedisTestSupport.RUN_PREFIX + "contract:" + TEST.incrementAndGet() + ":";
    return RedisSessionStore.builder().client(client).keyPrefix(prefix).build();
  }

  @Override
  protected void corruptAttributes(SessionStore store, String sessionId) {
    admin.sync().hset(new RedisKeys(prefix).session(sessionId), SessionHash.ATTRIBUTE + "cart",
        "\u00ac\u00ed not java serialization");
  }

  @Override
  protected void closeStore(SessionStore store) {
    store.close();
    RedisTestSupport.deleteUnder(admin, prefix);
  }
}
