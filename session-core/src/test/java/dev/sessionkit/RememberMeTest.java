// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.ClientInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.SessionEvent.Type;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionStore;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Remember-me: issue, resume, rotation, grace window, theft, expiry, per-device revocation. */
class RememberMeTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  TestClock clock;
  InMemorySessionStore store;
  RecordingListener events;
  SessionManager manager;

  @BeforeEach
  void setUp() {
    clock = TestClock.at(T0);
    store = InMemorySessionStore.create();
    events = new RecordingListener();
    manager = SessionManager.builder().store(store).clock(clock).listener(events).build();
  }

  String rememberMe(IssuedSession issued) {
    return issued.rememberMe().orElseThrow().value();
  }

  @Test
  void loginIssuesARememberMeTokenOnlyWhenAsked() {
    IssuedSession plain = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession remembered = manager.authenticate("alice", ClientInfo.NONE, true);

    assertThat(plain.rememberMe()).isEmpty();
    RememberMeToken token = remembered.rememberMe().orElseThrow();
    assertThat(token.value()).matches("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}");
    assertThat(token.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(remembered.session().hasRememberMe()).isTrue();
    assertThat(store.findSeries(Tokens.hash(token.value().substring(0, 16))).orElseThrow().validatorHash()
        .toBase64Url()).doesNotContain(token.value().substring(17));
  }

  @Test
  void resumingStartsANewRememberedSessionAndRotatesTheValidator() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(Duration.ofDays(2)); // the browser was closed; the session is long gone

    RememberMeResult result = manager.resumeRememberMe(rememberMe(login),
        ClientInfo.of("10.1.1.1", "Firefox"));

    assertThat(result.status()).isEqualTo(Status.RESUMED);
    IssuedSession resumed = result.issued().orElseThrow();
    Session session = manager.resolve(resumed.token()).orElseThrow();
    assertThat(session.principal()).contains("alice");
    assertThat(session.isRemembered()).isTrue();
    assertThat(session.authenticationMethod()).contains(AuthenticationMethod.REMEMBER_ME);
    assertThat(session.authenticatedAt()).contains(clock.instant());
    assertThat(session.absoluteExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
    assertThat(session.clientAddress()).contains("10.1.1.1");
    String next = rememberMe(resumed);
    assertThat(next).isNotEqualTo(rememberMe(login)).startsWith(rememberMe(login).substring(0, 17));
    assertThat(resumed.rememberMe().orElseThrow().expiresAt())
        .as("use never extends the series").isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(events.ofType(Type.REMEMBER_ME_USED)).hasSize(1);

    clock.advance(Duration.ofDays(1));
    assertThat(manager.resumeRememberMe(next, ClientInfo.NONE).status()).isEqualTo(Status.RESUMED);
  }

  @Test
  void theJustReplacedValidatorIsHarmlessDuringTheGraceWindow() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String first = rememberMe(login);
    IssuedSession resumed = manager.resumeRememberMe(first, ClientInfo.NONE).issued().orElseThrow();

    clock.advance(Duration.ofSeconds(5).minusMillis(1));
    RememberMeResult parallel = manager.resumeRememberMe(first, ClientInfo.NONE);

    assertThat(parallel.status()).isEqualTo(Status.RECENTLY_ROTATED);
    assertThat(parallel.issued()).isEmpty();
    assertThat(events.ofType(Type.REMEMBER_ME_THEFT)).isEmpty();
    assertThat(manager.resolve(resumed.token())).isPresent();
    assertThat(manager.resolve(login.token())).isPresent();
  }

  @Test
  void anOldValidatorAfterTheGraceWindowIsTheftAndEndsEverything() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession otherDevice = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, true);
    String stolen = rememberMe(login);
    IssuedSession attacker = manager.resumeRememberMe(stolen, ClientInfo.NONE).issued()
        .orElseThrow();

    clock.advance(Duration.ofSeconds(5));
    RememberMeResult victim = manager.resumeRememberMe(stolen, ClientInfo.NONE);

    assertThat(victim.status()).isEqualTo(Status.THEFT_DETECTED);
    assertThat(victim.issued()).isEmpty();
    assertThat(manager.resolve(attacker.token())).isEmpty();
    assertThat(manager.resolve(login.token())).isEmpty();
    assertThat(manager.resolve(otherDevice.token())).isEmpty();
    assertThat(manager.resumeRememberMe(rememberMe(attacker), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(manager.resumeRememberMe(rememberMe(otherDevice), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(manager.resolve(bob.token())).isPresent();
    assertThat(manager.resumeRememberMe(rememberMe(bob), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
    assertThat(events.ofType(Type.REMEMBER_ME_THEFT)).singleElement()
        .satisfies(e -> assertThat(e.principal()).contains("alice"));
    assertThat(events.ofType(Type.REVOKED)).hasSize(3)
        .allSatisfy(e -> assertThat(e.reason()).contains(EndReason.REMEMBER_ME_THEFT));
  }

  @Test
  void aForgedValidatorForAKnownSelectorIsTheft() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String forged = rememberMe(login).substring(0, 17) + "A".repeat(43);

    assertThat(manager.resumeRememberMe(forged, ClientInfo.NONE).status())
        .isEqualTo(Status.THEFT_DETECTED);
    assertThat(manager.resolve(login.token())).isEmpty();
  }

  @Test
  void unknownMalformedAndExpiredTokensAreInvalid() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String valid = rememberMe(login);

    assertThat(manager.resumeRememberMe("A".repeat(16) + "." + "A".repeat(43), ClientInfo.NONE)
        .status()).isEqualTo(Status.INVALID);
    assertThat(manager.resumeRememberMe(valid.replace('.', ':'), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(manager.resumeRememberMe(valid + "A", ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);

    clock.set(T0.plus(Duration.ofDays(30)).minusMillis(1));
    String rotated = rememberMe(manager.resumeRememberMe(valid, ClientInfo.NONE).issued()
        .orElseThrow());
    clock.set(T0.plus(Duration.ofDays(30)));
    assertThat(manager.resumeRememberMe(rotated, ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(store.findSeries(Tokens.hash(valid.substring(0, 16)))).isEmpty();
  }

  @Test
  void twoRacingRequestsWithOneValidatorGetOneSession() throws Exception {
    for (int round = 0; round < 20; round++) {
      String token = rememberMe(manager.authenticate("user" + round, ClientInfo.NONE, true));
      List<Callable<RememberMeResult>> tasks = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        tasks.add(() -> manager.resumeRememberMe(token, ClientInfo.NONE));
      }
      List<RememberMeResult> results = Concurrently.run(tasks);
      assertThat(results).extracting(RememberMeResult::status)
          .containsExactlyInAnyOrder(Status.RESUMED, Status.RECENTLY_ROTATED);
    }
    assertThat(events.ofType(Type.REMEMBER_ME_THEFT)).isEmpty();
  }

  @Test
  void forgetRememberMeEndsTheSeriesOnlyForItsOwnValidator() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String valid = rememberMe(login);
    String forged = valid.substring(0, 17) + "A".repeat(43);

    assertThat(manager.forgetRememberMe(forged)).isFalse();
    assertThat(events.ofType(Type.REMEMBER_ME_THEFT)).isEmpty();
    assertThat(manager.forgetRememberMe("garbage")).isFalse();
    assertThat(manager.forgetRememberMe(valid)).isTrue();
    assertThat(manager.resumeRememberMe(valid, ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
  }

  @Test
  void aResumeRefusedByTheCapLeavesTheTokenValid() {
    SessionManager capped = SessionManager.builder().store(store).clock(clock).listener(events)
        .config(SessionConfig.builder().maxSessionsPerPrincipal(1)
            .sessionCapPolicy(SessionCapPolicy.REFUSE_NEW).build()).build();
    IssuedSession login = capped.authenticate("alice", ClientInfo.NONE, true);

    assertThatThrownBy(() -> capped.resumeRememberMe(rememberMe(login), ClientInfo.NONE))
        .isInstanceOf(SessionLimitExceededException.class);

    capped.logout(login.token()); // ends its series too: log in again to get one to keep
    IssuedSession again = capped.authenticate("alice", ClientInfo.NONE, true);
    assertThatThrownBy(() -> capped.resumeRememberMe(rememberMe(again), ClientInfo.NONE))
        .isInstanceOf(SessionLimitExceededException.class);
    store.delete(again.session().id()); // the session ended some other way; the series lives
    clock.advance(Duration.ofMinutes(1));
    assertThat(capped.resumeRememberMe(rememberMe(again), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
    assertThat(events.ofType(Type.REMEMBER_ME_THEFT)).isEmpty();
  }

  @Test
  void aResumeWhoseSessionCannotBeStoredLeavesTheTokenValid() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    boolean[] failCreate = {true};
    SessionStore flaky = (SessionStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {SessionStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("create") && failCreate[0]) {
            throw new SessionStoreException("connection reset");
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    SessionManager failing = SessionManager.builder().store(flaky).rememberMeStore(store)
        .clock(clock).listener(events).build();

    assertThatThrownBy(() -> failing.resumeRememberMe(rememberMe(login), ClientInfo.NONE))
        .isInstanceOf(SessionStoreException.class);

    failCreate[0] = false;
    clock.advance(Duration.ofMinutes(1));
    assertThat(failing.resumeRememberMe(rememberMe(login), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
    assertThat(events.ofType(Type.REMEMBER_ME_THEFT)).isEmpty();
  }

  @Test
  void purgeRemovesExpiredSeries() {
    String token = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
    clock.advance(Duration.ofDays(30));
    manager.purgeExpired();
    assertThat(store.findSeries(Tokens.hash(token.substring(0, 16)))).isEmpty();
  }

  /**
   * The security log says what was presented: a validator the series had and replaced, or one it
   * never had (never issued, or replaced more than once ago). Neither line names the selector.
   */
  @Test
  void theTheftLogSaysWhetherTheValidatorWasReplacedOrUnknown() throws Exception {
    String replaced = rememberMe(manager.authenticate("theft-replaced", ClientInfo.NONE, true));
    manager.resumeRememberMe(replaced, ClientInfo.NONE);
    clock.advance(Duration.ofMinutes(1));
    assertThat(manager.resumeRememberMe(replaced, ClientInfo.NONE).status())
        .isEqualTo(Status.THEFT_DETECTED);
    String issued = rememberMe(manager.authenticate("theft-unknown", ClientInfo.NONE, true));
    String neverIssued = issued.substring(0, 17) + "B".repeat(42) + "A";
    assertThat(manager.resumeRememberMe(neverIssued, ClientInfo.NONE).status())
        .isEqualTo(Status.THEFT_DETECTED);

    List<String> log = Files.readAllLines(Path.of(System.getProperty(
        "org.slf4j.simpleLogger.logFile", "target/sessionkit-test.log")));
    assertThat(log).anySatisfy(line -> assertThat(line)
        .contains("a replaced validator was presented after the grace period")
        .contains("principal=theft-replaced"));
    assertThat(log).anySatisfy(line -> assertThat(line)
        .contains("an unknown validator was presented for a known series")
        .contains("principal=theft-unknown"));
    assertThat(log).noneSatisfy(line -> assertThat(line).contains(issued.substring(0, 16)));
  }
}
