// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SaveMode;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterSettingsTest {

  @Test
  void theDefaultsAreThoseOfTheReadme() {
    FilterSettings s = FilterSettings.parse(Map.of(), false);
    assertThat(s.cookies()).isEqualTo(CookieSettings.defaults());
    assertThat(s.cacheControlNoStore()).isTrue();
    assertThat(s.store()).isEqualTo("memory");
    assertThat(s.sessionConfig().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.sessionConfig().absoluteTimeout()).isEqualTo(Duration.ofHours(8));
    assertThat(s.sessionConfig().rememberMeLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(s.sessionConfig().maxSessionsPerPrincipal()).isEqualTo(OptionalInt.empty());
  }

  @Test
  void theCookieDefaultsFollowTheContextPathAndInitParamsStillWin() {
    assertThat(FilterSettings.parse(Map.of(), false, "/shop").cookies())
        .isEqualTo(CookieSettings.defaultsFor("/shop"));
    CookieSettings shared = FilterSettings.parse(Map.of("cookie-path", "/"), true, "/shop")
        .cookies();
    assertThat(shared.sessionName()).isEqualTo("__Secure-sid-shop");
    assertThat(shared.path()).isEqualTo("/");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("cookie-name", "__Host-sid"), false,
        "/shop")).hasMessageContaining("a __Host- cookie requires cookie-path=/ (not /shop)");
  }

  @Test
  void theApplicationsSessionTimeoutIsTheIdleTimeoutUnlessTheInitParamSaysOtherwise() {
    FilterSettings fromWebXml = FilterSettings.parse(Map.of(), false, OptionalInt.of(5));
    assertThat(fromWebXml.sessionConfig().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(fromWebXml.idleTimeoutSource()).isEqualTo("web.xml session-timeout 5 min");

    FilterSettings initParam =
        FilterSettings.parse(Map.of("idle-timeout", "PT10M"), false, OptionalInt.of(5));
    assertThat(initParam.sessionConfig().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(initParam.idleTimeoutSource()).isEqualTo("init-param idle-timeout");

    FilterSettings longer =
        FilterSettings.parse(Map.of("absolute-timeout", "PT1H"), false, OptionalInt.of(600));
    assertThat(longer.sessionConfig().idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(longer.idleTimeoutSource()).contains("bounded by absolute-timeout");

    for (int never : new int[] {0, -1}) {
      FilterSettings none = FilterSettings.parse(Map.of(), false, OptionalInt.of(never));
      assertThat(none.sessionConfig().idleTimeout())
          .isEqualTo(none.sessionConfig().absoluteTimeout());
      assertThat(none.idleTimeoutSource()).contains("the absolute timeout alone");
    }
    assertThat(FilterSettings.parse(Map.of(), false).idleTimeoutSource()).isEqualTo("default");
  }

  @Test
  void listenerInitParamsAreListsOfClassNames() {
    FilterSettings s = FilterSettings.parse(Map.of("session-listener", " a.B ,c.D",
        "http-session-listeners", "e.F"), false);
    assertThat(s.sessionListeners()).containsExactly("a.B", "c.D");
    assertThat(s.httpSessionListeners()).containsExactly("e.F");
    assertThat(FilterSettings.parse(Map.of("http-session-listeners", "e.F"), true)
        .httpSessionListeners()).containsExactly("e.F");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("http-session-listeners", "a.B,,c.D"),
        false)).hasMessageContaining("http-session-listeners accepts a comma-separated list");
  }

  @Test
  void saveModeIsAnInitParamWithTheDefaultThatSavesInPlaceChangesOfWhatWasRead() {
    assertThat(FilterSettings.parse(Map.of(), false).sessionConfig().saveMode())
        .isEqualTo(SaveMode.ON_GET_ATTRIBUTE);
    assertThat(FilterSettings.parse(Map.of("save-mode", "on-set-attribute"), false)
        .sessionConfig().saveMode()).isEqualTo(SaveMode.ON_SET_ATTRIBUTE);
    assertThat(FilterSettings.parse(Map.of("save-mode", " ALWAYS "), false)
        .sessionConfig().saveMode()).isEqualTo(SaveMode.ALWAYS);
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("save-mode", "sometimes"), false))
        .hasMessage("save-mode accepts on-set-attribute, on-get-attribute or always: sometimes");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("save-mode", "always"), true))
        .hasMessageContaining("init-param save-mode does not apply to a SessionFilter constructed"
            + " around a SessionManager");
  }

  @Test
  void everyInitParamReachesItsSetting() {
    FilterSettings s = FilterSettings.parse(Map.ofEntries(
        Map.entry("cookie-name", "sid"), Map.entry("cookie-path", " /app \n"),
        Map.entry("cookie-domain", "example.com"), Map.entry("cookie-secure", "FALSE"),
        Map.entry("same-site", "strict"), Map.entry("idle-timeout", "pt10m"),
        Map.entry("absolute-timeout", "PT2H"), Map.entry("remember-me-cookie-name", "rm"),
        Map.entry("remember-me-lifetime", "P7D"), Map.entry("max-sessions-per-user", "3"),
        Map.entry("store", "MEMORY"), Map.entry("cache-control-no-store", "false")), false);
    assertThat(s.cookies()).isEqualTo(
        new CookieSettings("sid", "rm", "/app", "example.com", false, "Strict"));
    assertThat(s.cacheControlNoStore()).isFalse();
    assertThat(s.memoryStore()).isTrue();
    assertThat(s.sessionConfig().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.sessionConfig().absoluteTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(s.sessionConfig().rememberMeLifetime()).isEqualTo(Duration.ofDays(7));
    assertThat(s.sessionConfig().maxSessionsPerPrincipal()).hasValue(3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cookie-secure|yes|cookie-secure accepts true or false",
      "cache-control-no-store|1|cache-control-no-store accepts true or false",
      "same-site|Relaxed|same-site accepts Strict, Lax or None",
      "idle-timeout|30m|idle-timeout accepts an ISO-8601 duration",
      "idle-timeout|PT0S|idle-timeout accepts a positive ISO-8601 duration",
      "absolute-timeout|-PT1H|absolute-timeout accepts a positive ISO-8601 duration",
      "remember-me-lifetime|P500D|remember-me-lifetime must be at most 400 days",
      "remember-me-lifetime|P1M|remember-me-lifetime accepts an ISO-8601 duration",
      "max-sessions-per-user|0|max-sessions-per-user accepts a whole number of at least 1",
      "max-sessions-per-user|many|max-sessions-per-user accepts a whole number of at least 1",
      "cookie-name|se ssion|cookie-name accepts",
      "cookie-domain|-|cookie-domain accepts",
      "cookie-path|relative|cookie-path accepts",
      "idle-timeout|'   '|init-param idle-timeout is empty",
      "idel-timeout|PT5M|unknown init-param idel-timeout"})
  void aBadValueIsRefusedNamingTheInitParamAndWhatItAccepts(String name, String value,
      String message) {
    assertThatThrownBy(() -> FilterSettings.parse(Map.of(name, value), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void contradictionsAreRefused() {
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("cookie-secure", "false"), false))
        .hasMessageContaining("__Host- cookie requires cookie-secure=true");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("cookie-domain", "example.com"), false))
        .hasMessageContaining("__Host- cookie must not have a cookie-domain");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("cookie-path", "/app"), false))
        .hasMessageContaining("__Host- cookie requires cookie-path=/");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("cookie-name", "sid",
        "remember-me-cookie-name", "rm", "cookie-secure", "false", "same-site", "None"), false))
        .hasMessageContaining("same-site=None requires cookie-secure=true");
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("idle-timeout", "PT9H"), false))
        .hasMessageContaining("idle-timeout (PT9H) must not be longer than absolute-timeout");
  }

  @Test
  void unknownInitParamsGoToAStoreFactory() {
    FilterSettings s = FilterSettings.parse(Map.of("store", "redis://127.0.0.1:6379",
        "redis-timeout", "PT2S"), false);
    assertThat(s.store()).isEqualTo("redis://127.0.0.1:6379");
  }

  @Test
  void aFilterAroundAGivenManagerRefusesTheManagersSettings() {
    assertThat(FilterSettings.parse(Map.of("cookie-name", "sid", "remember-me-cookie-name", "rm",
        "cookie-secure", "false"), true).sessionConfig()).isNull();
    for (String name : FilterSettings.MANAGER_PARAMS) {
      assertThatThrownBy(() -> FilterSettings.parse(Map.of(name, "x"), true))
          .hasMessageContaining("init-param " + name + " does not apply");
    }
    assertThatThrownBy(() -> FilterSettings.parse(Map.of("redis-timeout", "PT1S"), true))
        .hasMessageContaining("unknown init-param redis-timeout");
  }
}
