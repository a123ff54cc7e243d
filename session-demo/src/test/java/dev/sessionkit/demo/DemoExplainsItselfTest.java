// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo explains itself: what each cookie is, the deadlines of the current session, and why a
 * signed-out browser was signed out, for every way a session ends that a user can meet. Time is
 * a {@link MutableClock}; nothing sleeps.
 */
class DemoExplainsItselfTest {

  static final MutableClock CLOCK = MutableClock.startingNow();
  static DemoServer demo;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoServer.start(DemoOptions.parse(List.of("--port=0", "--idle-timeout=PT30M",
            "--absolute-timeout=PT2H", "--user=ann:ann-pass-1", "--user=ben:ben-pass-1",
            "--user=cat:cat-pass-1", "--user=dan:dan-pass-1", "--user=eve:eve-pass-1",
            "--user=fay:fay-pass-1", "--user=gus:gus-pass-1")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new DemoServer.Wiring(CLOCK, UnaryOperator.identity()));
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  Browserless signedIn(String user, boolean rememberMe) throws Exception {
    Browserless b = new Browserless(demo.uri());
    HttpResponse<String> r = rememberMe
        ? b.post("/login", "username", user, "password", user + "-pass-1", "remember-me", "on")
        : b.post("/login", "username", user, "password", user + "-pass-1");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(b.cookies).containsKey(SessionIdCookie.NAME);
    return b;
  }

  /** The browser asks for its account, is sent home, and reads why; returns the reason shown. */
  static String reasonShown(Browserless b) throws Exception {
    HttpResponse<String> account = b.get("/account");
    assertThat(account.statusCode()).isEqualTo(303);
    String home = b.get(account.headers().firstValue("Location").orElseThrow()).body();
    assertThat(home).contains("Not signed in");
    int start = home.indexOf("id=\"signed-out-reason\">");
    assertThat(start).as("a reason is shown: %s", home).isPositive();
    String reason = home.substring(start + 23, home.indexOf("</p>", start));
    assertThat(b.cookies).as("told once").doesNotContainKey(SessionIdCookie.NAME);
    assertThat(b.get("/").body()).doesNotContain("signed-out-reason");
    return reason;
  }

  @Test
  void theAccountPageExplainsEachCookieAndBothDeadlines() throws Exception {
    Browserless b = signedIn("ann", true);
    String page = b.get("/account").body();
    assertThat(page).contains("<code>__Host-sid</code>", "<code>__Host-remember</code>",
        "<code>" + SessionIdCookie.NAME + "</code>", "only credential", "selector.validator",
        "not a credential", "Idle deadline", "30 minutes after the last recorded request",
        "Absolute deadline", "counted from sign-in; nothing moves it");
    assertThat(page.split(">sent<")).as("all three cookies were sent").hasSize(4);
    String json = b.json().get("/account").body();
    assertThat(json).contains("\"idleExpiresAt\":\"", "\"absoluteExpiresAt\":\"");

    Browserless cart = new Browserless(demo.uri());
    assertThat(cart.post("/cart", "item", "tea").statusCode()).isEqualTo(303);
    assertThat(cart.get("/cart").body()).contains("Your anonymous session", "Idle deadline",
        "counted from the first cart item", "<code>__Host-sid</code>");
    assertThat(cart.cookies).as("an anonymous session is never 'signed out'")
        .doesNotContainKey(SessionIdCookie.NAME);
  }

  @Test
  void signedOutAfterInactivity() throws Exception {
    Browserless b = signedIn("ben", false);
    CLOCK.advance(Duration.ofMinutes(31));
    assertThat(reasonShown(b)).contains("signed out after inactivity", "30 minutes");
  }

  @Test
  void signedOutAfterInactivityWhenThePurgerEndedItFirst() throws Exception {
    Browserless b = signedIn("cat", false);
    CLOCK.advance(Duration.ofMinutes(31));
    assertThat(demo.services().manager().purgeExpired()).isPositive();
    assertThat(reasonShown(b)).contains("signed out after inactivity");
  }

  @Test
  void signedOutAtTheMaximumLifetimeHoweverActive() throws Exception {
    Browserless b = signedIn("dan", false);
    for (int i = 0; i < 4; i++) {
      CLOCK.advance(Duration.ofMinutes(25));
      assertThat(b.get("/account").statusCode()).as("still active").isEqualTo(200);
    }
    CLOCK.advance(Duration.ofMinutes(25)); // 125 minutes after sign-in, 25 after the last request
    assertThat(reasonShown(b)).contains("reached its maximum lifetime", "2 hours after sign-in");
  }

  @Test
  void signedOutBecauseThePasswordWasChangedOnAnotherDevice() throws Exception {
    Browserless laptop = signedIn("eve", true);
    Browserless phone = signedIn("eve", false);
    assertThat(phone.post("/password", "current", "eve-pass-1", "new", "eve-pass-2")
        .statusCode()).isEqualTo(303);
    Browserless laptopJson = new Browserless(demo.uri()).json();
    laptopJson.cookies.putAll(laptop.cookies);
    HttpResponse<String> json = laptopJson.get("/account");
    assertThat(json.statusCode()).isEqualTo(401);
    assertThat(json.body()).contains("\"signedOutBecause\":\"You were signed out because your"
        + " password was changed on another device.\"");
    assertThat(reasonShown(laptop)).contains("password was changed on another device");
    assertThat(phone.get("/account").statusCode()).isEqualTo(200);
  }

  @Test
  void signedOutEverywhereAfterASuspectedStolenRememberMeCookie() throws Exception {
    Browserless victim = signedIn("fay", true);
    String stolen = victim.cookies.get("__Host-remember");
    Browserless restarted = new Browserless(demo.uri());
    restarted.cookies.put("__Host-remember", stolen);
    assertThat(restarted.get("/account").statusCode()).as("resumed, rotated").isEqualTo(200);
    CLOCK.advance(Duration.ofMinutes(1)); // past the grace of parallel requests
    Browserless thief = new Browserless(demo.uri());
    thief.cookies.put("__Host-remember", stolen);
    assertThat(thief.get("/account").statusCode()).isEqualTo(303);
    assertThat(reasonShown(restarted)).contains("suspected stolen remember-me cookie");
  }

  @Test
  void aSignOutOfThisBrowserIsToldPlainly() throws Exception {
    Browserless b = signedIn("gus", false);
    HttpResponse<String> out = b.post("/logout");
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(b.get("/").body()).contains("id=\"signed-out-reason\">You signed out.</p>");
  }
}
