// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.SessionManager;
import dev.sessionkit.SessionManagerCustomizer;
import dev.sessionkit.spi.ClientInfo;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The customizer that web.xml names: meters in the registries added to the global one. */
class GlobalRegistryMetricsTest {

  @Test
  void theCustomizerBindsTheManagerToTheGlobalRegistry() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      // as the servlet filter does with the class its manager-customizer init-param names
      SessionManagerCustomizer customizer = (SessionManagerCustomizer) Class
          .forName("dev.sessionkit.micrometer.GlobalRegistryMetrics").getConstructor()
          .newInstance();
      SessionManager.Builder builder = SessionManager.builder();
      customizer.customize(builder);
      SessionManager sessions = builder.build();

      sessions.authenticate("alice", ClientInfo.NONE, false);

      assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "created").counter().count())
          .isEqualTo(1);
      assertThat(registry.get(SessionMetrics.STORE_CALLS).tags("operation", "create", "outcome", "success").timer()
          .count()).isEqualTo(1);
    } finally {
      Metrics.removeRegistry(registry);
      registry.close();
    }
  }
}
