// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CookieSettingsTest {

  static final String TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

  @Test
  void buildsEveryHeaderWithExactAttributes() {
    CookieSettings d = CookieSettings.defaults();
    assertThat(d.sessionCookie(TOKEN))
        .isEqualTo("__Host-sid=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    Instant now = Instant.parse("2026-01-05T10:00:00.250Z");
    assertThat(d.rememberMeCookie("sel.val", now.plusSeconds(3600).plusMillis(500), now))
        .isEqualTo("__Host-remember=sel.val; Path=/; Max-Age=3600;"
            + " Expires=Mon, 05 Jan 2026 11:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
    assertThat(d.clearSessionCookie()).isEqualTo("__Host-sid=; Path=/; Max-Age=0;"
        + " Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
    CookieSettings custom = new CookieSettings("sid", "rm", "/app", "example.com", false, "Strict");
    assertThat(custom.clearRememberMeCookie()).isEqualTo("rm=; Path=/app; Domain=example.com;"
        + " Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict");
  }

  @Test
  void anApplicationBelowTheRootGetsCookiesOfItsOwnScopedToItsPath() {
    assertThat(CookieSettings.defaultsFor("")).isEqualTo(CookieSettings.defaults());
    assertThat(CookieSettings.defaultsFor("/")).isEqualTo(CookieSettings.defaults());
    CookieSettings shop = CookieSettings.defaultsFor("/shop");
    assertThat(shop.sessionCookie(TOKEN))
        .isEqualTo("__Secure-sid-shop=" + TOKEN + "; Path=/shop; Secure; HttpOnly; SameSite=Lax");
    assertThat(shop.clearRememberMeCookie()).isEqualTo("__Secure-remember-shop=; Path=/shop;"
        + " Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
    // nested applications: the browser sends /shop's cookies to /shop/admin, so the names differ
    CookieSettings admin = CookieSettings.defaultsFor("/shop/admin");
    assertThat(admin.sessionName()).isEqualTo("__Secure-sid-shop-admin");
    assertThat(admin.rememberMeName()).isEqualTo("__Secure-remember-shop-admin");
    assertThat(admin.path()).isEqualTo("/shop/admin");
  }

  @Test
  void aContextPathOutsideTheCookieNameAlphabetStillGivesAValidName() {
    CookieSettings odd = CookieSettings.defaultsFor("/caf%C3%A9+shop~1");
    assertThat(odd.sessionName()).isEqualTo("__Secure-sid-caf_C3_A9_shop_1");
    assertThat(odd.path()).isEqualTo("/caf%C3%A9+shop~1");
    String longPath = "/" + "a".repeat(100);
    CookieSettings long1 = CookieSettings.defaultsFor(longPath);
    CookieSettings long2 = CookieSettings.defaultsFor(longPath + "b");
    assertThat(long1.rememberMeName()).hasSizeLessThanOrEqualTo(CookieSettings.MAX_NAME_LENGTH)
        .isNotEqualTo(long2.rememberMeName());
  }

  /**
   * Tomcat reports a context path decoded ({@code /My Shop} for {@code My Shop.war}, {@code
   * /café}), Jetty encoded: either way the application starts with default settings and its
   * cookie's {@code Path} is the path as the browser sends it, so the browser sends it back.
   */
  @Test
  void aDecodedContextPathIsScopedAsTheBrowserSendsIt() {
    assertThat(CookieSettings.defaultsFor("/caf\u00e9+shop~1"))
        .isEqualTo(CookieSettings.defaultsFor("/caf%C3%A9+shop~1"));
    CookieSettings spaced = CookieSettings.defaultsFor("/My Shop");
    assertThat(spaced.path()).isEqualTo("/My%20Shop");
    assertThat(spaced.sessionName()).isEqualTo("__Secure-sid-My_20Shop");
    assertThat(CookieSettings.defaultsFor("/a;b,c\td/\ud83d\ude00").path())
        .isEqualTo("/a%3Bb%2Cc%09d/%F0%9F%98%80");
    assertThatThrownBy(() -> CookieSettings.defaultsFor("/" + "\u00e9".repeat(50)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cookie-path");
  }

  @Test
  void refusesToWriteAValueThatCouldInjectAttributes() {
    assertThatThrownBy(() -> CookieSettings.defaults().sessionCookie("a; Domain=evil"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostPrefixRequiresSecureNoDomainAndRootPath() {
    assertThatThrownBy(() -> new CookieSettings("__Host-sid", "rm", "/", null, false, "Lax"))
        .hasMessageContaining("cookie-name").hasMessageContaining("cookie-secure=true");
    assertThatThrownBy(() -> new CookieSettings("__Host-sid", "rm", "/", "a.com", true, "Lax"))
        .hasMessageContaining("cookie-domain");
    assertThatThrownBy(() -> new CookieSettings("__host-sid", "rm", "/app", null, true, "Lax"))
        .as("browsers match the prefix case-insensitively").hasMessageContaining("cookie-path=/");
    assertThatThrownBy(() -> new CookieSettings("sid", "__Secure-rm", "/", null, false, "Lax"))
        .hasMessageContaining("remember-me-cookie-name").hasMessageContaining("__Secure-");
  }

  @Test
  void sameSiteNoneRequiresSecure() {
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", "/", null, false, "None"))
        .hasMessageContaining("same-site=None requires cookie-secure=true");
  }

  @Test
  void validatesNamesPathsAndDomains() {
    assertThatThrownBy(() -> new CookieSettings("s id", "rm", "/", null, true, "Lax"))
        .hasMessageContaining("cookie-name accepts");
    assertThatThrownBy(() -> new CookieSettings("sid", "sid", "/", null, true, "Lax"))
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", "app", null, true, "Lax"))
        .hasMessageContaining("cookie-path accepts");
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", "/a;Domain=x", null, true, "Lax"))
        .hasMessageContaining("cookie-path accepts");
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", "/", ".a.com", true, "Lax"))
        .hasMessageContaining("cookie-domain accepts");
    assertThatThrownBy(() -> new CookieSettings("sid", "rm", "/", "a.com\r\nX: y", true, "Lax"))
        .hasMessageContaining("cookie-domain accepts").hasMessageNotContaining("\r\n");
  }
}
