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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed sign-ins are logged (the account attempted and the client address, never the password)
 * and throttled per account and per address; time is a {@link MutableClock}.
 */
class DemoLoginThrottleTest {

  final MutableClock clock = MutableClock.startingNow();
  DemoServer demo;
  ByteArrayOutputStream log;
  PrintStream originalErr;

  @BeforeEach
  void start() throws Exception {
    demo = DemoServer.start(DemoOptions.parse(List.of("--port=0", "--user=alice:Right-Pass-1",
            "--user=bob:Bob-Pass-1")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new DemoServer.Wiring(clock, UnaryOperator.identity()));
    originalErr = System.err;
    log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple's target
  }

  @AfterEach
  void stop() {
    System.setErr(originalErr);
    demo.close();
  }

  HttpResponse<String> login(String user, String password) throws Exception {
    return new Browserless(demo.uri()).post("/login", "username", user, "password", password);
  }

  @Test
  void sixtyWrongPasswordsThenTheRightOneDoesNotSignIn() throws Exception {
    for (int i = 0; i < 60; i++) {
      assertThat(login("alice", "wrong-guess-" + i).statusCode()).as("attempt %d", i)
          .isIn(401, 429);
    }
    HttpResponse<String> right = login("alice", "Right-Pass-1");
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.headers().firstValue("Retry-After")).hasValueSatisfying(
        s -> assertThat(Long.parseLong(s)).isPositive());
    assertThat(right.body()).contains(LoginServlet.THROTTLED).doesNotContain("Right-Pass-1");
    assertThat(right.headers().allValues("Set-Cookie")).isEmpty();

    clock.advance(LoginThrottle.MAX_LOCK);
    assertThat(login("alice", "Right-Pass-1").statusCode()).as("after the lock")
        .isEqualTo(303);
  }

  @Test
  void theLockGrowsWithEachFailureAndASuccessClearsTheAccount() throws Exception {
    for (int i = 0; i < LoginThrottle.FREE_PER_ACCOUNT; i++) {
      assertThat(login("alice", "nope").statusCode()).isEqualTo(401);
    }
    assertThat(login("alice", "nope").statusCode()).as("the first locking failure")
        .isEqualTo(401);
    assertThat(login("alice", "Right-Pass-1").statusCode()).as("locked").isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    assertThat(login("alice", "nope").statusCode()).isEqualTo(401);
    clock.advance(Duration.ofSeconds(1));
    assertThat(login("alice", "Right-Pass-1").statusCode()).as("the lock doubled to 2 s")
        .isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    assertThat(login("alice", "Right-Pass-1").statusCode()).isEqualTo(303);
    assertThat(login("alice", "nope").statusCode()).as("the count started over")
        .isEqualTo(401);
    assertThat(login("alice", "Right-Pass-1").statusCode()).isEqualTo(303);
  }

  @Test
  void oneAddressGuessingManyAccountsIsLockedOutOfEveryAccount() throws Exception {
    for (int i = 0; i < LoginThrottle.FREE_PER_ADDRESS; i++) {
      assertThat(login("user" + i, "guess").statusCode()).isEqualTo(401);
    }
    assertThat(login("user-last", "guess").statusCode()).isEqualTo(401);
    assertThat(login("bob", "Bob-Pass-1").statusCode()).as("this address is locked")
        .isEqualTo(429);
    assertThat(login("nobody", "x").body()).as("the same answer for unknown accounts")
        .contains(LoginServlet.THROTTLED);
  }

  @Test
  void failuresAreLoggedWithTheAccountAndTheAddressButNeverThePassword() throws Exception {
    login("alice", "Secret-Guess-1");
    login("mallory\r\nINFO forged line", "Secret-Guess-2");
    for (int i = 0; i < 10; i++) {
      login("alice", "Secret-Guess-3");
    }
    login("bob", "Bob-Pass-1");
    String lines = log.toString(StandardCharsets.UTF_8);
    assertThat(lines).contains("login failed: user='alice' address='127.0.0.1'",
        "login refused while throttled: user='alice' address='127.0.0.1'",
        "login: user='bob' address='127.0.0.1'",
        "user='mallory??INFO forged line'")
        .doesNotContain("Secret-Guess", "Bob-Pass-1", "Right-Pass-1");
    assertThat(lines.lines()).noneMatch(l -> l.startsWith("INFO forged line"));
    assertThat(lines.lines().filter(l -> l.contains("login refused while throttled")))
        .as("one line per lock, however many attempts it refused").hasSize(1);
  }

  @Test
  void aChangeOfPasswordChecksTheCurrentOneUnderTheSameThrottle() throws Exception {
    Browserless alice = new Browserless(demo.uri());
    assertThat(alice.post("/login", "username", "alice", "password", "Right-Pass-1")
        .statusCode()).isEqualTo(303);
    for (int i = 0; i <= LoginThrottle.FREE_PER_ACCOUNT; i++) {
      assertThat(alice.post("/password", "current", "guess" + i, "new", "whatever-123")
          .statusCode()).isEqualTo(403);
    }
    assertThat(alice.post("/password", "current", "Right-Pass-1", "new", "whatever-123")
        .statusCode()).isEqualTo(429);
  }
}
