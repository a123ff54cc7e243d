// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.SessionEvent;
import dev.sessionkit.servlet.internal.GuessingGuard;
import dev.sessionkit.servlet.support.Browser;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.testapp.SecurityBackends;
import dev.sessionkit.servlet.testapp.TestBackends;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The filter's security features on a real container, started once per class from
 * src/test/webapp/WEB-INF/web.xml: step-up, guessing detection (also behind a trusted proxy),
 * Clear-Site-Data at logout, and tokens carried by the cookie only. Subclasses supply the container (Jetty 12 ee10, Tomcat 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecurityContainerSuite {

  static final String SID = "__Host-sid";
  static final String REMEMBER = "__Host-remember";

  private final AtomicInteger browsers = new AtomicInteger();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

  private ServletContainer container;
  private URI base;
  private Http http;
  private TestBackends backends;
  private SecurityBackends security;

  /** Returns a new, stopped container. */
  abstract ServletContainer newContainer();

  @BeforeAll
  void startContainer() throws Exception {
    backends = TestBackends.install();
    security = SecurityBackends.install();
    container = newContainer();
    base = container.start(Path.of("src/test/webapp"));
    http = new Http(base);
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  private Browser browser() {
    return new Browser(http, "SecurityBrowser/" + browsers.incrementAndGet());
  }

  /** Returns a well-formed token that was never issued. */
  private static String unknownToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Sends {@code method path} with the given header name/value pairs and body (or none). */
  private Reply send(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private long guessingEvents() {
    return security.events.stream().filter(e -> e.type() == SessionEvent.Type.TOKEN_GUESSING)
        .count();
  }

  // ------------------------------------------------------------------ step-up

  @Test
  void aSensitiveChangeDemandsARecentInteractiveSignIn() {
    Browser b = browser();
    assertThat(b.get("/clock/do/login?user=alice&remember=true").status()).isEqualTo(200);
    assertThat(b.get("/clock/sec/sensitive").body()).isEqualTo("changed=true\n");

    backends.clock.advance(Duration.ofMinutes(5));
    Reply stale = b.get("/clock/sec/sensitive");
    assertThat(stale.status()).isEqualTo(302);
    assertThat(stale.header("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/reauthenticate?next=/clock/sec/sensitive"));

    String before = b.cookie(SID);
    Reply stepUp = b.get("/clock/sec/reauthenticate?user=alice");
    assertThat(stepUp.body()).isEqualTo("steppedUp=true\n");
    assertThat(b.cookie(SID)).as("a step-up rotates the token").isNotEqualTo(before);
    assertThat(b.get("/clock/sec/sensitive").body()).isEqualTo("changed=true\n");
  }

  @Test
  void aRememberMeSessionMustSignInAgainBeforeASensitiveChange() {
    Browser b = browser();
    b.get("/clock/do/login?user=bob&remember=true");
    b.cookie(SID, null); // the browser restarts: only the remember-me cookie is left

    Reply resumed = b.get("/clock/sec/sensitive");
    assertThat(resumed.setCookie(SID)).as("the remember-me cookie started a session").isPresent();
    assertThat(resumed.status()).as("though it is seconds old").isEqualTo(302);

    b.get("/clock/sec/reauthenticate?user=bob");
    assertThat(b.get("/clock/sec/sensitive").body()).isEqualTo("changed=true\n");
    assertThat(b.cookie(REMEMBER)).as("the device stays remembered").isNotNull();
  }

  @Test
  void aSignedOutRequestIsNeverRecent() {
    Reply anonymous = browser().get("/clock/sec/sensitive");
    assertThat(anonymous.status()).isEqualTo(302);
    assertThat(anonymous.setCookies()).isEmpty();
  }

  // ------------------------------------------------------------------ guessing detection

  @Test
  void anAddressPresentingTooManyUnknownTokensGets429WithRetryAfterUntilTheCoolDownEnds() {
    long before = guessingEvents();
    for (int i = 0; i < 3; i++) {
      Reply r = http.get("/guard/sec/whoami", SID + "=" + unknownToken());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("user=-\n");
    }
    assertThat(guessingEvents()).as("three within the threshold").isEqualTo(before);

    Reply tripping = http.get("/guard/sec/whoami", SID + "=" + unknownToken());
    assertThat(tripping.status()).as("the request that trips still proceeds").isEqualTo(200);
    assertThat(guessingEvents()).isEqualTo(before + 1);
    SessionEvent event = security.events.get(security.events.size() - 1);
    assertThat(event.type()).isEqualTo(SessionEvent.Type.TOKEN_GUESSING);
    assertThat(event.clientAddress()).hasValueSatisfying(a -> assertThat(a).isNotBlank());
    assertThat(event.principal()).isEmpty();

    Reply refused = http.get("/guard/sec/whoami");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).contains("120");
    assertThat(refused.body()).isEqualTo(GuessingGuard.BODY);
    assertThat(refused.setCookies()).isEmpty();
    assertThat(http.get("/app/sec/whoami").status()).as("another filter's count").isEqualTo(200);

    security.clock.advance(Duration.ofSeconds(119));
    assertThat(http.get("/guard/sec/whoami").header("Retry-After")).contains("1");
    security.clock.advance(Duration.ofSeconds(1));
    assertThat(http.get("/guard/sec/whoami").status()).as("the cool-down has ended")
        .isEqualTo(200);
  }

  @Test
  void aBrowserResendingItsTimedOutCookieIsNotTakenForAGuesser() {
    Browser b = browser();
    b.get("/watch/sec/login?user=dora");
    String stale = b.cookie(SID);
    security.manager.logout(stale); // ended on the server; the browser still sends the cookie
    long before = guessingEvents();

    for (int i = 0; i < 20; i++) {
      assertThat(http.get("/watch/sec/whoami", SID + "=" + stale).body()).isEqualTo("user=-\n");
    }
    assertThat(guessingEvents()).as("one stale value counts once").isEqualTo(before);
  }

  @Test
  void forgedRememberMeValuesAndMalformedCookiesCountAsFailures() {
    long before = guessingEvents();
    String selector = unknownToken().substring(0, 16);
    http.get("/forge/sec/whoami", REMEMBER + "=" + selector + "." + unknownToken());
    http.get("/forge/sec/whoami", REMEMBER + "=" + unknownToken().substring(0, 16) + "."
        + unknownToken());
    Reply malformed = http.get("/forge/sec/whoami", SID + "=not\\a\\token");
    assertThat(malformed.status()).isEqualTo(200);
    assertThat(guessingEvents()).isEqualTo(before);

    http.get("/forge/sec/whoami", SID + "=" + unknownToken());

    assertThat(guessingEvents()).as("the fourth distinct failure trips").isEqualTo(before + 1);
    assertThat(http.get("/forge/sec/whoami").status()).as("report only: no 429").isEqualTo(200);
  }

  /**
   * The filter tries up to four values of the session cookie's name (so that a planted duplicate
   * cannot shadow the real cookie) and counts nothing when one of them resolves. An attacker who
   * puts three unknown tokens ahead of a live token of its own is never counted, however many it
   * sends: each request costs the store four lookups, and the detection never sees them.
   */
  @Test
  void unknownTokensSentAheadOfTheClientsOwnLiveTokenAreCountedToo() {
    Browser mallory = browser();
    mallory.get("/evade/sec/login?user=mallory");
    String own = mallory.cookie(SID);
    long before = guessingEvents();

    for (int i = 0; i < 4; i++) {
      Reply r = http.get("/evade/sec/whoami", SID + "=" + unknownToken() + "; " + SID + "="
          + unknownToken() + "; " + SID + "=" + unknownToken() + "; " + SID + "=" + own);
      assertThat(r.body()).as("the fourth value, the attacker's own, resolves")
          .isEqualTo("user=mallory\n");
    }

    assertThat(guessingEvents())
        .as("twelve unknown tokens in four requests from one address, threshold 3")
        .isEqualTo(before + 1);
  }

  /**
   * GuessingDetection says a browser resending one stale cookie counts once, and that refusing is
   * safe behind a NAT when the threshold is far above the users' combined stale cookies. But only
   * a failure equal to the address's previous one is skipped: two browsers behind one address that
   * take turns with their stale cookies count on every request, trip the address and (refuse on)
   * lock out a signed-in neighbour.
   */
  @Test
  void browsersBehindOneAddressTakingTurnsWithTheirStaleCookiesAreNotTakenForAGuesser() {
    List<String> stale = new ArrayList<>();
    for (String user : List.of("gina", "hank")) {
      Browser b = browser();
      b.get("/nat/sec/login?user=" + user);
      stale.add(b.cookie(SID));
      security.manager.logout(b.cookie(SID)); // timed out, say; the browser keeps its cookie
    }
    Browser ivy = browser();
    ivy.get("/nat/sec/login?user=ivy");
    long before = guessingEvents();

    for (int i = 0; i < 10; i++) {
      for (String cookie : stale) {
        http.get("/nat/sec/whoami", SID + "=" + cookie);
      }
    }

    assertThat(guessingEvents()).as("two stale cookies, a threshold of 10").isEqualTo(before);
    assertThat(ivy.get("/nat/sec/whoami").body()).as("a signed-in user at the same address")
        .isEqualTo("user=ivy\n");
  }

  // ------------------------------------------------------------------ behind a proxy

  /**
   * Behind a proxy that appends the address it saw to {@code X-Forwarded-For} (the test client
   * plays it: {@code /proxied/*} trusts 127.0.0.1), a client writes its victim's address to the
   * left of its own. The filter reads the header from the right: the attacker's unknown tokens
   * count against the attacker, who gets 429, and the victim is not refused.
   */
  @Test
  void aClientCannotLockOutAnotherAddressByWritingItIntoXForwardedFor() {
    String victim = "192.0.2.77";
    String attacker = "198.51.100.5";
    long before = guessingEvents();
    for (int i = 0; i < 4; i++) {
      // what the proxy forwards: the attacker's header, then the address the proxy saw
      assertThat(send("GET", "/proxied/sec/whoami", null, "X-Forwarded-For",
          victim + ", " + attacker, "Cookie", SID + "=" + unknownToken()).status())
          .isEqualTo(200);
    }
    assertThat(guessingEvents()).as("the fourth failure trips").isEqualTo(before + 1);
    assertThat(security.events.get(security.events.size() - 1).clientAddress())
        .contains(attacker);

    assertThat(send("GET", "/proxied/sec/whoami", null, "X-Forwarded-For", victim).status())
        .as("the victim's own request, through the same proxy").isEqualTo(200);
    assertThat(send("GET", "/proxied/sec/whoami", null, "X-Forwarded-For",
        "203.0.113.1, " + attacker).status()).as("the attacker, whatever it writes")
        .isEqualTo(429);
  }

  /**
   * A peer that is not a trusted proxy (the test client, for {@code /unproxied/*}) is the client
   * whatever its {@code X-Forwarded-For} says: a new address in the header each time neither
   * escapes the count nor lands on another address.
   */
  @Test
  void anUntrustedPeersXForwardedForIsIgnored() {
    long before = guessingEvents();
    for (int i = 0; i < 4; i++) {
      assertThat(send("GET", "/unproxied/sec/whoami", null, "X-Forwarded-For",
          "192.0.2." + (10 + i), "Cookie", SID + "=" + unknownToken()).status())
          .isEqualTo(200);
    }
    assertThat(guessingEvents()).as("one address, however many it claimed")
        .isEqualTo(before + 1);
    assertThat(security.events.get(security.events.size() - 1).clientAddress())
        .hasValueSatisfying(a -> assertThat(a).doesNotStartWith("192.0.2."));
    assertThat(send("GET", "/unproxied/sec/whoami", null, "X-Forwarded-For", "192.0.2.99")
        .status()).isEqualTo(429);
  }

  /** The address behind a trusted proxy is the one recorded with the session and its events. */
  @Test
  void theSessionRecordsTheAddressBehindTheTrustedProxy() {
    Reply login = send("GET", "/proxied/sec/login?user=jane", null, "X-Forwarded-For",
        "203.0.113.50, 127.0.0.1");
    assertThat(login.status()).isEqualTo(200);
    SessionEvent signedIn = security.events.stream()
        .filter(e -> e.type() == SessionEvent.Type.AUTHENTICATED)
        .filter(e -> e.principal().filter("jane"::equals).isPresent())
        .reduce((a, b) -> b).orElseThrow();
    assertThat(signedIn.clientAddress()).contains("203.0.113.50");
  }

  // ------------------------------------------------------------------ Clear-Site-Data

  @Test
  void aLogoutSendsTheConfiguredClearSiteDataAndNothingElseDoes() {
    Browser b = browser();
    Reply login = b.get("/csd/sec/login?user=erin&remember=true");
    assertThat(login.header("Clear-Site-Data")).isEmpty();
    assertThat(b.get("/csd/sec/whoami").header("Clear-Site-Data")).isEmpty();

    Reply logout = b.get("/csd/sec/logout");
    assertThat(logout.body()).isEqualTo("ended=true\n");
    assertThat(logout.header("Clear-Site-Data")).contains("\"cookies\"");
    assertThat(logout.setCookie(SID)).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));

    Browser other = browser();
    other.get("/app/sec/login?user=erin");
    assertThat(other.get("/app/sec/logout").header("Clear-Site-Data"))
        .as("off unless configured").isEmpty();
  }

  // ------------------------------------------------------------------ only the cookie

  @Test
  void onlyTheCookieCarriesTheToken() {
    Browser carol = browser();
    carol.get("/app/sec/login?user=carol");
    String token = carol.cookie(SID);
    assertThat(carol.get("/app/sec/whoami").body()).as("the cookie works").isEqualTo("user=carol\n");

    assertThat(http.get("/app/do/whoami;jsessionid=" + token).body())
        .contains("user=-\n").contains("requested=null\n").contains("fromURL=false\n");
    assertThat(http.get("/app/sec/whoami?jsessionid=" + token + "&" + SID + "=" + token
        + "&sid=" + token + "&token=" + token).body()).isEqualTo("user=-\n");
    assertThat(send("POST", "/app/sec/whoami", "jsessionid=" + token + "&" + SID + "=" + token,
        "Content-Type", "application/x-www-form-urlencoded").body()).isEqualTo("user=-\n");
    for (String header : List.of("Authorization", "X-Auth-Token", "X-Session-Token", SID,
        "Session-Id")) {
      assertThat(send("GET", "/app/sec/whoami", null, header, header.equals("Authorization")
          ? "Bearer " + token : token).body()).as(header).isEqualTo("user=-\n");
    }
    assertThat(send("GET", "/app/sec/whoami", null, "Cookie2", SID + "=" + token).body())
        .isEqualTo("user=-\n");
  }

  @Test
  void encodeUrlAndEncodeRedirectUrlNeverAddAToken() {
    Browser b = browser();
    b.get("/app/sec/login?user=frank");
    for (Reply r : List.of(b.get("/app/sec/encode"), http.get("/app/sec/encode"))) {
      assertThat(r.body()).isEqualTo("/x;a=b?c=d\n/y\n\n");
    }
  }
}
