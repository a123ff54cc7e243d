// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.testapp.CompatEvents;
import dev.sessionkit.servlet.testapp.RecordingStoreFactory;
import dev.sessionkit.servlet.testapp.WrappingCustomizer;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** The filter's init and destroy outside a container (the suites cover them inside). */
class SessionFilterInitTest {

  /** A filter's configuration as web.xml would give it. */
  record Config(String name, Map<String, String> params) implements FilterConfig {
    /** What filters logged through {@code ServletContext.log}. */
    static final List<String> CONTEXT_LOG = new CopyOnWriteArrayList<>();

    @Override
    public String getFilterName() {
      return name;
    }

    /** A context at the root path that records what the filter logs to it; nothing else. */
    @Override
    public ServletContext getServletContext() {
      return (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
            case "getContextPath" -> "";
            case "log" -> {
              CONTEXT_LOG.add((String) args[0]);
              yield null;
            }
            default -> throw new UnsupportedOperationException("init must not need "
                + method.getName() + " of the servlet context");
          });
    }

    @Override
    public String getInitParameter(String param) {
      return params.get(param);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
      return Collections.enumeration(params.keySet());
    }
  }

  @Test
  void aSessionListenerClassThatCannotServeFailsInitWithAMessageNamingIt() {
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("session-listener", "com.example.MissingListener"))))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("SessionFilter sessions: session-listener: class"
            + " com.example.MissingListener was not found");
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("session-listener", "java.lang.String"))))
        .hasMessage("SessionFilter sessions: session-listener: class java.lang.String implements"
            + " none of [dev.sessionkit.SessionListener]");
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions", Map.of(
        "session-listener", CompatEvents.NeedsArgumentListener.class.getName()))))
        .hasMessage("SessionFilter sessions: session-listener: class "
            + CompatEvents.NeedsArgumentListener.class.getName()
            + " has no public no-argument constructor");
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions", Map.of(
        "session-listener", CompatEvents.ManagerListener.class.getName() + ", "))))
        .hasMessageContaining("session-listener accepts a comma-separated list of class names");
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions", Map.of(
        "http-session-listeners", CompatEvents.ManagerListener.class.getName()))))
        .hasMessage("SessionFilter sessions: http-session-listeners: class "
            + CompatEvents.ManagerListener.class.getName() + " implements none of"
            + " [jakarta.servlet.http.HttpSessionListener,"
            + " jakarta.servlet.http.HttpSessionAttributeListener,"
            + " jakarta.servlet.http.HttpSessionIdListener]");
    assertThatThrownBy(() -> new SessionFilter(SessionManager.builder().build()).init(
        new Config("sessions", Map.of("session-listener",
            CompatEvents.ManagerListener.class.getName()))))
        .hasMessageContaining("init-param session-listener does not apply to a SessionFilter"
            + " constructed around a SessionManager");
  }

  @Test
  void aBadInitParamFailsInitWithAMessageNamingIt() {
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("idle-timeout", "half an hour"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("SessionFilter sessions: idle-timeout accepts an ISO-8601 duration such as"
            + " PT30M, PT8H or P30D: half an hour");
  }

  @Test
  void aBadTrustedProxiesValueFailsInitWithAMessageNamingIt() throws Exception {
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("trusted-proxies", "127.0.0.1, lb.internal"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("SessionFilter sessions: trusted-proxies accepts comma-separated IP addresses"
            + " and CIDR ranges, such as 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8; not an IP address"
            + " or CIDR range (host names are not resolved): lb.internal");
    assertThatThrownBy(() -> new SessionFilter(SessionManager.builder().build()).init(
        new Config("given", Map.of("trusted-proxies", "10.0.0.1/8"))))
        .hasMessage("SessionFilter given: trusted-proxies accepts comma-separated IP addresses"
            + " and CIDR ranges, such as 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8; 10.0.0.1/8 has"
            + " bits set past its prefix; write 10.0.0.0/8");
    SessionFilter filter = new SessionFilter();
    filter.init(new Config("proxied", Map.of("trusted-proxies", "127.0.0.1, fd00::/8")));
    filter.destroy();
  }

  @Test
  void anUnknownStoreFailsInitWithoutEchoingTheLocation() {
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("store", "mongodb://user:secret@db:27017"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("store: no SessionStoreFactory on the class path supports 'mongodb:...'")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("store", "com.example.MissingFactory"))))
        .hasMessageContaining("store: class com.example.MissingFactory was not found");
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("store", "java.lang.String"))))
        .hasMessageContaining("does not implement dev.sessionkit.spi.SessionStoreFactory");
  }

  @Test
  void destroyClosesTheStoreTheFilterOpened() throws Exception {
    SessionFilter filter = new SessionFilter();
    filter.init(new Config("by-class", Map.of("store", RecordingStoreFactory.class.getName(),
        "recording-label", "unit")));
    RecordingStoreFactory.Created created = RecordingStoreFactory.created().stream()
        .filter(c -> "unit".equals(c.settings().get("recording-label"))).findFirst().orElseThrow();
    assertThat(created.settings()).containsEntry("store", RecordingStoreFactory.class.getName());
    assertThat(created.closed()).isFalse();
    filter.destroy();
    assertThat(created.closed()).isTrue();
  }

  @Test
  void aManagerCustomizerNamedByItsInitParamWrapsTheStoresTheFilterOpened() throws Exception {
    SessionFilter filter = new SessionFilter();
    filter.init(new Config("customized", Map.of("store", RecordingStoreFactory.class.getName(),
        "recording-label", "customized", "manager-customizer",
        WrappingCustomizer.class.getName())));
    try {
      RecordingStoreFactory.Created created = RecordingStoreFactory.created().stream()
          .filter(c -> "customized".equals(c.settings().get("recording-label"))).findFirst()
          .orElseThrow();
      assertThat(WrappingCustomizer.WRAPPED).anySatisfy(
          stores -> assertThat(stores.sessions()).isSameAs(created.store()));
    } finally {
      filter.destroy();
    }
  }

  @Test
  void aManagerCustomizerThatCannotServeFailsInitWithAMessageNamingIt() {
    assertThatThrownBy(() -> new SessionFilter().init(new Config("sessions",
        Map.of("manager-customizer", "java.lang.String"))))
        .hasMessage("SessionFilter sessions: manager-customizer: class java.lang.String implements"
            + " none of [dev.sessionkit.SessionManagerCustomizer]");
    assertThatThrownBy(() -> new SessionFilter(SessionManager.builder().build()).init(new Config(
        "given", Map.of("manager-customizer", WrappingCustomizer.class.getName()))))
        .hasMessageContaining("manager-customizer does not apply to a SessionFilter constructed"
            + " around a SessionManager");
  }

  @Test
  void aFilterAroundAGivenManagerTakesCookieSettingsOnly() throws Exception {
    SessionFilter filter = new SessionFilter(SessionManager.builder().build());
    filter.init(new Config("given", Map.of("same-site", "Strict")));
    filter.destroy();
    assertThatThrownBy(() -> new SessionFilter(SessionManager.builder().build())
        .init(new Config("given", Map.of("idle-timeout", "PT5M"))))
        .hasMessageContaining("idle-timeout does not apply to a SessionFilter constructed around a"
            + " SessionManager");
  }

  /**
   * An application without an SLF4J provider: SLF4J discards everything, so the filter says so
   * once through the container's own log. Run in a class loader with slf4j-api and no provider.
   */
  @Test
  void withoutAnSlf4jProviderTheFilterSaysSoThroughTheContainersLog() throws Exception {
    List<URL> jars = new ArrayList<>();
    for (Class<?> c : List.of(org.slf4j.LoggerFactory.class, SessionManager.class,
        SessionFilter.class, jakarta.servlet.Filter.class)) {
      jars.add(c.getProtectionDomain().getCodeSource().getLocation());
    }
    List<String> logged = new CopyOnWriteArrayList<>();
    try (URLClassLoader app = new URLClassLoader(jars.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      Class<?> filterType = app.loadClass(SessionFilter.class.getName());
      Class<?> configType = app.loadClass(FilterConfig.class.getName());
      Class<?> contextType = app.loadClass(ServletContext.class.getName());
      Object context = Proxy.newProxyInstance(app, new Class<?>[] {contextType},
          (proxy, method, args) -> switch (method.getName()) {
            case "getContextPath" -> "";
            case "log" -> {
              logged.add((String) args[0]);
              yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
          });
      Object config = Proxy.newProxyInstance(app, new Class<?>[] {configType},
          (proxy, method, args) -> switch (method.getName()) {
            case "getFilterName" -> "sessions";
            case "getServletContext" -> context;
            case "getInitParameterNames" -> Collections.emptyEnumeration();
            case "getInitParameter" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
          });
      Object filter = filterType.getConstructor().newInstance();
      filterType.getMethod("init", configType).invoke(filter, config);
      filterType.getMethod("destroy").invoke(filter);
    }
    assertThat(logged).singleElement().asString()
        .startsWith("SessionFilter sessions: no SLF4J provider is bound");
  }
}
