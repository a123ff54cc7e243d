// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.spi.SessionStoreFactory;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opens the store that the {@code store} init-param names: {@code memory}, a location that a
 * registered {@link SessionStoreFactory} supports (such as {@code redis://...} or {@code jdbc:...}),
 * or the class name of a factory with a public no-arg constructor. Messages name the init-param and
 * never echo more of a location than its scheme (it may hold a password).
 */
public final class StoreLoader {

  private static final Pattern CLASS_NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)+");

  private StoreLoader() {}

  /**
   * Opens the store.
   *
   * @param location the {@code store} init-param
   * @param settings every init-param, handed to the factory ({@code store} holds the location)
   * @throws IllegalArgumentException if no factory fits or the factory refuses a setting
   */
  public static Stores open(String location, Map<String, String> settings,
      ClassLoader loader) {
    if (location.equalsIgnoreCase(FilterSettings.MEMORY)) {
      return Stores.of(InMemorySessionStore.create());
    }
    SessionStoreFactory factory = CLASS_NAME.matcher(location).matches()
        ? instantiate(location, loader)
        : SessionStoreFactory.forLocation(location, loader).orElseThrow(() ->
            new IllegalArgumentException("store: no SessionStoreFactory on the class path supports "
                + redact(location) + "; store accepts memory, a location served by a store module"
                + " on the class path (such as redis://host:6379 with session-redis, or jdbc:... with"
                + " session-jdbc), or the class name of a SessionStoreFactory"));
    Stores store;
    try {
      store = factory.create(settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("store (" + factory.getClass().getName() + "): "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("store: " + factory.getClass().getName()
          + " could not open the store for " + redact(location) + ": " + e.getMessage(), e);
    }
    if (store == null) {
      throw new IllegalArgumentException("store: " + factory.getClass().getName()
          + " returned no store");
    }
    return store;
  }

  private static SessionStoreFactory instantiate(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("store: class " + className + " was not found; store"
          + " accepts memory, a store location, or the class name of a SessionStoreFactory", e);
    }
    if (!SessionStoreFactory.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("store: " + className + " does not implement "
          + SessionStoreFactory.class.getName());
    }
    try {
      return (SessionStoreFactory) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
      throw new IllegalArgumentException("store: " + className
          + " needs a public no-arg constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("store: the constructor of " + className + " failed: "
          + e.getCause(), e.getCause());
    }
  }

  /** Returns a location as far as it is safe to log: its scheme only. */
  static String redact(String location) {
    int colon = location.indexOf(':');
    String scheme = colon > 0 ? location.substring(0, colon) : location;
    return "'" + CookieSettings.printable(scheme.length() > 40 ? scheme.substring(0, 40) : scheme)
        + (colon > 0 ? ":...'" : "'");
  }
}
