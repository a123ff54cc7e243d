// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.InternalThreadLocalMap;
import java.util.function.Supplier;

/**
 * Netty keeps per-thread state (an {@code InternalThreadLocalMap} in a thread-local) on every
 * thread that talks to it, such as a servlet container's request threads that send Redis commands
 * or the thread that starts the filter. On those threads it would outlive an undeployed
 * application (Tomcat reports it as a thread-local leak), so the store removes what its own calls
 * started there. A Netty thread, or a thread where the application itself already used Netty, is
 * left as it was.
 */
public final class NettyThreadState {

  private NettyThreadState() {}

  /** Runs {@code work} and removes the Netty thread state it started on this thread. */
  public static <T> T released(Supplier<T> work) {
    boolean hadState = Thread.currentThread() instanceof FastThreadLocalThread
        || InternalThreadLocalMap.getIfSet() != null;
    try {
      return work.get();
    } finally {
      if (!hadState) {
        FastThreadLocal.removeAll();
      }
    }
  }

  /** Runs {@code work} and removes the Netty thread state it started on this thread. */
  public static void released(Runnable work) {
    released(() -> {
      work.run();
      return null;
    });
  }
}
