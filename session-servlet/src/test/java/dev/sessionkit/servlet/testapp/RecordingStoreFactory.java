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
