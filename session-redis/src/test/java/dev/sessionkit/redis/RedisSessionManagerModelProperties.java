// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stateful model test over standalone Redis at 127.0.0.1:6379 ({@code jqwik.tries.default}
 * chains): each chain of operations gets its own key prefix, and one shared client serves them all.
 */
class RedisSessionManagerModelProperties extends SessionManagerModelContract {

  static final AtomicInteger CHAIN = new AtomicInteger();

  @Override
  protected Stores createStores() {
    return Stores.of(RedisTopology.STANDALONE.store(
        RedisTestSupport.RUN_PREFIX + "model:" + CHAIN.incrementAndGet() + ":"));
  }
}
