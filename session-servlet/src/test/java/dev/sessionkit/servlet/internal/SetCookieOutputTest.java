// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the filter writes in {@code Set-Cookie}: only RFC 9110 token names, no attribute value that
 * could end an attribute or a header ({@code ;}, CR, LF, space, comma: npm cookie CVE-2024-47764),
 * and exact header strings.
 */
class SetCookieOutputTest {

  static final String TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
  static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

  /**
   * Also the regression test of a name with a line break: the init-param error (shown at start-up
   * and logged) echoed it raw, so a configured name could inject a line into the log.
   */
  @Test
  void everySeparatorControlAndNonAsciiCharacterInANameIsRefused() {
    StringBuilder refused = new StringBuilder();
    for (char c = 0; c < 0x180; c++) {
      boolean token = c > 0x20 && c < 0x7f && SEPARATORS.indexOf(c) < 0;
      String name = "sid" + c;
      boolean accepted;
      try {
        new CookieSettings(name, "rm", "/", null, true, "Lax");
        accepted = true;
      } catch (IllegalArgumentException e) {
        accepted = false;
        assertThat(e.getMessage()).startsWith("cookie-name accepts").doesNotContain("\r")
            .doesNotContain("\n");
      }
      assertThat(accepted).as("U+%04X", (int) c).isEqualTo(token);
      if (!accepted) {
        refused.append(c);
      }
    }
    assertThat(refused.toString()).contains(";", "=", " ", ",", "\r", "\n", "\"");
  }

  @Test
  void everyCookieWeWriteStaysFarBelowTheBrowsersLimitOf4096Bytes() {
    String longest = "n".repeat(CookieSettings.MAX_NAME_LENGTH);
    CookieSettings s = new CookieSettings(longest, longest.substring(1) + "r", "/", null, true,
        "Lax");
    String rememberMe = "s".repeat(16) + "." + TOKEN; // the longest value: selector.validator
    for (String header : java.util.List.of(s.sessionCookie(TOKEN),
        s.rememberMeCookie(rememberMe, Instant.EPOCH.plusSeconds(400L * 86400), Instant.EPOCH))) {
      String pair = header.substring(0, header.indexOf(';'));
      assertThat(pair.getBytes(java.nio.charset.StandardCharsets.US_ASCII).length)
          .isLessThan(200);
    }
    assertThatThrownBy(() -> new CookieSettings(longest + "x", "rm", "/", null, true, "Lax"))
        .hasMessageStartingWith("cookie-name accepts a cookie name of 1 to 64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a;b", "/a b", "/a\rb", "/a\nb", "/a,b", "/a\tb", "/a\u0000",
      "/é", "/a;Domain=evil.example", "/\r\nSet-Cookie: x=y", "a\r\nb"})
  void aPathThatCouldInjectAnAttributeOrAHeaderIsRefused(String path) {
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", path, null, true, "Lax"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cookie-path accepts")
        .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.com;x", "a.com b", "a.com\r", "a.com\n", "a.com,b.com", "a.com\t",
      ".a.com", "a..com", "-a.com", "a_b.com", "a.com;Secure=no", "évil.com", ""})
  void aDomainThatCouldInjectAnAttributeIsRefused(String domain) {
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", "/", domain, true, "Lax"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a;b", "a b", "a\rb", "a\nb", "a,b", "a\"b", "a\\b", "a\u007f",
      "é"})
  void aCookieValueOutsideCookieOctetsIsNeverWritten(String value) {
    CookieSettings d = CookieSettings.defaults();
    assertThatThrownBy(() -> d.sessionCookie(value)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.rememberMeCookie(value, Instant.EPOCH.plusSeconds(60),
        Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 2000)
  void everyHeaderWrittenHasExactlyTheExpectedAttributes(@ForAll("names") String name,
      @ForAll("paths") String path, @ForAll boolean secure,
      @ForAll("sameSites") String sameSite) {
    boolean hostPrefix = name.regionMatches(true, 0, "__Host-", 0, 7);
    boolean securePrefix = name.regionMatches(true, 0, "__Secure-", 0, 9);
    boolean valid = !(hostPrefix && (!secure || !path.equals("/")))
        && !(securePrefix && !secure) && !(sameSite.equals("None") && !secure);
    if (!valid) {
      assertThatThrownBy(() -> new CookieSettings(name, "rm", path, null, secure, sameSite))
          .isInstanceOf(IllegalArgumentException.class);
      return;
    }
    CookieSettings s = new CookieSettings(name, "rm", path, null, secure, sameSite);
    String tail = (secure ? "; Secure" : "") + "; HttpOnly; SameSite=" + sameSite;
    assertThat(s.sessionCookie(TOKEN)).isEqualTo(name + "=" + TOKEN + "; Path=" + path + tail);
    assertThat(s.clearSessionCookie()).isEqualTo(name + "=; Path=" + path
        + "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + tail);
    assertThat(s.sessionCookie(TOKEN)).doesNotContain("\r", "\n", ";;", "Domain");
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(java.util.List.of(
        Arbitraries.of("__Host-sid", "__host-SID", "__Secure-sid", "sid", "JSESSIONID", "a"),
        Arbitraries.strings().withChars("abcXYZ019!#$%&'*+-.^_`|~").ofMinLength(1)
            .ofMaxLength(20).filter(n -> !n.equals("rm"))));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.oneOf(java.util.List.of(Arbitraries.just("/"),
        Arbitraries.strings().withChars("abc/-_.~%09").ofMinLength(1).ofMaxLength(20)
            .map(p -> "/" + p)));
  }

  @Provide
  Arbitrary<String> sameSites() {
    return Arbitraries.of("Strict", "Lax", "None");
  }
}
