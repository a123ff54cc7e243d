// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.StoreFailureDayContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link StoreFailureDayContract} on standalone Redis, Sentinel and Redis Cluster. */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisStoreFailureDayTest extends StoreFailureDayContract {

  private static final AtomicInteger STORE = new AtomicInteger();

  @Parameter
  RedisTopology topology;

  @Override
  protected Stores createStores() {
    return Stores.of(topology.store(
        RedisTestSupport.RUN_PREFIX + "day:" + STORE.incrementAndGet() + ":"));
  }
}
