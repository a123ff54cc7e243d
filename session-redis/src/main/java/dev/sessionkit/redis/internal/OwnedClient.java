// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ThreadFactoryProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A Lettuce client that a store created and shuts down, with the threads its resources started.
 * Lettuce reports its event loops terminated while their threads are still finishing; a servlet
 * container that undeploys the application right after the filter's {@code destroy()} then
 * reports those threads as leaked. So {@link #shutdown()} also waits for the threads to end.
 */
public final class OwnedClient<C extends AbstractRedisClient> {

  /** How long shutting down waits for Lettuce, and then for its threads, in seconds. */
  static final long SHUTDOWN_SECONDS = 2;

  private final C client;
  private final Threads threads;

  OwnedClient(C client, Threads threads) {
    this.client = client;
    this.threads = threads;
  }

  /** Returns the client. */
  public C client() {
    return client;
  }

  /** Shuts the client and its resources down and waits (briefly) for their threads to end. */
  public void shutdown() {
    NettyThreadState.released(() -> {
      try {
        client.shutdown(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
      } finally {
        client.getResources().shutdown(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        threads.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_SECONDS));
      }
    });
  }

  /** Creates Lettuce's threads as Lettuce does (daemon, named by pool) and remembers them. */
  static final class Threads implements ThreadFactoryProvider {
    private final List<Thread> started = new CopyOnWriteArrayList<>();

    @Override
    public ThreadFactory getThreadFactory(String poolName) {
      ThreadFactory netty = new DefaultThreadFactory(poolName, true);
      return r -> {
        Thread t = netty.newThread(r);
        started.add(t);
        return t;
      };
    }

    /** Returns the threads started so far. */
    List<Thread> started() {
      return List.copyOf(started);
    }

    void join(long timeoutMillis) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      for (Thread t : started) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return;
        }
        try {
          t.join(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
