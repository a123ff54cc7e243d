// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store factory for locations {@code recording:...} (registered in META-INF/services) that
 * remembers the settings it was given and whether its stores were closed.
 */
public final class RecordingStoreFactory implements SessionStoreFactory {

  /** One store this factory created, and the sessions store the filter uses. */
  public record Created(Map<String, String> settings, AtomicBoolean closed,
      SessionStore[] sessions) {

    /** Returns the session store behind the filter. */
    public SessionStore store() {
      return sessions[0];
    }
  }

  private static final List<Created> CREATED = new CopyOnWriteArrayList<>();
  private static final Set<String> FAILING = ConcurrentHashMap.newKeySet();
  private static final Map<String, Park> PARKS = new ConcurrentHashMap<>();

  /**
   * A store call held before it reaches the store: the calling thread announces itself on
   * {@link #reached} and waits for {@link #release()} (at most 20 s, so that a failed test never
   * hangs the container).
   */
  public static final class Park {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch go = new CountDownLatch(1);

    /** Waits until a call is parked here, at most {@code seconds} seconds; says whether it is. */
    public boolean awaitReached(long seconds) throws InterruptedException {
      return reached.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets the parked call (or the next one to arrive) go on. */
    public void release() {
      go.countDown();
    }

    private void hold() throws InterruptedException {
      reached.countDown();
      go.await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * Parks the next call of the store method {@code methodName} (of any store this factory made)
   * before it runs, until the returned park is released.
   */
  public static Park parkNext(String methodName) {
    Park park = new Park();
    PARKS.put(methodName, park);
    return park;
  }

  /**
   * Makes the named store methods of every store this factory made fail before applying (a
   * {@link SessionStoreException}), or, with no names, heals them.
   */
  public static void failing(String... methodNames) {
    FAILING.clear();
    FAILING.addAll(List.of(methodNames));
  }

  /** Returns every store created so far in this JVM. */
  public static List<Created> created() {
    return List.copyOf(CREATED);
  }

  @Override
  public boolean supports(String location) {
    return location.startsWith("recording:");
  }

  @Override
  public Stores create(Map<String, String> settings) {
    Created created = new Created(Map.copyOf(settings), new AtomicBoolean(),
        new SessionStore[1]);
    CREATED.add(created);
    InMemorySessionStore delegate = InMemorySessionStore.create();
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        created.closed().set(true);
        return null;
      }
      if (FAILING.contains(method.getName())) {
        throw new SessionStoreException("injected failure of " + method.getName());
      }
      Park park = PARKS.remove(method.getName());
      if (park != null) {
        park.hold();
      }
      try {
        return method.invoke(delegate, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    };
    Object both = Proxy.newProxyInstance(SessionStore.class.getClassLoader(),
        new Class<?>[] {SessionStore.class, RememberMeStore.class}, handler);
    created.sessions()[0] = (SessionStore) both;
    return new Stores((SessionStore) both, (RememberMeStore) both);
  }
}
