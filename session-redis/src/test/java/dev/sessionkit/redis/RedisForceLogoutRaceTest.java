// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.ForceLogoutRaceContract;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ForceLogoutRaceContract} on standalone Redis, Sentinel and Redis Cluster. */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisForceLogoutRaceTest extends ForceLogoutRaceContract {

  private static RedisNamespace redis;

  @Parameter
  RedisTopology topology;

  @BeforeParameterizedClassInvocation
  static void connect(RedisTopology topology) {
    redis = RedisNamespace.open(topology, "race");
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
