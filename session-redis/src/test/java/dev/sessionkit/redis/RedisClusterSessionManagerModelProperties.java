// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The stateful model test over the Redis Cluster (7101-7106), with fewer chains than on
 * standalone Redis: the model is the same, and the cluster's own risks (a key in another slot, a
 * move between buckets at login) show in any chain that logs in.
 */
@PropertyDefaults(tries = 30)
class RedisClusterSessionManagerModelProperties extends SessionManagerModelContract {

  private static RedisNamespace redis;

  @BeforeContainer
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.CLUSTER, "model");
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
