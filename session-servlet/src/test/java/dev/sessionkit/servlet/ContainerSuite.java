// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sessionkit.servlet.internal.StoreFailureResponse;
import dev.sessionkit.servlet.support.Browser;
import dev.sessionkit.servlet.support.HostileCookies;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.testapp.RecordingStoreFactory;
import dev.sessionkit.servlet.testapp.RenewInTurn;
import dev.sessionkit.servlet.testapp.TestBackends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every behaviour of the filter, run against a real container started once per class from
 * src/test/webapp/WEB-INF/web.xml. Subclasses supply the container (Jetty 12 ee10, Tomcat 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerSuite {

  static final String SID = "__Host-sid";
  static final String REMEMBER = "__Host-remember";
  static final String TOKEN = "[A-Za-z0-9_-]{43}";
  static final String REMEMBER_VALUE = "[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}";
  static final String CLEARED_SID = SID + "=; Path=/; Max-Age=0;"
      + " Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax";
  static final String CLEARED_REMEMBER = REMEMBER + "=; Path=/; Max-Age=0;"
      + " Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax";

  private final AtomicInteger browsers = new AtomicInteger();
  private ServletContainer container;
  private Http http;
  private TestBackends backends;

  /** Returns a new, stopped container. */
  abstract ServletContainer newContainer();

  @BeforeAll
  void startContainer() throws Exception {
    backends = TestBackends.install();
    container = newContainer();
    http = new Http(container.start(Path.of("src/test/webapp")));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
    // destroy() closed every store that a filter opened through a factory.
    assertThat(RecordingStoreFactory.created()).isNotEmpty()
        .allSatisfy(c -> assertThat(c.closed()).isTrue());
  }

  private Browser browser() {
    return new Browser(http, "TestBrowser/" + browsers.incrementAndGet());
  }

  private Browser loggedIn(String path, String user) {
    Browser b = browser();
    assertThat(b.get(path + "/do/login?user=" + user).status()).isEqualTo(200);
    return b;
  }

  private String user(Reply whoami) {
    assertThat(whoami.status()).as(whoami.toString()).isEqualTo(200);
    return whoami.line("user");
  }

  // ------------------------------------------------------------------ the plain HttpSession API

  @Test
  void anUnchangedCounterServletKeepsItsCountAcrossRequests() {
    Browser b = browser();
    Reply first = b.get("/app/counter");
    assertThat(first.body()).isEqualTo("count=1");
    assertThat(first.setCookies()).singleElement().asString()
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    Reply second = b.get("/app/counter");
    Reply third = b.get("/app/counter");
    assertThat(second.body()).isEqualTo("count=2");
    assertThat(third.body()).isEqualTo("count=3");
    assertThat(second.setCookies()).isEmpty();
    assertThat(third.setCookies()).isEmpty();
    assertThat(first.header("Cache-Control")).isEmpty(); // anonymous
  }

  @Test
  void attributesLiveInTheSessionkitStoreNotInTheContainer() {
    Browser b = browser();
    b.get("/clock/counter");
    b.get("/clock/counter");
    assertThat(backends.clockManager.resolve(b.cookie(SID)).orElseThrow().getAttribute("count"))
        .contains(2);
  }

  @Test
  void theContainerNeverIssuesItsOwnSessionCookie() {
    Browser b = browser();
    List<Reply> replies = List.of(b.get("/app/counter"), b.get("/app/do/info"),
        b.get("/app/do/login?user=zoe"), b.get("/app/do/forward"), b.get("/app/do/logout"));
    for (Reply r : replies) {
      assertThat(r.setCookies()).allMatch(h -> h.startsWith(SID + "="));
      assertThat(r.body()).doesNotContain("jsessionid");
    }
  }

  @Test
  void httpSessionReportsItsMetadataAndThePublicIdNeverTheToken() {
    Browser b = browser();
    Reply first = b.get("/app/do/info");
    String token = b.cookie(SID);
    String id = first.line("id");
    assertThat(id).matches("[A-Za-z0-9_-]{16}").isNotEqualTo(token);
    assertThat(first.line("new")).isEqualTo("true");
    assertThat(first.line("maxInactive")).isEqualTo("1800");
    assertThat(Long.parseLong(first.line("created"))).isPositive();
    assertThat(Long.parseLong(first.line("lastAccessed")))
        .isGreaterThanOrEqualTo(Long.parseLong(first.line("created")));
    Reply second = b.get("/app/do/info");
    assertThat(second.line("id")).isEqualTo(id);
    assertThat(second.line("new")).isEqualTo("false");
    assertThat(second.line("created")).isEqualTo(first.line("created"));
    Reply who = b.get("/app/do/whoami");
    assertThat(who.line("session")).isEqualTo(id);
    assertThat(who.line("requested")).isEqualTo(id);
    assertThat(who.line("requestedValid")).isEqualTo("true");
    assertThat(who.line("fromCookie")).isEqualTo("true");
    assertThat(who.line("fromURL")).isEqualTo("false");
    assertThat(who.body()).doesNotContain(token);
  }

  @Test
  void aRequestThatDoesNotChangeTheSessionWritesNoCookie() {
    Browser b = browser();
    b.get("/app/counter");
    assertThat(b.get("/app/do/get?name=count").setCookies()).isEmpty();
    assertThat(b.get("/app/do/whoami").setCookies()).isEmpty();
    Reply anonymous = http.get("/app/do/whoami");
    assertThat(anonymous.setCookies()).isEmpty();
    assertThat(anonymous.line("session")).isEqualTo("-");
  }

  @Test
  void cookieAttributesFollowTheInitParams() {
    Browser b = browser();
    Reply first = b.get("/custom/counter");
    assertThat(first.setCookies()).singleElement().asString()
        .matches("sid=" + TOKEN + "; Path=/custom; Domain=example.test; HttpOnly; SameSite=Strict");
    Reply login = b.get("/custom/do/login?user=olga&remember=true");
    assertThat(login.setCookie("remember").orElseThrow()).matches("remember=" + REMEMBER_VALUE
        + "; Path=/custom; Domain=example.test; Max-Age=(604800|60479\\d); Expires=[^;]+ GMT; HttpOnly;"
        + " SameSite=Strict");
    assertThat(login.header("Cache-Control")).isEmpty(); // cache-control-no-store=false
    assertThat(b.get("/custom/do/info").line("maxInactive")).isEqualTo("600");
    Reply out = b.get("/custom/do/logout");
    assertThat(out.setCookie("sid").orElseThrow()).isEqualTo("sid=; Path=/custom;"
        + " Domain=example.test; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly;"
        + " SameSite=Strict");
    assertThat(out.setCookie("remember").orElseThrow()).isEqualTo("remember=; Path=/custom;"
        + " Domain=example.test; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly;"
        + " SameSite=Strict");
  }

  @Test
  void encodeUrlReturnsItsArgumentUnchanged() {
    Browser b = browser();
    b.get("/app/counter");
    assertThat(b.get("/app/do/encode").body()).isEqualTo("/app/x?a=1\n/app/y\n");
  }

  @Test
  void aForwardedRequestKeepsTheSession() {
    Browser b = browser();
    b.get("/app/counter");
    Reply forwarded = b.get("/app/do/forward");
    assertThat(forwarded.body()).isEqualTo("count=2");
    assertThat(forwarded.setCookies()).isEmpty();
  }

  @Test
  void aPerSessionTimeoutIsKeptForThatSession() {
    Browser b = browser();
    assertThat(b.get("/app/do/max-inactive?s=1800").body()).isEqualTo("accepted\n");
    assertThat(b.get("/app/do/max-inactive?s=60").body()).isEqualTo("accepted\n");
    assertThat(b.get("/app/do/info").line("maxInactive")).isEqualTo("60");
  }

  // ------------------------------------------------------------------ login, logout, renew

  @Test
  void loginRotatesTheTokenKeepsTheAttributesAndKillsTheOldToken() {
    Browser b = browser();
    b.get("/app/counter");
    String anonymous = b.cookie(SID);
    Reply login = b.get("/app/do/login?user=alice");
    assertThat(login.setCookies()).singleElement().asString()
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(b.cookie(SID)).isNotEqualTo(anonymous);
    assertThat(login.header("Cache-Control")).contains("no-store");
    Reply who = b.get("/app/do/whoami");
    assertThat(who.line("user")).isEqualTo("alice");
    assertThat(who.line("principal")).isEqualTo("alice");
    assertThat(who.line("authType")).isEqualTo("FORM");
    assertThat(who.header("Cache-Control")).contains("no-store");
    assertThat(b.get("/app/counter").body()).isEqualTo("count=2");
    Reply replay = http.get("/app/do/whoami", SID + "=" + anonymous);
    assertThat(replay.line("user")).isEqualTo("-");
    assertThat(replay.line("session")).isEqualTo("-");
    assertThat(replay.line("requested")).isEqualTo("null");
  }

  @Test
  void logoutEndsTheSessionOnTheServer() {
    Browser b = loggedIn("/app", "bea");
    String token = b.cookie(SID);
    Reply out = b.get("/app/do/logout");
    assertThat(out.line("ended")).isEqualTo("true");
    assertThat(out.setCookie(SID)).contains(CLEARED_SID);
    assertThat(out.header("Cache-Control")).contains("no-store");
    assertThat(user(http.get("/app/do/whoami", SID + "=" + token))).isEqualTo("-");
  }

  /**
   * Regression: a site with many other cookies sends a Cookie header over 4096 characters (under
   * the container's default 8 KiB header limit); the user must stay signed in.
   */
  @Test
  void aSignedInUserWithManyOtherCookiesStaysSignedIn() {
    Browser b = loggedIn("/app", "dan");
    StringBuilder others = new StringBuilder();
    for (int i = 0; others.length() < 5000; i++) {
      others.append("tracker").append(i).append('=').append("v".repeat(60)).append("; ");
    }
    Reply who = http.get("/app/do/whoami", others + SID + "=" + b.cookie(SID));
    assertThat(user(who)).isEqualTo("dan");
  }

  @Test
  void invalidateLogsOutOnTheServer() {
    Browser b = loggedIn("/app", "cid");
    String token = b.cookie(SID);
    Reply out = b.get("/app/do/invalidate");
    assertThat(out.setCookie(SID)).contains(CLEARED_SID);
    assertThat(user(http.get("/app/do/whoami", SID + "=" + token))).isEqualTo("-");
  }

  @Test
  void changeSessionIdRenewsTheTokenKeepsThePublicIdAndTheOldTokenLastsOnlyTheGrace() {
    Browser b = loggedIn("/clock", "dan");
    String before = b.cookie(SID);
    String id = b.get("/clock/do/whoami").line("session");
    Reply renew = b.get("/clock/do/renew");
    assertThat(renew.line("id")).isEqualTo(id);
    assertThat(renew.setCookie(SID).orElseThrow())
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(b.cookie(SID)).isNotEqualTo(before).matches(TOKEN);
    assertThat(user(b.get("/clock/do/whoami"))).isEqualTo("dan");

    // A request the browser sent before the new cookie arrived still belongs to the session
    // during the rotation grace (5 s), and gets no cookie that would replace the new one.
    Reply parallel = http.get("/clock/do/whoami", SID + "=" + before);
    assertThat(user(parallel)).isEqualTo("dan");
    assertThat(parallel.line("session")).isEqualTo(id);
    assertThat(parallel.setCookies()).isEmpty();
    backends.clock.advance(Duration.ofSeconds(5));
    Reply late = http.get("/clock/do/whoami", SID + "=" + before);
    assertThat(user(late)).isEqualTo("-");
    assertThat(late.setCookies()).isEmpty();
    assertThat(user(b.get("/clock/do/whoami"))).isEqualTo("dan");
  }

  @Test
  void twoParallelChangeSessionIdCallsOfOneBrowserBothKeepTheSession() throws Exception {
    Browser b = loggedIn("/app", "pia");
    String cookie = SID + "=" + b.cookie(SID);
    String id = b.get("/app/do/whoami").line("session");
    RenewInTurn.arm();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Reply> replies;
    try {
      Future<Reply> first = pool.submit(() -> http.get("/app/do/renew-in-turn?turn=1", cookie));
      Future<Reply> second = pool.submit(() -> http.get("/app/do/renew-in-turn?turn=2", cookie));
      replies = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    List<String> tokens = new ArrayList<>();
    for (Reply r : replies) {
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.line("before")).isEqualTo(id);
      assertThat(r.line("id")).as("still the signed-in session, not a new anonymous one")
          .isEqualTo(id);
      assertThat(r.setCookie(SID).orElseThrow())
          .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
      assertThat(r.header("Cache-Control")).contains("no-store");
      tokens.add(r.cookieValue(SID));
    }
    assertThat(tokens).doesNotHaveDuplicates().doesNotContain(b.cookie(SID));
    for (String token : tokens) {
      Reply who = http.get("/app/do/whoami", SID + "=" + token);
      assertThat(user(who)).isEqualTo("pia");
      assertThat(who.line("session")).isEqualTo(id);
      assertThat(who.setCookies()).isEmpty();
    }
    assertThat(http.get("/app/do/sessions", SID + "=" + tokens.get(1)).body().split("\n"))
        .as("one session of the user").hasSize(1);
  }

  @Test
  void credentialsChangedEndsTheOtherSessionsAndRenewsBothCookiesOfThisBrowser() {
    Browser phone = browser();
    phone.get("/app/do/login?user=uma&remember=true");
    Browser laptop = loggedIn("/app", "uma");
    Browser tablet = browser();
    tablet.get("/app/do/login?user=uma&remember=true");
    Browser stranger = loggedIn("/app", "vic");
    String oldSid = phone.cookie(SID);
    String oldRemember = phone.cookie(REMEMBER);
    String tabletRemember = tablet.cookie(REMEMBER);
    String id = phone.get("/app/do/whoami").line("session");

    Reply changed = phone.get("/app/do/credentials-changed");
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.line("id")).isEqualTo(id);
    assertThat(changed.setCookie(SID).orElseThrow())
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(changed.setCookie(REMEMBER).orElseThrow()).matches(REMEMBER + "=" + REMEMBER_VALUE
        + "; Path=/; Max-Age=\\d+; Expires=[^;]+ GMT; Secure; HttpOnly; SameSite=Lax");
    assertThat(changed.header("Cache-Control")).contains("no-store");
    assertThat(phone.cookie(SID)).isNotEqualTo(oldSid);
    assertThat(phone.cookie(REMEMBER)).isNotEqualTo(oldRemember);
    assertThat(phone.cookie(REMEMBER).substring(0, 16))
        .as("a new series, not a rotation of the old one").isNotEqualTo(oldRemember.substring(0, 16));

    // The old session cookie is dead at once (no rotation grace), the old remember-me value no
    // longer resumes, and neither raises a theft alarm that would end the new ones.
    Reply oldSession = http.get("/app/do/whoami", SID + "=" + oldSid);
    assertThat(user(oldSession)).isEqualTo("-");
    assertThat(oldSession.line("session")).isEqualTo("-");
    Reply oldRememberMe = http.get("/app/do/whoami", REMEMBER + "=" + oldRemember);
    assertThat(user(oldRememberMe)).isEqualTo("-");
    assertThat(oldRememberMe.setCookie(SID)).isEmpty();
    assertThat(oldRememberMe.setCookies()).containsExactly(CLEARED_REMEMBER);

    // Every other device of the user is signed out, remember-me included; other users are not.
    assertThat(user(laptop.get("/app/do/whoami"))).isEqualTo("-");
    assertThat(user(tablet.get("/app/do/whoami"))).isEqualTo("-");
    assertThat(user(http.get("/app/do/whoami", REMEMBER + "=" + tabletRemember))).isEqualTo("-");
    assertThat(user(stranger.get("/app/do/whoami"))).isEqualTo("vic");

    // This browser goes on with its new cookies, and its new remember-me value resumes.
    Reply after = phone.get("/app/do/whoami");
    assertThat(user(after)).isEqualTo("uma");
    assertThat(after.line("session")).isEqualTo(id);
    assertThat(after.setCookies()).isEmpty();
    Browser later = browser().cookie(REMEMBER, phone.cookie(REMEMBER));
    assertThat(user(later.get("/app/do/whoami"))).isEqualTo("uma");
    assertThat(phone.get("/app/do/sessions").body().split("\n")).hasSize(2);
  }

  @Test
  void credentialsChangedWithoutRememberMeRenewsOnlyTheSessionCookie() {
    Browser b = loggedIn("/app", "wes");
    String oldSid = b.cookie(SID);
    Reply changed = b.get("/app/do/credentials-changed");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.setCookies()).singleElement().asString()
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(user(http.get("/app/do/whoami", SID + "=" + oldSid))).isEqualTo("-");
    assertThat(user(b.get("/app/do/whoami"))).isEqualTo("wes");
  }

  @Test
  void aWriteToASessionThatEndedMeanwhileThrowsSessionEndedException() {
    Browser b = loggedIn("/app", "xena");
    Reply r = b.get("/app/do/set-after-logout-all");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.line("refused")).isEqualTo("SessionEndedException");
    assertThat(r.line("then")).isEqualTo("SessionEndedException");
    assertThat(r.line("session")).isEqualTo("-");
    assertThat(user(b.get("/app/do/whoami"))).isEqualTo("-");
  }

  @Test
  void logoutOthersEndsEveryOtherSessionOfTheUser() {
    Browser phone = loggedIn("/app", "erin");
    Browser laptop = loggedIn("/app", "erin");
    Browser tablet = loggedIn("/app", "erin");
    assertThat(phone.get("/app/do/logout-others").line("ended")).isEqualTo("2");
    assertThat(user(laptop.get("/app/do/whoami"))).isEqualTo("-");
    assertThat(user(tablet.get("/app/do/whoami"))).isEqualTo("-");
    assertThat(user(phone.get("/app/do/whoami"))).isEqualTo("erin");
  }

  @Test
  void usersListAndRevokeTheirOwnSessionsOnly() {
    Browser phone = new Browser(http, "Phone/1.0");
    phone.get("/app/do/login?user=frank");
    Browser laptop = new Browser(http, "Laptop/2.0");
    laptop.get("/app/do/login?user=frank");
    Browser other = loggedIn("/app", "gus");
    String laptopId = laptop.get("/app/do/whoami").line("session");
    String otherId = other.get("/app/do/whoami").line("session");

    List<String> listed = List.of(phone.get("/app/do/sessions").body().split("\n"));
    assertThat(listed).hasSize(2)
        .anyMatch(l -> l.endsWith("|frank|127.0.0.1|Phone/1.0|false"))
        .anyMatch(l -> l.equals(laptopId + "|frank|127.0.0.1|Laptop/2.0|false"));

    assertThat(phone.get("/app/do/revoke?id=" + otherId).line("revoked")).isEqualTo("false");
    assertThat(user(other.get("/app/do/whoami"))).isEqualTo("gus");
    assertThat(phone.get("/app/do/revoke?id=" + laptopId).line("revoked")).isEqualTo("true");
    assertThat(user(laptop.get("/app/do/whoami"))).isEqualTo("-");
    assertThat(phone.get("/app/do/sessions").body().split("\n")).hasSize(1);
  }

  @Test
  void theCapOnSessionsPerUserEndsTheLeastRecentlyUsed() {
    Browser first = loggedIn("/custom", "gina");
    Browser second = loggedIn("/custom", "gina");
    Browser third = loggedIn("/custom", "gina");
    assertThat(user(first.get("/custom/do/whoami"))).isEqualTo("-");
    assertThat(user(second.get("/custom/do/whoami"))).isEqualTo("gina");
    assertThat(user(third.get("/custom/do/whoami"))).isEqualTo("gina");
  }

  // ------------------------------------------------------------------ remember-me

  @Test
  void rememberMeStartsANewSessionTransparentlyAndReissuesBothCookies() {
    Browser b = browser();
    Reply login = b.get("/app/do/login?user=bob&remember=true");
    String header = login.setCookie(REMEMBER).orElseThrow();
    Matcher m = Pattern.compile(REMEMBER + "=(" + REMEMBER_VALUE + "); Path=/; Max-Age=(\\d+);"
        + " Expires=([^;]+); Secure; HttpOnly; SameSite=Lax").matcher(header);
    assertThat(m.matches()).as(header).isTrue();
    assertThat(Long.parseLong(m.group(2))).isBetween(2_592_000L - 5, 2_592_000L);
    ZonedDateTime expires = ZonedDateTime.parse(m.group(3), DateTimeFormatter.RFC_1123_DATE_TIME);
    ZonedDateTime served = ZonedDateTime.parse(login.header("Date").orElseThrow(),
        DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(Duration.between(served, expires).toHours()).isBetween(24L * 30 - 1, 24L * 30);
    String remembered = m.group(1);

    Browser later = browser().cookie(REMEMBER, remembered);
    Reply resumed = later.get("/app/do/whoami");
    assertThat(resumed.line("user")).isEqualTo("bob");
    assertThat(resumed.line("requested")).isEqualTo("null");
    assertThat(resumed.setCookie(SID).orElseThrow())
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    assertThat(later.cookie(REMEMBER)).matches(REMEMBER_VALUE).isNotEqualTo(remembered);
    assertThat(resumed.header("Cache-Control")).contains("no-store");
    Reply next = later.get("/app/do/whoami");
    assertThat(next.line("user")).isEqualTo("bob");
    assertThat(next.setCookies()).isEmpty();
  }

  @Test
  void rememberMeTheftClearsBothCookiesAndEndsEverySessionOfTheUser() {
    Browser victim = browser();
    victim.get("/clock/do/login?user=victim&remember=true");
    String stolen = victim.cookie(REMEMBER);
    String firstSession = victim.cookie(SID);

    Browser resumedBrowser = browser().cookie(REMEMBER, stolen);
    assertThat(user(resumedBrowser.get("/clock/do/whoami"))).isEqualTo("victim");
    String rotated = resumedBrowser.cookie(REMEMBER);

    // Within the grace window the old value is a parallel request: nothing granted, no alarm.
    Reply parallel = http.get("/clock/do/whoami", REMEMBER + "=" + stolen);
    assertThat(user(parallel)).isEqualTo("-");
    assertThat(parallel.setCookies()).isEmpty();
    assertThat(user(victim.get("/clock/do/whoami"))).isEqualTo("victim");

    backends.clock.advance(Duration.ofSeconds(6));
    Reply theft = http.get("/clock/do/whoami", REMEMBER + "=" + stolen);
    assertThat(user(theft)).isEqualTo("-");
    assertThat(theft.setCookie(SID)).contains(CLEARED_SID);
    assertThat(theft.setCookie(REMEMBER)).contains(CLEARED_REMEMBER);

    assertThat(user(http.get("/clock/do/whoami", SID + "=" + firstSession))).isEqualTo("-");
    assertThat(user(resumedBrowser.get("/clock/do/whoami"))).isEqualTo("-");
    Reply dead = http.get("/clock/do/whoami", REMEMBER + "=" + rotated);
    assertThat(user(dead)).isEqualTo("-");
    assertThat(dead.setCookie(REMEMBER)).contains(CLEARED_REMEMBER);
    assertThat(dead.setCookie(SID)).isEmpty();
  }

  @Test
  void anUnknownRememberMeCookieIsCleared() {
    String unknown = "AAAAAAAAAAAAAAAA." + "A".repeat(42) + "A";
    Reply r = http.get("/app/do/whoami", REMEMBER + "=" + unknown);
    assertThat(user(r)).isEqualTo("-");
    assertThat(r.setCookies()).containsExactly(CLEARED_REMEMBER);
  }

  // ------------------------------------------------------------------ timeouts (injected clock)

  @Test
  void idleTimeoutEndsTheSession() {
    Browser b = loggedIn("/clock", "ida");
    backends.clock.advance(Duration.ofMinutes(29));
    assertThat(user(b.get("/clock/do/whoami"))).isEqualTo("ida");
    backends.clock.advance(Duration.ofMinutes(29));
    assertThat(user(b.get("/clock/do/whoami"))).isEqualTo("ida");
    backends.clock.advance(Duration.ofMinutes(31));
    assertThat(user(b.get("/clock/do/whoami"))).isEqualTo("-");
  }

  @Test
  void absoluteTimeoutEndsEvenAnActiveSession() {
    Browser b = loggedIn("/clock", "abe");
    for (int i = 1; i <= 16; i++) { // 16 x 29 min = 7 h 44 min
      backends.clock.advance(Duration.ofMinutes(29));
      assertThat(user(b.get("/clock/do/whoami"))).as("after %d x 29 min", i).isEqualTo("abe");
    }
    backends.clock.advance(Duration.ofMinutes(29)); // 8 h 13 min
    assertThat(user(b.get("/clock/do/whoami"))).isEqualTo("-");
  }

  // ------------------------------------------------------------------ commit-time cookies

  @ParameterizedTest
  @ValueSource(strings = {"flush", "redirect", "error", "stream-big", "writer-big", "stream-flush",
      "writer-flush", "content-length"})
  void cookiesAreWrittenBeforeTheResponseCommits(String mode) {
    Browser b = browser();
    Reply r = b.get("/app/do/commit?mode=" + mode);
    assertThat(r.setCookie(SID)).as(mode + ": " + r.headers()).isPresent();
    assertThat(r.setCookie(SID).orElseThrow())
        .matches(SID + "=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    switch (mode) {
      case "redirect" -> assertThat(r.status()).isEqualTo(302);
      case "error" -> assertThat(r.status()).isEqualTo(409);
      case "stream-big", "writer-big" -> assertThat(r.body()).hasSize(200_000);
      case "content-length" -> assertThat(r.body()).isEqualTo("hello");
      default -> assertThat(r.status()).isEqualTo(200);
    }
    assertThat(b.get("/app/counter").body()).isEqualTo("count=2");
  }

  @Test
  void aLoginFollowedByAFlushCarriesItsCookieAndNoStore() {
    Browser b = browser();
    Reply r = b.get("/app/do/commit?mode=flush&then=login");
    assertThat(r.body()).isEqualTo("flushed-after");
    assertThat(r.setCookie(SID)).isPresent();
    assertThat(r.header("Cache-Control")).contains("no-store");
    assertThat(user(b.get("/app/do/whoami"))).isEqualTo("carol");
  }

  @Test
  void theServlet61RedirectOverloadIsHookedToo() {
    Browser b = browser();
    Reply r = b.get("/app/do/commit?mode=redirect-6.1");
    assumeTrue(r.status() != 501, "this container provides the Servlet 6.0 API only");
    assertThat(r.status()).isEqualTo(303);
    assertThat(r.setCookie(SID)).isPresent();
    assertThat(b.get("/app/counter").body()).isEqualTo("count=2");
  }

  @Test
  void aCookieWrittenEarlyIsReplacedInPlaceWhenTheSessionChangesBeforeCommit() {
    Browser b = browser();
    Reply r = b.get("/app/do/commit?mode=near-buffer-then-login");
    assertThat(r.body()).endsWith("|committed=false");
    assertThat(r.setCookie(SID)).isPresent(); // and only one: setCookie() fails on two
    assertThat(r.setCookies()).anyMatch(h -> h.startsWith("app=kept"));
    assertThat(user(b.get("/app/do/whoami"))).isEqualTo("dave");
  }

  @Test
  void aServletThatFlushesBeforeTouchingTheSession() {
    Browser b = browser();
    Reply refused = b.get("/app/do/flush-first");
    assertThat(refused.body()).startsWith("started\nrefused: Cannot create a session after the"
        + " response has been committed");
    assertThat(refused.setCookies()).isEmpty();

    assertThat(b.get("/app/counter").body()).isEqualTo("count=1");
    Reply existing = b.get("/app/do/flush-first");
    assertThat(existing.body()).isEqualTo("started\ncount=2\n");
    assertThat(existing.setCookies()).isEmpty();
    assertThat(b.get("/app/counter").body()).isEqualTo("count=3");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void hostileCookieHeadersYieldNoSessionNeverAnErrorAndNoLoudLogs() throws Exception {
    Browser henry = loggedIn("/app", "henry");
    String live = henry.cookie(SID);
    String other = loggedIn("/app", "ivan").cookie(SID);
    String bogus = "B".repeat(42) + "A";
    List<String> noSession = List.of(
        SID + "=" + live + "x",
        SID + "=" + live.substring(1),
        SID + "=\"" + live,
        SID + "=" + live + "\"",
        "x=\"abc; " + SID + "=" + live + "\"",
        "=" + SID + "=" + live,
        "a=1, " + SID + "=" + live,
        "$Version=1, " + SID + "=" + live,
        SID.toLowerCase() + "=" + live,
        "__HOST-sid=" + live,
        SID + " =" + live,
        SID + "= " + live,
        SID + "=" + live + " junk",
        SID + "=",
        SID,
        "",
        ";",
        "=",
        SID + "=" + bogus + "; " + SID + "=" + bogus.toLowerCase(),
        SID + "=a; " + SID + "=b; " + SID + "=c; " + SID + "=d; " + SID + "=" + live,
        SID + "=../../etc/passwd",
        SID + "=%2e%2e%2f" + live.substring(9),
        SID + "=" + live.substring(0, 42) + "B"); // non-canonical final character
    String logs = capturingStderr(() -> {
      for (String header : noSession) {
        Reply r = http.get("/app/do/whoami", header);
        assertThat(r.status()).as(header).isEqualTo(200);
        assertThat(r.line("user")).as(header).isEqualTo("-");
        assertThat(r.line("session")).as(header).isEqualTo("-");
        assertThat(r.setCookies()).as(header).isEmpty();
      }
      return null;
    });
    // So many failures from one address is what guessing detection reports (one WARN line,
    // GuessingDetection); nothing else may be louder than DEBUG.
    assertThat(logs.lines().filter(l -> l.matches(".*(INFO|WARN|ERROR) dev\\.sessionkit.*"))
        .filter(l -> !l.contains("token guessing suspected"))).as("log lines above DEBUG").isEmpty();

    // Controls: the same token, well-formed, does resolve.
    assertThat(user(http.get("/app/do/whoami", "a=1; " + SID + "=" + live + "; b=2")))
        .isEqualTo("henry");
    assertThat(user(http.get("/app/do/whoami", SID + "=\"" + live + "\""))).isEqualTo("henry");
    assertThat(user(http.get("/app/do/whoami", "a=b", "c=d; " + SID + "=" + live)))
        .as("every Cookie header is read").isEqualTo("henry");
    assertThat(user(http.get("/app/do/whoami", SID + "=" + bogus + "; " + SID + "=" + live)))
        .as("a planted value does not shadow the real one").isEqualTo("henry");
    assertThat(user(http.get("/app/do/whoami", SID + "=" + other + "; " + SID + "=" + live)))
        .as("the first value that resolves wins").isEqualTo("ivan");
  }

  @Test
  void nonAsciiAndControlBytesYieldNoSessionNeverAnError() {
    String live = loggedIn("/app", "jill").cookie(SID);
    List<byte[]> headers = new ArrayList<>();
    headers.add((SID + "=" + live + "\u00e9").getBytes(StandardCharsets.UTF_8));
    headers.add((SID + "=\u00e9" + live.substring(1)).getBytes(StandardCharsets.UTF_8));
    headers.add((SID + "=" + live.substring(0, 42) + "\u00ff").getBytes(StandardCharsets.ISO_8859_1));
    headers.add((SID + "=" + live + "\u0001").getBytes(StandardCharsets.ISO_8859_1));
    headers.add((SID + "=" + live + "\u0000").getBytes(StandardCharsets.ISO_8859_1));
    headers.add(("\u00e9=1; " + SID + "\u00e9=" + live).getBytes(StandardCharsets.UTF_8));
    for (byte[] header : headers) {
      Reply r = http.raw("/app/do/whoami", header);
      String shown = new String(header, StandardCharsets.ISO_8859_1);
      assertThat(r.status()).as(shown).isIn(200, 400);
      if (r.status() == 200) {
        assertThat(r.line("user")).as(shown).isEqualTo("-");
      }
      assertThat(r.setCookies()).as(shown).isEmpty();
    }
    // Control: the raw path does carry a well-formed cookie.
    Reply ok = http.raw("/app/do/whoami", (SID + "=" + live).getBytes(StandardCharsets.US_ASCII));
    assertThat(ok.line("user")).isEqualTo("jill");
  }

  @Test
  void generatedHostileCookieHeadersNeverYieldASessionOrAnError() {
    AtomicInteger reachedTheFilter = new AtomicInteger();
    HostileCookies.headers(SID).sampleStream().limit(150).forEach(header -> {
      Reply r = http.get("/app/do/whoami", header);
      // The filter never answers 400; a container may (Jetty's own cookie parser, for its
      // SessionHandler, rejects some headers before any filter runs).
      assertThat(r.status()).as(header).isIn(200, 400);
      if (r.status() == 200) {
        reachedTheFilter.incrementAndGet();
        assertThat(r.line("user")).as(header).isEqualTo("-");
        assertThat(r.line("session")).as(header).isEqualTo("-");
      }
      assertThat(r.setCookies()).as(header).isEmpty();
    });
    assertThat(reachedTheFilter.get()).as("requests that reached the filter").isGreaterThan(75);
  }

  @Test
  void aRepeatedRememberMeCookieResumesFromItsFirstLiveValueAndMorePlantedValuesPushItOut() {
    String planted = "AAAAAAAAAAAAAAAA." + "A".repeat(42) + "A";
    String quoted = REMEMBER + "=\"" + planted + "\"";

    // Three planted values ahead of the real one (one quoted, one in a header of its own) do not
    // shadow it.
    // each part signs in a user of its own: the webapp's cap of two sessions per user, which
    // evicts the least recently used, must not decide which series stays
    String behindThree = rememberedValue("rita");
    Reply resumed = http.get("/app/do/whoami", REMEMBER + "=" + planted + "; " + quoted,
        "a=1; " + REMEMBER + "=" + planted.toLowerCase(Locale.ROOT) + "; " + REMEMBER + "="
            + behindThree);
    assertThat(user(resumed)).isEqualTo("rita");
    assertThat(resumed.setCookie(REMEMBER).orElseThrow()).matches(REMEMBER + "=" + REMEMBER_VALUE
        + ";.*").doesNotContain(behindThree);

    // The real value sent twice resumes once.
    String twice = rememberedValue("rina");
    Reply once = http.get("/app/do/whoami", REMEMBER + "=" + twice + "; " + REMEMBER + "=" + twice);
    assertThat(user(once)).isEqualTo("rina");
    assertThat(once.setCookie(SID)).isPresent();

    // Four planted values push the real one out: no session, the cookie is cleared, nothing is
    // granted; the real value was never presented, so it still resumes on its own.
    String behindFour = rememberedValue("rory");
    Reply pushedOut = http.get("/app/do/whoami", (REMEMBER + "=" + planted + "; ").repeat(4)
        + REMEMBER + "=" + behindFour);
    assertThat(user(pushedOut)).isEqualTo("-");
    assertThat(pushedOut.line("session")).isEqualTo("-");
    assertThat(pushedOut.setCookies()).containsExactly(CLEARED_REMEMBER);
    assertThat(user(http.get("/app/do/whoami", REMEMBER + "=" + behindFour))).isEqualTo("rory");

    // Names that differ only in case, or spelt with a space or a '$', are not ours. Each is sent
    // on a connection of its own: Jetty's per-connection header cache matches a Cookie field
    // ignoring case (its HttpCompliance modes other than LEGACY), so after the lower-case spelling
    // it would hand a later request on that connection the earlier field instead of the exact one.
    String caseOnly = rememberedValue("ruth");
    for (String header : List.of(REMEMBER.toLowerCase(Locale.ROOT) + "=" + caseOnly,
        REMEMBER.toUpperCase(Locale.ROOT) + "=" + caseOnly, "$" + REMEMBER + "=" + caseOnly,
        REMEMBER + " =" + caseOnly, "$Version=1, " + REMEMBER + "=" + caseOnly)) {
      Reply r = http.raw("/app/do/whoami", header.getBytes(StandardCharsets.US_ASCII));
      assertThat(user(r)).as(header).isEqualTo("-");
      assertThat(r.setCookies()).as(header).isEmpty();
    }
    assertThat(user(http.get("/app/do/whoami", REMEMBER + "=" + caseOnly))).isEqualTo("ruth");
  }

  @Test
  void manyCookieHeadersAreAllReadAndAnOversizedOneIsNeverAnErrorOrASession() {
    String live = loggedIn("/app", "saul").cookie(SID);
    String[] many = new String[60];
    for (int i = 0; i < many.length; i++) {
      many[i] = "c" + i + "=" + "v".repeat(40) + "; " + SID + "=" + "B".repeat(42) + "A";
    }
    Reply noneLive = http.get("/app/do/whoami", many);
    assertThat(user(noneLive)).isEqualTo("-");
    assertThat(noneLive.setCookies()).isEmpty();
    many[many.length - 1] = "c=1; " + SID + "=" + live;
    assertThat(user(http.get("/app/do/whoami", many)))
        .as("the live value in the last header, behind 59 planted ones, is pushed out")
        .isEqualTo("-");
    many[0] = SID + "=" + live;
    assertThat(user(http.get("/app/do/whoami", many)))
        .as("the first value wins, the repeats behind it change nothing").isEqualTo("saul");

    // Over the container's header limit: the container refuses it (4xx, before any filter runs:
    // Tomcat's own error page shows its parser's stack trace) or, if it let it through, the
    // filter reads no more than its bound; never a 500, never a session, nothing of ours shown.
    for (String[] headers : List.of(new String[] {"pad=" + "p".repeat(70_000), SID + "=" + live},
        new String[] {SID + "=" + live + "; pad=" + "p".repeat(70_000)})) {
      Reply r = http.get("/app/do/whoami", headers);
      assertThat(r.status()).as("status").isIn(200, 400, 413, 431);
      if (r.status() == 200) {
        assertThat(r.line("user")).isEqualTo("-");
      }
      assertThat(r.setCookies()).isEmpty();
      assertThat(r.body()).doesNotContain("dev.sessionkit");
    }
  }

  /** Returns the remember-me value of a new login of {@code user}. */
  private String rememberedValue(String user) {
    Browser b = browser();
    assertThat(b.get("/app/do/login?user=" + user + "&remember=true").status()).isEqualTo(200);
    return b.cookie(REMEMBER);
  }

  // ------------------------------------------------------------------ faults and configuration

  @Test
  void aFailingStoreGives503NoSessionAndOneLogLinePerBurst() throws Exception {
    String cookie = "__Host-broken";
    Browser b = browser();
    assertThat(b.get("/broken/counter").body()).isEqualTo("count=1");
    backends.failingStore.failing(true);
    String logs;
    try {
      logs = capturingStderr(() -> {
        for (int i = 0; i < 4; i++) {
          Reply r = b.get("/broken/counter");
          assertThat(r.status()).isEqualTo(503);
          assertThat(r.body()).isEqualTo(StoreFailureResponse.BODY);
          assertThat(r.header("Content-Type").orElseThrow()).startsWith("text/plain");
          assertThat(r.setCookies()).isEmpty();
        }
        for (String path : List.of("/broken/counter", "/broken/do/login?user=kim")) {
          Reply r = http.get(path); // no cookie: the session is created mid-request
          assertThat(r.status()).as(path).isEqualTo(503);
          assertThat(r.body()).isEqualTo(StoreFailureResponse.BODY);
          assertThat(r.setCookies()).isEmpty();
        }
        return null;
      });
    } finally {
      backends.failingStore.failing(false);
    }
    assertThat(logs.lines().filter(l -> l.contains("the session store failed while")))
        .hasSize(1);
    assertThat(logs).doesNotContain(b.cookie(cookie));
    assertThat(b.get("/broken/counter").body()).isEqualTo("count=2");
  }

  @Test
  void aBadInitParamStopsTheApplicationFromStarting() throws Exception {
    Throwable failure;
    try (ServletContainer bad = newContainer()) {
      failure = bad.startExpectingFailure(Path.of("src/test/webapp-bad"));
    }
    assertThat(failure).as("the container started a misconfigured filter").isNotNull();
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    assertThat(messages).anyMatch(m -> m.contains("same-site=None requires cookie-secure=true"));
  }

  @Test
  void storesComeFromFactoriesByLocationOrClassNameWithTheInitParams() {
    Browser b = browser();
    assertThat(b.get("/location/counter").body()).isEqualTo("count=1");
    assertThat(b.get("/location/counter").body()).isEqualTo("count=2");
    assertThat(browser().get("/class/counter").body()).isEqualTo("count=1");
    assertThat(RecordingStoreFactory.created())
        .anyMatch(c -> c.settings().get("store").equals("recording:by-location")
            && c.settings().get("recording-label").equals("found by location"))
        .anyMatch(c -> c.settings().get("store")
            .equals("dev.sessionkit.servlet.testapp.RecordingStoreFactory"));
  }

  private static String capturingStderr(Callable<Void> action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.call();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }
}
