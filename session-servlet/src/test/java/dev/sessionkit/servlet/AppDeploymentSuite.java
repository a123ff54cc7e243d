// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.support.AppServer;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ScopedBrowser;
import dev.sessionkit.servlet.support.TestWebapp;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Existing applications deployed as they are on a real server, with each container's default
 * settings: several applications on one host. Subclasses supply the server (Jetty 12, Tomcat 11,
 * Tomcat 10.1).
 */
abstract class AppDeploymentSuite {

  static final String TOKEN = "[A-Za-z0-9_-]{43}";

  @TempDir
  Path dir;

  private AppServer server;

  /** Returns a new, stopped server. */
  abstract AppServer newServer();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private Http start(Map<String, Path> contexts) throws Exception {
    server = newServer();
    return new Http(server.start(contexts));
  }

  private static String user(Reply whoami) {
    assertThat(whoami.status()).as(whoami.toString()).isEqualTo(200);
    return whoami.line("user");
  }

  // ------------------------------------------------------------------ B7: a cookie per app

  /**
   * Three applications with default settings on one host, one nested in another's path: each
   * issues cookies of its own, scoped to its path, so a login in one neither signs another's user
   * out nor reaches it, and no application's token is sent to another (except the nesting one's,
   * which the nested one ignores by name).
   */
  @Test
  void appsOnOneHostWithDefaultSettingsNeverShareACookie() throws Exception {
    Map<String, Path> apps = new LinkedHashMap<>();
    apps.put("", TestWebapp.write(dir.resolve("root"), Map.of()));
    apps.put("/shop", TestWebapp.write(dir.resolve("shop"), Map.of()));
    apps.put("/shop/admin", TestWebapp.write(dir.resolve("admin"), Map.of()));
    Http http = start(apps);
    ScopedBrowser browser = new ScopedBrowser(http);

    Reply shopLogin = browser.get("/shop/do/login?user=alice&remember=true");
    assertThat(shopLogin.setCookies()).hasSize(2);
    assertThat(shopLogin.setCookie("__Secure-sid-shop")).hasValueSatisfying(h -> assertThat(h)
        .matches("__Secure-sid-shop=" + TOKEN + "; Path=/shop; Secure; HttpOnly; SameSite=Lax"));
    assertThat(shopLogin.setCookie("__Secure-remember-shop")).hasValueSatisfying(h ->
        assertThat(h).contains("; Path=/shop; Max-Age="));
    assertThat(user(browser.get("/do/whoami"))).isEqualTo("-");
    assertThat(browser.cookieHeader("/do/whoami")).isEmpty();

    Reply adminLogin = browser.get("/shop/admin/do/login?user=bob");
    assertThat(adminLogin.setCookie("__Secure-sid-shop-admin")).hasValueSatisfying(h ->
        assertThat(h).contains("; Path=/shop/admin;"));
    Reply rootLogin = browser.get("/do/login?user=carol");
    assertThat(rootLogin.setCookie("__Host-sid")).hasValueSatisfying(h ->
        assertThat(h).contains("; Path=/;"));

    assertThat(user(browser.get("/shop/do/whoami"))).isEqualTo("alice");
    assertThat(user(browser.get("/shop/admin/do/whoami"))).isEqualTo("bob");
    assertThat(user(browser.get("/do/whoami"))).isEqualTo("carol");
    assertThat(browser.cookieHeader("/do/whoami")).doesNotContain("__Secure-");

    // logging out of one application leaves the others signed in
    Reply logout = browser.get("/shop/admin/do/logout");
    assertThat(logout.setCookies()).singleElement().asString()
        .startsWith("__Secure-sid-shop-admin=; Path=/shop/admin; Max-Age=0;");
    assertThat(user(browser.get("/shop/admin/do/whoami"))).isEqualTo("-");
    assertThat(user(browser.get("/shop/do/whoami"))).isEqualTo("alice");
    assertThat(user(browser.get("/do/whoami"))).isEqualTo("carol");
  }
}
