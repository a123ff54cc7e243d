// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.testing.RememberMeStoreContract;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The remember-me store contract suite on standalone Redis, Sentinel and Redis Cluster. */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisRememberMeStoreContractTest extends RememberMeStoreContract {

  private static RedisNamespace redis;

  @Parameter
  RedisTopology topology;
  private String prefix;

  @BeforeParameterizedClassInvocation
  static void connect(RedisTopology topology) {
    redis = RedisNamespace.open(topology, "rm-contract");
  }

  @AfterParameterizedClassInvocation
  static void disconnect() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @Override
  protected RememberMeStore createRememberMeStore() {
    prefix = redis.newPrefix();
    return redis.store(prefix);
  }

  @Override
  protected void closeRememberMeStore(RememberMeStore store) {
    store.close();
    redis.deleteUnder(prefix);
  }
}
