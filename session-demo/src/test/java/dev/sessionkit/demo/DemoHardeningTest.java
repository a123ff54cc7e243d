// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.testing.FaultInjectingStore.Operation;
import dev.sessionkit.testing.InterleavingStore;
import dev.sessionkit.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as an attacker tries it: error pages without stack traces for every status, framing
 * refused on every response, sign-out on every page, and a session that ends under a request
 * answered with "start again", never a 500.
 */
class DemoHardeningTest {

  static final MutableClock CLOCK = MutableClock.startingNow();
  static DemoServer demo;
  static InterleavingStore interleaving;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoServer.start(DemoOptions.parse(List.of("--port=0", "--user=alice:alice-pass-1",
            "--user=bob:bob-pass-1", "--user=carl:carl-pass-1",
            "--max-anonymous-sessions=100000", "--idle-timeout=PT1H", "--absolute-timeout=PT1H")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new DemoServer.Wiring(CLOCK, stores -> {
          interleaving = new InterleavingStore(stores);
          return interleaving.stores();
        }));
  }

  @AfterAll
  static void stop() {
    demo.close();
    interleaving.close();
  }

  Browserless browser() {
    return new Browserless(demo.uri());
  }

  Browserless signedIn(String user, String password) throws Exception {
    Browserless b = browser();
    assertThat(b.post("/login", "username", user, "password", password).statusCode())
        .isEqualTo(303);
    return b;
  }

  static void assertPlainAndUnframeable(String what, int status, HttpHeaders headers,
      String body) {
    assertThat(status).as(what).isNotEqualTo(500);
    assertThat(headers.firstValue("X-Frame-Options")).as(what).hasValue("DENY");
    assertThat(headers.firstValue("Content-Security-Policy")).as(what).hasValueSatisfying(
        csp -> assertThat(csp).contains("frame-ancestors 'none'"));
    assertThat(headers.firstValue("Server")).as(what + ": no server version").isEmpty();
    assertNoInternals(what, body);
  }

  static void assertNoInternals(String what, String body) {
    assertThat(body.toLowerCase(Locale.ROOT)).as(what).doesNotContain("exception", "\tat ",
        "at org.", "at dev.", "at java.", "caused by", "jetty", "servlet", ".java:");
  }

  @Test
  void everyResponseRefusesFramingAndNoErrorPageShowsInternals() throws Exception {
    Browserless anonymous = browser();
    Browserless alice = signedIn("alice", "alice-pass-1");
    HttpClient http = HttpClient.newHttpClient();
    List<HttpRequest> requests = List.of(
        HttpRequest.newBuilder(demo.uri().resolve("/")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/style.css")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/account")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/account"))
            .header("Accept", "application/json").build(),
        HttpRequest.newBuilder(demo.uri().resolve("/nope")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/error")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/logout")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/cart"))
            .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "https://evil.example")
            .POST(HttpRequest.BodyPublishers.ofString("username=a&password=b")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=a&password=%zz")).build(),
        HttpRequest.newBuilder(demo.uri().resolve("/cart"))
            .header("Content-Type", "multipart/form-data; boundary=x")
            .POST(HttpRequest.BodyPublishers.ofString("--x\r\nbroken")).build());
    for (HttpRequest request : requests) {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertPlainAndUnframeable(request.method() + " " + request.uri().getPath(), r.statusCode(),
          r.headers(), r.body());
    }
    HttpResponse<String> signedInPage = alice.get("/cart");
    assertPlainAndUnframeable("signed in", signedInPage.statusCode(), signedInPage.headers(),
        signedInPage.body());
    HttpResponse<String> redirect = anonymous.get("/sessions");
    assertThat(redirect.statusCode()).isEqualTo(303);
    assertPlainAndUnframeable("redirect", 303, redirect.headers(), redirect.body());
  }

  @Test
  void malformedRequestsGetAPlainErrorPageWithTheSecurityHeaders() throws Exception {
    String badChunkedForm = "POST /cart HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        + "application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\nZZ\r\nitem=x\r\n0\r\n\r\n";
    String badChunkedLogin = badChunkedForm.replace("/cart", "/login");
    List<String> raw = List.of(badChunkedForm, badChunkedLogin,
        "GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
            + "\r\nConnection: close\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
        "POST /cart HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
            + "Connection: close\r\n\r\nitem=x");
    for (String request : raw) {
      String what = request.substring(0, Math.min(60, request.indexOf("\r\n\r\n")))
          .replace("\r\n", " | ");
      String answer = Browserless.raw(demo.uri(), request);
      assertThat(answer).as(what).matches("(?s)HTTP/1\\.1 (4\\d\\d|505) .*");
      String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
      assertThat(head).as(what).contains("x-frame-options: deny", "frame-ancestors 'none'")
          .doesNotContain("server: jetty");
      assertNoInternals(what, answer.substring(answer.indexOf("\r\n\r\n")));
    }
  }

