// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.support.AppServer;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ScopedBrowser;
import dev.sessionkit.servlet.support.TestWebapp;
import dev.sessionkit.servlet.support.Services;
import dev.sessionkit.servlet.testapp.CartBean;
import dev.sessionkit.servlet.testapp.CartHold;
import dev.sessionkit.servlet.testapp.CompatEvents;
import dev.sessionkit.servlet.testapp.CompatServlet;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
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

  /**
   * Returns the path (within an application) of the page that keeps a cart in a session bean
   * changed in place: {@code cart.jsp} where the container runs JSP, else its servlet twin.
   */
  abstract String cartPage();

  /** Returns the {@code web.xml} elements that serve {@link #cartPage()}. */
  abstract String cartXml();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private Http start(Map<String, Path> contexts) throws Exception {
    server = newServer();
    return new Http(server.start(contexts));
  }

  private Path shop(Map<String, String> filterParams) throws Exception {
    Path app = TestWebapp.write(dir.resolve("shop"), filterParams, cartXml());
    try (InputStream jsp = getClass().getResourceAsStream("/jsp/cart.jsp")) {
      Files.copy(jsp, app.resolve("cart.jsp"));
    }
    return app;
  }

  /** A browser's three visits of the cart page: add apple, add pear, look. */
  private List<String> shopping(Map<String, String> filterParams) throws Exception {
    Http http = start(Map.of("/shop", shop(filterParams)));
    ScopedBrowser browser = new ScopedBrowser(http);
    List<String> pages = new ArrayList<>();
    for (String query : List.of("?add=apple", "?add=pear", "")) {
      Reply reply = browser.get("/shop/" + cartPage() + query);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      pages.add("items=" + reply.line("items"));
    }
    return pages;
  }

  /** The filter's init-params for a fresh in-memory H2 store that may keep {@link CartBean}s. */
  private static Map<String, String> h2CartStore() {
    return Map.of("store", "jdbc:h2:mem:jsp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "jdbc.allowClasses", CartBean.class.getName());
  }

  /** Stops the server, then deletes every key under {@code prefix} in the local Redis. */
  private void stopServerAndDeleteRedisKeys(String prefix) {
    stopServer();
    RedisClient client = RedisClient.create(Services.REDIS_URI);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = c.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        c.sync().del(keys.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
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

  /**
   * An application whose context path holds characters that a cookie's {@code Path} cannot (a
   * WAR named {@code My Shop.war} or {@code café.war}): it starts with default settings, and its
   * cookie's {@code Path} is the path as the browser sends it (percent-encoded UTF-8), so the
   * browser sends the cookie back and the login holds.
   */
  @Test
  void anAppWhoseContextPathNeedsEncodingStartsAndKeepsItsLogin() throws Exception {
    Map<String, Path> apps = new LinkedHashMap<>();
    apps.put("/My Shop", TestWebapp.write(dir.resolve("myshop"), Map.of()));
    apps.put("/caf\u00e9", TestWebapp.write(dir.resolve("cafe"), Map.of()));
    Http http = start(apps);
    ScopedBrowser browser = new ScopedBrowser(http);

    Reply login = browser.get("/My%20Shop/do/login?user=alice");
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    assertThat(login.setCookies()).singleElement().asString()
        .matches("__Secure-sid-My_20Shop=" + TOKEN + "; Path=/My%20Shop; Secure; HttpOnly;.*");
    assertThat(user(browser.get("/My%20Shop/do/whoami"))).isEqualTo("alice");

    Reply cafe = browser.get("/caf%C3%A9/do/login?user=bob");
    assertThat(cafe.status()).as(cafe.toString()).isEqualTo(200);
    assertThat(cafe.setCookies()).singleElement().asString()
        .matches("__Secure-sid-caf_C3_A9=" + TOKEN + "; Path=/caf%C3%A9; Secure; HttpOnly;.*");
    assertThat(user(browser.get("/caf%C3%A9/do/whoami"))).isEqualTo("bob");
    assertThat(user(browser.get("/My%20Shop/do/whoami"))).isEqualTo("alice");
  }

  // ------------------------------------------------------------------ B8: values changed in place

  private static final List<String> KEPT = List.of("items=apple", "items=apple,pear",
      "items=apple,pear");

  @Test
  void aSessionBeanChangedInPlaceIsKeptOnTheMemoryStore() throws Exception {
    assertThat(shopping(Map.of())).isEqualTo(KEPT);
  }

  @Test
  void aSessionBeanChangedInPlaceIsKeptOnH2() throws Exception {
    assertThat(shopping(h2CartStore())).isEqualTo(KEPT);
  }

  @Test
  void aSessionBeanChangedInPlaceIsKeptOnPostgres() throws Exception {
    Services.requirePostgres();
    String prefix = "skjsp" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
        + "_";
    try {
      assertThat(shopping(Map.of("store", Services.POSTGRES_URL, "jdbc.tablePrefix", prefix,
          "jdbc.allowClasses", CartBean.class.getName()))).isEqualTo(KEPT);
    } finally {
      stopServer();
      try (Connection c = DriverManager.getConnection(Services.POSTGRES_URL);
          Statement st = c.createStatement()) {
        for (String table : List.of("session_attributes", "sessions", "remember_me_series",
            "principals")) {
          st.execute("DROP TABLE IF EXISTS " + prefix + table);
        }
      }
    }
  }

  @Test
  void aSessionBeanChangedInPlaceIsKeptOnRedis() throws Exception {
    Services.requireRedis();
    String prefix = "skjsp:" + UUID.randomUUID() + ":";
    try {
      assertThat(shopping(Map.of("store", Services.REDIS_URI, "redis-key-prefix", prefix,
          "redis-attribute-allow", CartBean.class.getName()))).isEqualTo(KEPT);
    } finally {
      stopServerAndDeleteRedisKeys(prefix);
    }
  }

  /**
   * On Redis a login from an anonymous session moves it to a new id in its principal's bucket (see
   * docs/redis.md): the application's listeners hear an id change, as at a login that keeps the
   * id, and never a second session created.
   */
  @Test
  void aLoginThatMovesTheSessionOnRedisIsHeardAsAnIdChange() throws Exception {
    Services.requireRedis();
    String prefix = "skmove:" + UUID.randomUUID() + ":";
    try {
      Path app = TestWebapp.write(dir.resolve("move"), Map.of("store", Services.REDIS_URI,
          "redis-key-prefix", prefix, "http-session-listeners",
          CompatEvents.ServletListener.class.getName()), """
            <servlet>
              <servlet-name>compat</servlet-name>
              <servlet-class>%s</servlet-class>
            </servlet>
            <servlet-mapping>
              <servlet-name>compat</servlet-name>
              <url-pattern>/app/*</url-pattern>
            </servlet-mapping>
          """.formatted(CompatServlet.class.getName()));
      ScopedBrowser browser = new ScopedBrowser(start(Map.of("/move", app)));
      String anonymous = browser.get("/move/app/create").line("session");
      assertThat(browser.get("/move/app/set?name=cart&value=apple").status()).isEqualTo(200);
      String loggedIn = browser.get("/move/app/sklogin?user=tom").line("session");

      assertThat(CompatEvents.all().stream()
          .filter(e -> e.contains(anonymous) || e.contains(loggedIn)).toList())
          .containsExactly("created " + anonymous, "added cart=apple " + anonymous,
              "idChanged " + loggedIn + " from " + anonymous);
      assertThat(browser.get("/move/app/create").line("session")).as("the browser's session")
          .isEqualTo(loggedIn);
    } finally {
      stopServerAndDeleteRedisKeys(prefix);
    }
  }

  /**
   * A cart changed in place on an async thread, which then completes the response, on a store
   * that keeps bytes (H2): written back before the container finishes the response, so the next
   * request finds it.
   */
  @Test
  void aCartChangedInPlaceOnAnAsyncThreadIsKeptOnH2() throws Exception {
    Map<String, String> params = h2CartStore();
    Path app = TestWebapp.write(dir.resolve("shop"), params, TestWebapp.CART_SERVLET);
    ScopedBrowser browser = new ScopedBrowser(start(Map.of("/shop", app)));
    assertThat(browser.get("/shop/cart?add=apple").body()).contains("items=apple\n");
    Reply async = browser.get("/shop/cart?add=pear&async=true");
    assertThat(async.body()).as(async.toString()).contains("items=apple,pear\n");
    assertThat(browser.get("/shop/cart").body()).contains("items=apple,pear\n");
  }

  /** The save mode is the application's choice: with on-set-attribute, in-place changes go. */
  @Test
  void withSaveModeOnSetAttributeAChangedBeanIsNotSaved() throws Exception {
    assertThat(shopping(Map.of("save-mode", "on-set-attribute",
        "store", "jdbc:h2:mem:jsp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "jdbc.allowClasses", CartBean.class.getName())))
        .isEqualTo(List.of("items=apple", "items=pear", "items="));
  }

  /**
   * Two requests of one browser at once on a store that keeps bytes (H2): A reads the cart and the
   * preferences and is held; B sets the preferences; A changes the cart in place and ends. A's
   * write-back saves the cart and keeps B's preferences (no whole-session write-back).
   */
  @Test
  void aWriteBackAtTheEndOfARequestKeepsAParallelRequestsChangeOfAnotherAttribute()
      throws Exception {
    Map<String, String> params = h2CartStore();
    Path app = TestWebapp.write(dir.resolve("shop"), params, TestWebapp.CART_SERVLET);
    Http http = start(Map.of("/shop", app));
    ScopedBrowser browser = new ScopedBrowser(http);
    assertThat(browser.get("/shop/cart?add=apple").status()).isEqualTo(200);
    assertThat(browser.get("/shop/do/set?name=prefs&value=light").status()).isEqualTo(200);
    String cookies = browser.cookieHeader("/shop/cart");

    CartHold hold = CartHold.arm();
    ExecutorService a = Executors.newSingleThreadExecutor();
    try {
      Future<Reply> held = a.submit(() -> http.get("/shop/cart?add=pear&hold=true", cookies));
      hold.awaitRead();
      assertThat(http.get("/shop/do/set?name=prefs&value=dark", cookies).status()).isEqualTo(200);
      hold.release();
      Reply reply = held.get(30, TimeUnit.SECONDS);
      assertThat(reply.body()).contains("items=apple,pear", "prefs=light");
    } finally {
      a.shutdownNow();
    }

    assertThat(browser.get("/shop/do/get?name=prefs").body().strip()).isEqualTo("value=dark");
    assertThat(browser.get("/shop/cart").body()).contains("items=apple,pear", "prefs=dark");
  }

  /**
   * Finding E in a real container: a request of the anonymous session is held between reading the
   * cart and changing it in place while the same browser signs in with another request. The held
   * request's write-back at its end writes nothing into the now authenticated session, and its
   * response neither clears nor replaces the session cookie (the browser stays signed in).
   */
  @Test
  void aCartWriteBackInFlightAcrossALoginWritesNothingAndSignsNobodyOut() throws Exception {
    Map<String, String> params = h2CartStore();
    Path app = TestWebapp.write(dir.resolve("shop"), params, TestWebapp.CART_SERVLET);
    Http http = start(Map.of("/shop", app));
    ScopedBrowser browser = new ScopedBrowser(http);
    assertThat(browser.get("/shop/cart?add=apple").status()).isEqualTo(200);
    String anonymous = browser.cookieHeader("/shop/cart");

    CartHold hold = CartHold.arm();
    ExecutorService a = Executors.newSingleThreadExecutor();
    try {
      Future<Reply> held = a.submit(() -> http.get("/shop/cart?add=planted&hold=true", anonymous));
      hold.awaitRead();
      assertThat(browser.get("/shop/do/login?user=alice").status()).isEqualTo(200);
      assertThat(browser.cookieHeader("/shop/cart")).isNotEqualTo(anonymous);
      hold.release();
      Reply reply = held.get(30, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.setCookies()).as("the held response's cookies").isEmpty();
    } finally {
      a.shutdownNow();
    }

    assertThat(browser.get("/shop/do/whoami").body()).contains("alice");
    assertThat(browser.get("/shop/cart").body()).contains("items=apple\n")
        .doesNotContain("planted");
  }
}
