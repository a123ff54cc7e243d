// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.testing.SessionStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The session store contract suite on standalone Redis, Sentinel and Redis Cluster ({@link
 * RedisTopology}), one key prefix per test.
 */
@ParameterizedClass
@EnumSource(RedisTopology.class)
class RedisSessionStoreContractTest extends SessionStoreContract {

  private static final AtomicInteger TEST = new AtomicInteger();

  @Parameter
  RedisTopology topology;
  private String prefix;

  @Override
  protected SessionStore createStore() {
    prefix = RedisTestSupport.RUN_PREFIX + "contract:" + TEST.incrementAndGet() + ":";
    return topology.store(prefix);
  }

  @Override
  protected void corruptAttributes(SessionStore store, String sessionId) {
    topology.corruptAttributes(prefix, sessionId);
  }

  @Override
  protected void closeStore(SessionStore store) {
    store.close();
    topology.deleteUnder(prefix);
  }
}
