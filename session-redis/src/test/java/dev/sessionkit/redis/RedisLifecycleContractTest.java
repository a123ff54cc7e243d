// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.LifecycleContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lifecycle invariants (revocation is final, unknown outcomes are safe, series per device,
 * LRU cap, parallel rotations, credential change) with a real manager over Redis at
 * 127.0.0.1:6379, one key prefix per test.
 */
class RedisLifecycleContractTest extends LifecycleContract {

  private static RedisNamespace redis;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open("lifecycle");
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
