// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.testing.RememberMeStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The remember-me store contract suite on standalone Redis, Sentinel and Redis Cluster. */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisRememberMeStoreContractTest extends RememberMeStoreContract {

  private static final AtomicInteger TEST = new AtomicInteger();

  @Parameter
  RedisTopology topology;
  private String prefix;

  @Override
  protected RememberMeStore createRememberMeStore() {
    prefix = RedisTestSupport.RUN_PREFIX + "rm-contract:" + TEST.incrementAndGet() + ":";
    return topology.store(prefix);
  }

  @Override
  protected void closeRememberMeStore(RememberMeStore store) {
    store.close();
    topology.deleteUnder(prefix);
  }
}
