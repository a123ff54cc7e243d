// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import dev.sessionkit.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.EnumSet;

/** Adds SessionFilters constructed around ready managers, the programmatic way. */
public class ProgrammaticFilters implements ServletContextListener {

  @Override
  public void contextInitialized(ServletContextEvent sce) {
    TestBackends backends = TestBackends.current();
    FilterRegistration.Dynamic clock = sce.getServletContext()
        .addFilter("clock-sessions", new SessionFilter(backends.clockManager));
    clock.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/clock/*");
    FilterRegistration.Dynamic broken = sce.getServletContext()
        .addFilter("broken-sessions", new SessionFilter(backends.failingManager));
    broken.setInitParameter("cookie-name", "__Host-broken");
    broken.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/broken/*");
  }
}
