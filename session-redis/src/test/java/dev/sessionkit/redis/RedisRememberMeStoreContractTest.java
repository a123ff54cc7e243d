// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.testing.RememberMeStoreContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The remember-me store contract suite against Redis at 127.0.0.1:6379, one prefix per test. */
class RedisRememberMeStoreContractTest extends RememberMeStoreContract {

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
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "rm-contract:");
      admin.close();
      client.shutdown();
    }
  }

  @Override
  protected RememberMeStore createRememberMeStore() {
    prefix = RedisTestSupport.RUN_PREFIX + "rm-contract:" + TEST.incrementAndGet() + ":";
    return RedisSessionStore.builder().client(client).keyPrefix(prefix).build();
  }

  @Override
  protected void closeRememberMeStore(RememberMeStore store) {
    store.close();
    RedisTestSupport.deleteUnder(admin, prefix);
  }
}
