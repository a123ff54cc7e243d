// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's whole HTTP contract, on a real embedded Jetty on an ephemeral port. */
class DemoHttpTest {

  static DemoServer demo;
  static String startupOutput;

  @BeforeAll
  static void start() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    demo = DemoServer.start(DemoOptions.parse(List.of("--port=0", "--user=alice:alice-pass-1",
        "--user=bob:bob-pass-1", "--user=carol:carol-pass-1", "--user=dave:dave-pass-1",
        "--user=erin:erin-pass-1", "--user=frank:frank-pass-1", "--user=gina:gina-pass-1")), new PrintStream(out, true, StandardCharsets.UTF_8));
    startupOutput = out.toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  Browserless browser() {
    return new Browserless(demo.uri());
  }

  Browserless signedIn(String user, String password, boolean rememberMe) throws Exception {
    Browserless b = browser();
    HttpResponse<String> r = rememberMe
        ? b.post("/login", "username", user, "password", password, "remember-me", "on")
        : b.post("/login", "username", user, "password", password);
    assertThat(r.statusCode()).isEqualTo(303);
    return b;
  }

  @Test
  void startupPrintsOneReadyLineWithTheUrl() {
    assertThat(startupOutput.lines().filter(l -> l.contains("ready at"))).singleElement()
        .satisfies(l -> assertThat(l).contains(demo.uri().toString()));
    assertThat(startupOutput).doesNotContain("alice-pass-1");
  }

  @Test
  void homeShowsTheSignInFormAndTheStylesheetIsServedLocally() throws Exception {
    Browserless b = browser();
    HttpResponse<String> home = b.get("/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("name=\"username\"", "name=\"password\"",
        "name=\"remember-me\"", "Not signed in").doesNotContain("http://", "https://");
    assertThat(b.setCookies(home)).as("a plain visit starts no session").isEmpty();
    HttpResponse<String> css = b.get("/style.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
  }

  @Test
  void loginSucceedsWithA303ToTheAccountAndHardenedCookies() throws Exception {
    Browserless b = browser();
    HttpResponse<String> r = b.post("/login", "username", "alice", "password", "alice-pass-1",
        "remember-me", "on");

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/account"));
    List<String> cookies = b.setCookies(r);
    assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("__Host-sid=")
        .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain("Max-Age", "Expires", "Domain"));
    assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("__Host-remember=")
        .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax", "Max-Age=")
        .doesNotContain("Domain"));

