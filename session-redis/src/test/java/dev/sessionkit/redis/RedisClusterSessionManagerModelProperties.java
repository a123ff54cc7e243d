// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import net.jqwik.api.PropertyDefaults;

/**
 * The stateful model test over the Redis Cluster (7101-7106), with fewer chains than on
 * standalone Redis: the model is the same, and the cluster's own risks (a key in another slot, a
 * move between buckets at login) show in any chain that logs in.
 */
@PropertyDefaults(tries = 30)
class RedisClusterSessionManagerModelProperties extends SessionManagerModelContract {

  @Override
  protected Stores createStores() {
    return Stores.of(RedisTopology.CLUSTER.store(RedisTestSupport.RUN_PREFIX + "cluster-model:"
        + RedisSessionManagerModelProperties.CHAIN.incrementAndGet() + ":"));
  }
}
