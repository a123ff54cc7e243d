// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.testing.SessionStoreContract;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
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

  private static RedisNamespace redis;

  @Parameter
  RedisTopology topology;
  private String prefix;

  @BeforeParameterizedClassInvocation
  static void connect(RedisTopology topology) {
    redis = RedisNamespace.open(topology, "contract");
  }

  @AfterParameterizedClassInvocation
  static void disconnect() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @Override
  protected SessionStore createStore() {
    prefix = redis.newPrefix();
    return redis.store(prefix);
  }

  /** The cookie names the session: a lookup reads it by id, then compares the token hash. */
  @Override
  protected boolean indexesTokenHashes() {
    return false;
  }

  @Override
  protected void corruptAttributes(SessionStore store, String sessionId) {
    redis.corruptAttributes(prefix, sessionId);
  }

  @Override
  protected void closeStore(SessionStore store) {
    store.close();
    redis.deleteUnder(prefix);
  }
}
