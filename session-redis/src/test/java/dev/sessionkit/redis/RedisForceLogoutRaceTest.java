// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.ForceLogoutRaceContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ForceLogoutRaceContract} on standalone Redis, Sentinel and Redis Cluster. */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisForceLogoutRaceTest extends ForceLogoutRaceContract {

  private static final AtomicInteger STORE = new AtomicInteger();

  @Parameter
  RedisTopology topology;

  @Override
  protected Stores createStores() {
    return Stores.of(topology.store(
        RedisTestSupport.RUN_PREFIX + "race:" + STORE.incrementAndGet() + ":"));
  }

  @Override
  protected int maxCall() {
    // each trial costs round trips: park at the first two calls of each operation on standalone
    // Redis, at the first only on Sentinel and Cluster (the same scripts, a slower setup)
    return topology == RedisTopology.STANDALONE ? 2 : 1;
  }
}
