// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import dev.sessionkit.SessionManager;
import dev.sessionkit.SessionManagerCustomizer;
import io.micrometer.core.instrument.Metrics;

/**
 * Binds {@link SessionMetrics} to Micrometer's global registry ({@link Metrics#globalRegistry}),
 * for applications configured without code: name this class in the servlet filter's {@code
 * manager-customizer} init-param. The global registry is a composite that reports to the
 * registries the application adds to it ({@code Metrics.addRegistry(prometheusRegistry)}); until
 * one is added, the meters count nothing. An application with a registry of its own writes a
 * customizer of three lines that calls {@link SessionMetrics#bind(io.micrometer.core.instrument.
 * MeterRegistry, SessionManager.Builder)} with it.
 */
public final class GlobalRegistryMetrics implements SessionManagerCustomizer {

  /** Creates the customizer; the filter calls this constructor. */
  public GlobalRegistryMetrics() {}

  @Override
  public void customize(SessionManager.Builder builder) {
    SessionMetrics.bind(Metrics.globalRegistry, builder);
  }
}
