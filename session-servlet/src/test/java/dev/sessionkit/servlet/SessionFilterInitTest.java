// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.testapp.CompatEvents;
import dev.sessionkit.servlet.testapp.RecordingStoreFactory;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter's init and destroy outside a container (the suites cover them inside). */
class SessionFilterInitTest {

  /** A filter's configuration as web.xml would give it. */
  record Config(String name, Map<String, String> params) implements FilterConfig {
    @Override
    public String getFilterName() {
      return name;
    }

    /** None: init reads only the optional session-timeout from it. */
    @Override
    public ServletContext getServletContext() {
      return null;
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
  void aFilterAroundAGivenManagerTakesCookieSettingsOnly() throws Exception {
    SessionFilter filter = new SessionFilter(SessionManager.builder().build());
    filter.init(new Config("given", Map.of("same-site", "Strict")));
    filter.destroy();
    assertThatThrownBy(() -> new SessionFilter(SessionManager.builder().build())
        .init(new Config("given", Map.of("idle-timeout", "PT5M"))))
        .hasMessageContaining("idle-timeout does not apply to a SessionFilter constructed around a"
            + " SessionManager");
  }
}