    HttpResponse<String> account = b.get("/account");
    assertThat(account.statusCode()).isEqualTo(200);
    assertThat(account.body()).contains("Signed in as <strong id=\"user\">alice</strong>",
        "session expires");
  }

  @Test
  void loginAnswersJsonWithTheAccountObject() throws Exception {
    Browserless b = browser().json();
    HttpResponse<String> r = b.post("/login", "username", "bob", "password", "bob-pass-1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(r.body()).startsWith("{\"user\":\"bob\",\"sessionId\":\"")
        .contains("\"createdAt\":\"20", "\"lastAccessedAt\":\"20", "\"expiresAt\":\"20",
            "\"rememberMe\":false");
    assertThat(b.get("/account").body()).contains("\"user\":\"bob\"");
  }

  @Test
  void failedLoginIs401AndDoesNotRevealWhetherTheUserExists() throws Exception {
    HttpResponse<String> wrongPassword = browser().post("/login", "username", "alice",
        "password", "nope");
    HttpResponse<String> noSuchUser = browser().post("/login", "username", "mallory",
        "password", "nope");
    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(noSuchUser.statusCode()).isEqualTo(401);
    assertThat(wrongPassword.body()).isEqualTo(noSuchUser.body()).contains("name=\"username\"");

    HttpResponse<String> json = browser().json().post("/login", "username", "mallory",
        "password", "nope");
    assertThat(json.statusCode()).isEqualTo(401);
    assertThat(json.body()).isEqualTo("{\"error\":\"" + LoginServlet.FAILED + "\"}");
    assertThat(browser().json().post("/login").statusCode()).isEqualTo(401);
  }

  @Test
  void accountNeedsASignedInUser() throws Exception {
    HttpResponse<String> html = browser().get("/account");
    assertThat(html.statusCode()).isEqualTo(303);
    assertThat(html.headers().firstValue("Location").orElseThrow()).endsWith("/");
    assertThat(browser().json().get("/account").statusCode()).isEqualTo(401);
    assertThat(browser().json().get("/sessions").statusCode()).isEqualTo(401);
    assertThat(browser().json().post("/password", "current", "x", "new", "y").statusCode())
        .isEqualTo(401);
  }

  @Test
  void sessionsListsTheUsersSessionsAndMarksThisDevice() throws Exception {
    Browserless laptop = signedIn("carol", "carol-pass-1", true);
    Browserless phone = signedIn("carol", "carol-pass-1", false);

    HttpResponse<String> json = laptop.json().get("/sessions");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).startsWith("[{\"sessionId\":\"")
        .contains("\"clientAddress\":\"", "\"userAgent\":\"DemoHttpTest\"", "\"current\":true",
            "\"current\":false", "\"createdAt\"", "\"lastAccessedAt\"", "\"rememberMe\":false");
    assertThat(json.body().split("\"sessionId\"")).hasSize(3);

    laptop.json = false;
    HttpResponse<String> html = laptop.get("/sessions");
    assertThat(html.body()).contains("this device", "sign out", "<table");
    assertThat(phone.get("/account").statusCode()).isEqualTo(200);
  }

  @Test
  void revokeEndsOnlyTheUsersOwnSessions() throws Exception {
    Browserless mine = signedIn("dave", "dave-pass-1", false);
    Browserless other = signedIn("dave", "dave-pass-1", false);
    Browserless stranger = signedIn("erin", "erin-pass-1", false);
    String otherId = sessionId(other);
    String strangerId = sessionId(stranger);

    assertThat(mine.json().post("/sessions/revoke", "sessionId", strangerId).statusCode())
        .isEqualTo(404);
    assertThat(mine.post("/sessions/revoke", "sessionId", "garbage").statusCode()).isEqualTo(404);
    assertThat(stranger.get("/account").statusCode()).isEqualTo(200);

    HttpResponse<String> revoked = mine.post("/sessions/revoke", "sessionId", otherId);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(revoked.body()).isEqualTo("{\"revoked\":true}");
    other.json = true;
    assertThat(other.get("/account").statusCode()).isEqualTo(401);

    mine.json = false;
    Browserless third = signedIn("dave", "dave-pass-1", false);
    HttpResponse<String> html = mine.post("/sessions/revoke", "sessionId", sessionId(third));
    assertThat(html.statusCode()).isEqualTo(303);
    assertThat(html.headers().firstValue("Location").orElseThrow()).endsWith("/sessions");
  }

  @Test
  void passwordChangeSignsOutEveryOtherSessionAndRememberMeToken() throws Exception {
    Browserless current = signedIn("frank", "frank-pass-1", false);
    Browserless other1 = signedIn("frank", "frank-pass-1", true);
    Browserless other2 = signedIn("frank", "frank-pass-1", false);
    String otherRememberMe = other1.cookies.get("__Host-remember");

    assertThat(current.json().post("/password", "current", "wrong", "new", "frank-pass-2")
        .statusCode()).isEqualTo(403);

    HttpResponse<String> changed = current.post("/password", "current", "frank-pass-1",
        "new", "frank-pass-2");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).matches("\\{\"signedOutSessions\":[2-9]\\d*}");

    assertThat(current.get("/account").statusCode()).isEqualTo(200);
    other1.json = true;
    other2.json = true;
    assertThat(other2.get("/account").statusCode()).isEqualTo(401);
    other1.cookies.remove("__Host-sid");
    other1.cookies.put("__Host-remember", otherRememberMe);
    assertThat(other1.get("/account").statusCode()).as("remember-me is dead too").isEqualTo(401);
    assertThat(browser().post("/login", "username", "frank", "password", "frank-pass-1")
        .statusCode()).isEqualTo(401);

    Browserless html = signedIn("frank", "frank-pass-2", false);
    signedIn("frank", "frank-pass-2", false);
    String htmlSid = html.cookies.get("__Host-sid");
    HttpResponse<String> redirect = html.post("/password", "current", "frank-pass-2",
        "new", "frank-pass-3");
    assertThat(redirect.statusCode()).isEqualTo(303);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).endsWith("/account");
    assertThat(html.sessionkitCookies(redirect)).as("a new session cookie, no remember-me cookie")
        .singleElement().asString().startsWith("__Host-sid=").doesNotContain(htmlSid);
    assertThat(html.get("/account").body()).containsPattern("\\d+ other sessions? (was|were) "
        + "signed out");
  }

  @Test
  void passwordChangeGivesThisBrowserNewCookiesAndSignsOutTheOtherClient() throws Exception {
    Browserless current = signedIn("gina", "gina-pass-1", true).json();
    Browserless other = signedIn("gina", "gina-pass-1", false).json();
    String oldSid = current.cookies.get("__Host-sid");
    String oldRememberMe = current.cookies.get("__Host-remember");
    assertThat(other.get("/account").statusCode()).isEqualTo(200);

    HttpResponse<String> changed = current.post("/password", "current", "gina-pass-1",
        "new", "gina-pass-2");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo("{\"signedOutSessions\":1}");
    List<String> cookies = current.sessionkitCookies(changed);
    assertThat(cookies).hasSize(2);
    assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("__Host-sid=")
        .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain(oldSid, "Max-Age", "Domain"));
    assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("__Host-remember=")
        .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax", "Max-Age=")
        .doesNotContain(oldRememberMe, "Max-Age=0", "Domain"));
    String newRememberMe = current.cookies.get("__Host-remember");

    assertThat(current.get("/account").body()).contains("\"user\":\"gina\"");
    Browserless oldSession = browser().json();
    oldSession.cookies.put("__Host-sid", oldSid);
    assertThat(oldSession.get("/account").statusCode()).as("the old session cookie").isEqualTo(401);
    Browserless oldRemembered = browser().json();
    oldRemembered.cookies.put("__Host-remember", oldRememberMe);
    assertThat(oldRemembered.get("/account").statusCode()).as("the old remember-me cookie")
        .isEqualTo(401);
    assertThat(other.get("/account").statusCode()).as("the other client").isEqualTo(401);

    Browserless restarted = browser().json();
    restarted.cookies.put("__Host-remember", newRememberMe);
    assertThat(restarted.get("/account").body()).as("the new remember-me cookie signs in")
        .contains("\"user\":\"gina\"", "\"rememberMe\":true");
    assertThat(current.get("/account").statusCode()).isEqualTo(200);
  }

  @Test
  void logoutEndsTheSessionOnTheServerAndClearsBothCookies() throws Exception {
    Browserless b = signedIn("alice", "alice-pass-1", true);
    String sid = b.cookies.get("__Host-sid");
    String remember = b.cookies.get("__Host-remember");

    HttpResponse<String> r = b.post("/logout");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(b.setCookies(r)).anySatisfy(c -> assertThat(c).startsWith("__Host-sid=;")
        .contains("Max-Age=0", "Path=/", "Secure"));
    assertThat(b.setCookies(r)).anySatisfy(c -> assertThat(c).startsWith("__Host-remember=;")
        .contains("Max-Age=0"));

    Browserless replay = browser().json();
    replay.cookies.put("__Host-sid", sid);
    assertThat(replay.get("/account").statusCode()).isEqualTo(401);
    Browserless replayRemember = browser().json();
    replayRemember.cookies.put("__Host-remember", remember);
    assertThat(replayRemember.get("/account").statusCode()).isEqualTo(401);
    assertThat(signedIn("alice", "alice-pass-1", false).json().post("/logout").body())
        .isEqualTo("{\"loggedOut\":true}");
  }

  @Test
  void rememberMeSignsInAgainWhenTheSessionCookieIsGone() throws Exception {
    Browserless b = signedIn("bob", "bob-pass-1", true).json();
    b.cookies.remove("__Host-sid"); // the browser restarted
    HttpResponse<String> account = b.get("/account");
    assertThat(account.statusCode()).isEqualTo(200);
    assertThat(account.body()).contains("\"user\":\"bob\"", "\"rememberMe\":true");
    assertThat(b.sessionkitCookies(account)).hasSize(2);
  }

  @Test
  void theCartWorksBeforeSignInAndSurvivesIt() throws Exception {
    Browserless b = browser().json();
    assertThat(b.get("/cart").body()).isEqualTo("{\"items\":[]}");
    assertThat(b.post("/cart", "item", "book").body()).isEqualTo("{\"items\":[\"book\"]}");
    assertThat(b.post("/cart", "item", "pen & <ink>").body())
        .isEqualTo("{\"items\":[\"book\",\"pen \\u0026 \\u003cink\\u003e\"]}");
    String anonymousToken = b.cookies.get("__Host-sid");

    assertThat(b.post("/login", "username", "alice", "password", "alice-pass-1").statusCode())
        .isEqualTo(200);
    assertThat(b.cookies.get("__Host-sid")).isNotEqualTo(anonymousToken);
    assertThat(b.get("/cart").body()).contains("book", "pen");

    Browserless replay = browser().json();
    replay.cookies.put("__Host-sid", anonymousToken);
    assertThat(replay.get("/cart").body()).isEqualTo("{\"items\":[]}");

    b.json = false;
    assertThat(b.get("/cart").body()).contains("<li>pen &amp; &lt;ink&gt;</li>");
    assertThat(b.post("/cart", "item", "").statusCode()).isEqualTo(400);
  }

  @Test
  void hostileCookiesNeverCauseA500() throws Exception {
    List<String> headers = List.of("", ";", "=", "__Host-sid", "__Host-sid=",
        "__Host-sid=" + "A".repeat(43), "__Host-sid=" + "A".repeat(5000),
        "__Host-sid=a; __Host-sid=b", "__Host-sid=\"" + "A".repeat(43) + "\"",
        "__Host-remember=" + "A".repeat(16) + "." + "A".repeat(43),
        "__Host-remember=..; __Host-sid=%00", "x=\"a; __Host-sid=evil\"", "=__Host-sid=evil",
        "__Host-sid=\u00e9\u00e9", "$Version=1; __Host-sid=x", "__host-sid=" + "A".repeat(43));
    for (String path : List.of("/", "/account", "/sessions", "/cart")) {
      for (String header : headers) {
        for (boolean json : List.of(false, true)) {
          Browserless b = browser();
          b.json = json;
          HttpResponse<String> r = b.getWithCookieHeader(path, header);
          assertThat(r.statusCode()).as("%s with %s", path, header).isIn(200, 303, 401, 400);
          assertThat(r.body()).doesNotContain("Exception", "at dev.sessionkit");
        }
      }
    }
  }

  @Test
  void crossSiteFormPostsAreRefused() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String[] header : List.of(new String[] {"Origin", "https://evil.example"},
        new String[] {"Origin", "null"}, new String[] {"Sec-Fetch-Site", "cross-site"})) {
      HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
          demo.uri().resolve("/login")).header(header[0], header[1])
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              "username=alice&password=alice-pass-1")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("%s: %s", header[0], header[1]).isEqualTo(403);
      assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
    String sameOrigin = "http://localhost:" + demo.uri().getPort();
    HttpResponse<String> ok = http.send(java.net.http.HttpRequest.newBuilder(
        demo.uri().resolve("/login")).header("Origin", sameOrigin)
        .header("Sec-Fetch-Site", "same-origin")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "username=alice&password=alice-pass-1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(303);
  }

  @Test
  void unknownPagesAre404() throws Exception {
    assertThat(browser().get("/nope").statusCode()).isEqualTo(404);
  }

  private String sessionId(Browserless b) throws Exception {
    boolean was = b.json;
    b.json = true;
    String body = b.get("/account").body();
    b.json = was;
    int start = body.indexOf("\"sessionId\":\"") + 13;
    return body.substring(start, body.indexOf('"', start));
  }
}
