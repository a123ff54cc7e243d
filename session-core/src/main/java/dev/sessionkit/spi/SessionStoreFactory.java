// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates a {@link SessionStore} from string settings, so that configuration files (the servlet
 * filter's {@code store} init-param, the demo's {@code --store} option) can select a store module
 * without code.
 *
 * <p>A store module registers its factory in {@code
 * META-INF/services/dev.sessionkit.spi.SessionStoreFactory}; {@link #forLocation} then finds it for
 * a location it {@link #supports} (such as {@code redis://127.0.0.1:6379} or {@code
 * jdbc:postgresql://...}). A factory may also be named by its class name (it needs a public no-arg
 * constructor).
 *
 * <p>The settings passed to {@link #create} hold the location under the key {@value #LOCATION} and
 * every other setting of the caller (for the filter: all init-params), so that a factory can read
 * its own options. A bad setting fails with an {@link IllegalArgumentException} naming it.
 */
public interface SessionStoreFactory {

  /** The settings key that holds the store location. */
  String LOCATION = "store";

  /**
   * Returns whether this factory creates stores for {@code location} (a URI or JDBC URL).
   *
   * @param location the {@code store} init-param: a location such as {@code redis://host:6379}
   * @return whether this factory creates stores for {@code location} (a URI or JDBC URL)
   */
  boolean supports(String location);

  /**
   * Creates the stores (sessions and remember-me series) the settings describe.
   *
   * @param settings the filter's init-params by name
   * @return the stores; the caller closes them
   * @throws IllegalArgumentException if a setting is invalid; the message names it
   * @throws SessionStoreException if the backend cannot be reached
   */
  Stores create(Map<String, String> settings);

  /**
   * Returns the registered factory that supports {@code location}, if any.
   *
   * @param location the {@code store} init-param: a location such as {@code redis://host:6379}
   * @param loader the class loader of the web application
   * @return the registered factory that supports {@code location}, if any
   */
  static Optional<SessionStoreFactory> forLocation(String location, ClassLoader loader) {
    Objects.requireNonNull(location, "location");
    for (SessionStoreFactory factory : ServiceLoader.load(SessionStoreFactory.class, loader)) {
      if (factory.supports(location)) {
        return Optional.of(factory);
      }
    }
    return Optional.empty();
  }
}
