// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.LifecycleContract;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lifecycle invariants (revocation is final, unknown outcomes are safe, series per device,
 * LRU cap, parallel rotations, credential change) with a real manager on standalone Redis,
 * Sentinel and Redis Cluster, one key prefix per test.
 */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisLifecycleContractTest extends LifecycleContract {

  private static RedisNamespace redis;

  @Parameter
  RedisTopology topology;

  @BeforeParameterizedClassInvocation
  static void connect(RedisTopology topology) {
    redis = RedisNamespace.open(topology, "lifecycle");
  }

  @AfterParameterizedClassInvocation
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
