// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.ForceLogoutRaceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link ForceLogoutRaceContract} over Redis at 127.0.0.1:6379, one key prefix per store. */
class RedisForceLogoutRaceTest extends ForceLogoutRaceContract {

  private static RedisNamespace redis;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open("race");
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

  @Override
  protected int maxCall() {
    return 2; // each trial costs round trips: park at the first two calls of each operation
  }
}
