// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import net.jqwik.api.Group;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The stateful model test on every Redis topology, one group each (jqwik has no parameterized
 * container; a group is its way to run the same properties with another setting): standalone Redis
 * at 127.0.0.1:6379 runs {@code jqwik.tries.default} chains, the Sentinel setup and the Redis
 * Cluster fewer, since the model is the same and their own risks (a revocation that waits for a
 * replica; a key in another slot, a move between buckets at login) show in any chain that logs in.
 * Each chain of operations gets its own key prefix, and one client per topology serves them all.
 */
class RedisSessionManagerModelProperties {

  @Group
  class Standalone extends OnTopology {
    Standalone() {
      super(RedisTopology.STANDALONE);
    }
  }

  @Group
  @PropertyDefaults(tries = 30)
  class Sentinel extends OnTopology {
    Sentinel() {
      super(RedisTopology.SENTINEL);
    }
  }

  @Group
  @PropertyDefaults(tries = 30)
  class Cluster extends OnTopology {
    Cluster() {
      super(RedisTopology.CLUSTER);
    }
  }

  /**
   * The contract over one topology. jqwik makes one instance per property, so the client it opens
   * before the property (skipping it, or failing it under CI=true, when the topology is down)
   * serves every chain of the property.
   */
  abstract static class OnTopology extends SessionManagerModelContract {

    private final RedisTopology topology;
    private RedisNamespace redis;

    OnTopology(RedisTopology topology) {
      this.topology = topology;
    }

    @BeforeProperty
    void connect() {
      redis = RedisNamespace.open(topology, "model");
    }

    @AfterProperty
    void disconnect() {
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
}
