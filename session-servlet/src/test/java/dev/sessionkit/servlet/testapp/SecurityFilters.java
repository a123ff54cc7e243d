// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.servlet.GuessingDetection;
import dev.sessionkit.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import java.util.EnumSet;

/**
 * Adds the security suite's filters around {@link SecurityBackends}' manager: {@code /guard/*}
 * refuses an address that trips guessing detection, {@code /watch/*}, {@code /forge/*} and {@code
 * /evade/*} only report it, {@code /nat/*} refuses past a threshold of 10, and {@code /csd/*} sends
 * {@code Clear-Site-Data} at logout (set by init-param). Each test of the suite counts under a
 * filter of its own (every request comes from the same address). {@code /proxied/*} refuses
 * too, behind {@code trusted-proxies=127.0.0.1, ::1} (the test client plays the proxy); {@code
 * /unproxied/*} refuses behind proxies the test client is not.
 */
public class SecurityFilters implements ServletContextListener {

  @Override
  public void contextInitialized(ServletContextEvent sce) {
    SecurityBackends backends = SecurityBackends.current();
    GuessingDetection strict = GuessingDetection.builder().threshold(3)
        .window(Duration.ofMinutes(1)).coolDown(Duration.ofMinutes(2)).refuse(true).build();
    add(sce, "guard-sessions", "/guard/*", new SessionFilter(backends.manager, strict));
    GuessingDetection reportOnly = strict.toBuilder().refuse(false).build();
    add(sce, "watch-sessions", "/watch/*", new SessionFilter(backends.manager, reportOnly));
    add(sce, "forge-sessions", "/forge/*", new SessionFilter(backends.manager, reportOnly));
    add(sce, "evade-sessions", "/evade/*", new SessionFilter(backends.manager, reportOnly));
    add(sce, "nat-sessions", "/nat/*", new SessionFilter(backends.manager,
        strict.toBuilder().threshold(10).build()));
    FilterRegistration.Dynamic csd = add(sce, "csd-sessions", "/csd/*",
        new SessionFilter(backends.manager));
    csd.setInitParameter("clear-site-data", "cookies");
    add(sce, "proxied-sessions", "/proxied/*", new SessionFilter(backends.manager, strict))
        .setInitParameter("trusted-proxies", "127.0.0.1, ::1");
    add(sce, "unproxied-sessions", "/unproxied/*", new SessionFilter(backends.manager, strict))
        .setInitParameter("trusted-proxies", "192.0.2.0/24");
  }

  private static FilterRegistration.Dynamic add(ServletContextEvent sce, String name,
      String path, SessionFilter filter) {
    FilterRegistration.Dynamic r = sce.getServletContext().addFilter(name, filter);
    r.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, path);
    return r;
  }
}
