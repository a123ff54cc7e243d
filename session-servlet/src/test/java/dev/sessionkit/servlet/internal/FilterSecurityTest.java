// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.GuessingDetection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The init-params of guessing detection, Clear-Site-Data and trusted proxies. */
class FilterSecurityTest {

  final SessionManager manager = SessionManager.builder().build();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cookies | \"cookies\"",
      "\"cookies\" | \"cookies\"",
      " \"cache\", cookies ,storage | \"cache\", \"cookies\", \"storage\"",
      "cookies, cookies | \"cookies\"",
      "* | \"*\"",
  })
  void clearSiteDataIsAListOfQuotedDirectives(String value, String header) {
    FilterSecurity s = FilterSecurity.parse(Map.of("clear-site-data", value), null, manager);
    assertThat(s.clearSiteData()).isEqualTo(header);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"cookie", "\"cookies", "cookies;", "cookies,", "Cookies",
      "cookies x"})
  void aBadClearSiteDataValueIsRefusedNamingTheInitParam(String value) {
    assertThatThrownBy(() -> FilterSecurity.parse(Map.of("clear-site-data", value), null, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("clear-site-data accepts a comma-separated list of")
        .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
  }

  @Test
  void aClearSiteDataValueCannotInjectAHeader() {
    assertThatThrownBy(() -> FilterSecurity.parse(
        Map.of("clear-site-data", "\"cookies\"\r\nX-Evil: 1"), null, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
  }

  @Test
  void withoutInitParamsClearSiteDataIsOffAndDetectionHasItsDefaults() {
    FilterSecurity s = FilterSecurity.parse(Map.of(), null, manager);
    assertThat(s.clearSiteData()).isNull();
    assertThat(GuessingDetection.defaults().toString()).isEqualTo("GuessingDetection[threshold=50,"
        + " window=PT1M, coolDown=PT15M, refuse=false, maxTrackedAddresses=10000]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "guessing-threshold | 0 | guessing-threshold accepts a whole number from 1 to 1000: 0",
      "guessing-threshold | 1001 | guessing-threshold accepts a whole number from 1 to 1000: 1001",
      "guessing-threshold | ten | guessing-threshold accepts a whole number from 1 to 1000: ten",
      "guessing-window | PT0S | guessing-window accepts a positive ISO-8601 duration of at most"
          + " P1D, such as PT1M: PT0S",
      "guessing-window | P2D | guessing-window accepts a positive ISO-8601 duration of at most"
          + " P1D, such as PT1M: P2D",
      "guessing-cool-down | soon | guessing-cool-down accepts a positive ISO-8601 duration of at"
          + " most P1D, such as PT15M: soon",
      "guessing-refuse | yes | guessing-refuse accepts true or false: yes",
      "guessing-detection | on | guessing-detection accepts true or false: on",
      "guessing-max-addresses | 0 | guessing-max-addresses accepts a whole number from 1 to"
          + " 1000000: 0",
  })
  void aBadGuessingInitParamIsRefusedNamingItAndWhatItAccepts(String name, String value,
      String message) {
    assertThatThrownBy(() -> FilterSecurity.parse(Map.of(name, value), null, manager))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  /**
   * The largest threshold with the largest number of tracked addresses would let the counts take
   * about 8 GB: a configuration whose memory bound is over 1 GiB is refused at start-up, naming
   * both init-params; the largest accepted ones stay within it.
   */
  @Test
  void guessingSettingsWhoseCountsCouldExhaustTheHeapAreRefused() {
    assertThatThrownBy(() -> FilterSecurity.parse(Map.of("guessing-threshold", "1000",
        "guessing-max-addresses", "1000000"), null, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("guessing-threshold and guessing-max-addresses together: the guessing counts"
            + " could take 7772 MiB (threshold 1000 x maxTrackedAddresses 1000000), over 1024 MiB:"
            + " lower the threshold or the number of tracked addresses");
    assertThatThrownBy(() -> GuessingDetection.builder().threshold(1000).maxTrackedAddresses(132_000)
        .build()).isInstanceOf(IllegalArgumentException.class);
    assertThat(GuessingDetection.builder().threshold(1000).maxTrackedAddresses(131_000).build()
        .maxTrackedAddresses()).isEqualTo(131_000);
    assertThat(GuessingDetection.builder().threshold(50)
        .maxTrackedAddresses(GuessingDetection.MAX_TRACKED_ADDRESSES).build().threshold())
        .isEqualTo(50);
    assertThat(GuessingDetection.builder().enabled(false).threshold(1000)
        .maxTrackedAddresses(GuessingDetection.MAX_TRACKED_ADDRESSES).build().enabled())
        .as("off: nothing is counted").isFalse();
  }

  @Test
  void initParamsOverrideSingleSettingsOfAProgrammaticDetection() {
    GuessingDetection given = GuessingDetection.builder().threshold(7).refuse(true).build();
    FilterSecurity s = FilterSecurity.parse(Map.of("guessing-threshold", "9"), given, manager);
    assertThat(s.guessing().settings().threshold()).isEqualTo(9);
    assertThat(s.guessing().settings().refuse()).isTrue();
  }

  @Test
  void withoutTrustedProxiesTheClientAddressIsThePeer() {
    assertThat(FilterSecurity.parse(Map.of(), null, manager).proxies().isEmpty()).isTrue();
    assertThat(FilterSecurity.parse(Map.of("trusted-proxies", " 10.0.0.0/8 , ::1 "), null,
        manager).proxies()).hasToString("[10.0.0.0/8, ::1/128]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "proxy.internal | not an IP address or CIDR range (host names are not resolved):"
          + " proxy.internal",
      "10.0.0.0/99 | the prefix of 10.0.0.0/99 must be 1 to 32 (/0 would trust every address)",
      "'10.0.0.0/8\r\nX: y' | the prefix of 10.0.0.0/8??X: y must be 1 to 32 (/0 would trust"
          + " every address)",
      "'10.0.0.1\r\nX: y' | not an IP address or CIDR range (host names are not resolved):"
          + " 10.0.0.1??X: y",
      "' ' | no address given; omit it to trust no proxy",
  })
  void aBadTrustedProxiesValueIsRefusedNamingTheInitParamAndTheItem(String value,
      String detail) {
    assertThatThrownBy(() -> FilterSecurity.parse(Map.of("trusted-proxies", value), null,
        manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trusted-proxies accepts comma-separated IP addresses and CIDR ranges, such"
            + " as 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8; " + detail);
  }
}