  @Test
  void everyPageOffersSignOutToASignedInUser() throws Exception {
    Browserless bob = signedIn("bob", "bob-pass-1");
    for (String path : List.of("/", "/account", "/sessions", "/cart", "/nope", "/error",
        "/logout")) {
      HttpResponse<String> page = bob.get(path);
      assertThat(page.body()).as(path).contains("<form method=\"post\" action=\"/logout\">"
          + "<button type=\"submit\" class=\"quiet\" id=\"sign-out\">Sign out</button></form>");
    }
    assertThat(browser().get("/cart").body()).as("not signed in").doesNotContain("sign-out");
  }

  @Test
  void aLogoutThatRacesACartWriteMeansStartAgainNotA500() throws Exception {
    Browserless alice = signedIn("alice", "alice-pass-1");
    assertThat(alice.post("/cart", "item", "book").statusCode()).isEqualTo(303);
    Browserless sameBrowserOtherTab = new Browserless(demo.uri());
    sameBrowserOtherTab.cookies.putAll(alice.cookies);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      InterleavingStore.Pause write = interleaving.pauseBefore(Operation.SESSION_UPDATE_ATTRIBUTES);
      Future<HttpResponse<String>> cartWrite = executor.submit(() ->
          alice.post("/cart", "item", "pen"));
      write.awaitParked(Duration.ofSeconds(10)); // the cart was read, its write not yet stored
      assertThat(sameBrowserOtherTab.post("/logout").statusCode()).isEqualTo(303);
      write.release();

      HttpResponse<String> r = cartWrite.get();
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.body()).contains("Your session ended while this request ran",
          "id=\"start-again\"", "Not signed in");
      assertPlainAndUnframeable("the raced cart write", r.statusCode(), r.headers(), r.body());
      assertThat(alice.json().get("/cart").body()).as("the ended session is not resurrected")
          .isEqualTo("{\"items\":[]}");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aPasswordChangeWhoseSessionEndsUnderItSignsOutEverySessionOfTheUser() throws Exception {
    Browserless phone = signedIn("carl", "carl-pass-1");
    CLOCK.advance(Duration.ofMinutes(40));
    Browserless laptop = signedIn("carl", "carl-pass-1");
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      InterleavingStore.Pause listing =
          interleaving.pauseBefore(Operation.SESSION_FIND_BY_PRINCIPAL);
      Future<HttpResponse<String>> change = executor.submit(() -> phone.post("/password",
          "current", "carl-pass-1", "new", "carl-pass-2"));
      listing.awaitParked(Duration.ofSeconds(10)); // the password is changed, nobody signed out
      // the phone's session reaches its maximum lifetime (1 h) under the change
      CLOCK.advance(Duration.ofMinutes(25));
      assertThat(laptop.get("/account").statusCode()).as("the laptop is active").isEqualTo(200);
      listing.release();

      HttpResponse<String> r = change.get();
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.body()).contains("sign in and start again");
      assertNoInternals("the password change", r.body());
      assertThat(laptop.get("/account").statusCode()).as("no session survives the change")
          .isEqualTo(303);
      assertThat(browser().post("/login", "username", "carl", "password", "carl-pass-2")
          .statusCode()).as("the new password is in force").isEqualTo(303);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void logoutsRacingCartWritesNeverAnswer500() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 25; round++) {
        Browserless alice = signedIn("alice", "alice-pass-1");
        List<Future<HttpResponse<String>>> writes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String item = "item-" + round + "-" + i;
          writes.add(executor.submit(() -> alice.post("/cart", "item", item)));
        }
        Browserless otherTab = new Browserless(demo.uri());
        otherTab.cookies.putAll(alice.cookies);
        Future<HttpResponse<String>> logout = executor.submit(() -> otherTab.post("/logout"));
        for (Future<HttpResponse<String>> w : writes) {
          HttpResponse<String> r = w.get();
          assertThat(r.statusCode()).as("round %d", round).isIn(303, 409);
          assertNoInternals("round " + round, r.body());
        }
        assertThat(logout.get().statusCode()).isEqualTo(303);
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
