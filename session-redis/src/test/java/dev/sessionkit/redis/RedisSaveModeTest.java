// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SaveModeContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link SaveModeContract} over Redis at 127.0.0.1:6379, one key prefix per store. */
class RedisSaveModeTest extends SaveModeContract {

  private static RedisNamespace redis;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open("save");
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected Stores createStores() {
    return redis.newStores();
  }
}
