// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

/**
 * Adds to a {@link SessionManager.Builder} what a configuration without code cannot express:
 * listeners and store wrappers ({@link SessionManager.Builder#wrapStores}), such as metrics. The
 * servlet filter's {@code manager-customizer} init-param names implementations by class (each a
 * public class with a public no-argument constructor) and calls them after it set the store, the
 * configuration and its own listeners, before it builds the manager.
 *
 * <p>A customizer adds; it does not replace what the init-params set (the store, the
 * configuration, the clock). It is called once per filter, on the thread that initializes it.
 */
@FunctionalInterface
public interface SessionManagerCustomizer {

  /**
   * Adds to the manager that {@code builder} is about to build.
   *
   * @param builder the builder, with the store and configuration already set
   */
  void customize(SessionManager.Builder builder);
}
