// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The stateful model test over standalone Redis at 127.0.0.1:6379 ({@code jqwik.tries.default}
 * chains): each chain of operations gets its own key prefix, and one client serves them all.
 */
class RedisSessionManagerModelProperties extends SessionManagerModelContract {

  private static RedisNamespace redis;

  @BeforeContainer
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.STANDALONE, "model");
  }

  @AfterContainer
  static void disconnect() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @Override
  protected Stores createStores() {
    return redis.newStores();
  }
}
