// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.ClientInfo;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step-up (OWASP ASVS 7.5.1, 7.5.3): every session records when its principal last authenticated
 * interactively; rotations and remember-me never move that time forward, and a remember-me
 * session is never "recent" until the user signs in again in it.
 */
class StepUpTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  TestClock clock;
  SessionManager manager;

  @BeforeEach
  void setUp() {
    clock = TestClock.at(T0);
    manager = SessionManager.builder().store(InMemorySessionStore.create()).clock(clock)
        .config(SessionConfig.builder().touchInterval(Duration.ZERO).build()).build();
  }

  @Test
  void anInteractiveLoginIsRecentUntilTheMaximumAgeHasPassed() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);

    Session session = manager.resolve(login.token()).orElseThrow();
    assertThat(session.lastInteractiveAuthentication()).contains(T0);
    assertThat(session.authenticationMethod()).contains(AuthenticationMethod.INTERACTIVE);
    assertThat(session.authenticatedInteractivelyWithin(FIVE_MINUTES)).isTrue();

    clock.advance(FIVE_MINUTES.minusMillis(1));
    assertThat(manager.resolve(login.token()).orElseThrow()
        .authenticatedInteractivelyWithin(FIVE_MINUTES)).isTrue();
    clock.advance(Duration.ofMillis(1));
    Session later = manager.resolve(login.token()).orElseThrow();
    assertThat(later.authenticatedInteractivelyWithin(FIVE_MINUTES)).as("at the limit").isFalse();
    assertThat(later.authenticatedInteractivelyWithin(Duration.ofHours(1))).isTrue();
  }

  @Test
  void anAnonymousSessionIsNeverRecent() {
    Session anonymous = manager.startAnonymous(ClientInfo.NONE).session();
    assertThat(anonymous.lastInteractiveAuthentication()).isEmpty();
    assertThat(anonymous.authenticatedInteractivelyWithin(Duration.ofDays(365))).isFalse();
  }

  @Test
  void aZeroOrNegativeMaximumAgeIsNeverRecent() {
    Session session = manager.authenticate("alice", ClientInfo.NONE, false).session();
    assertThat(session.authenticatedInteractivelyWithin(Duration.ZERO)).isFalse();
    assertThat(session.authenticatedInteractivelyWithin(Duration.ofSeconds(-1))).isFalse();
    assertThat(session.authenticatedInteractivelyWithin(Duration.ofSeconds(Long.MAX_VALUE)))
        .isTrue();
  }

  @Test
  void renewalAndCredentialChangeNeverRefreshTheInteractiveTime() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(Duration.ofMinutes(10));

    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    assertThat(renewed.session().lastInteractiveAuthentication()).contains(T0);
    assertThat(renewed.session().authenticatedInteractivelyWithin(FIVE_MINUTES)).isFalse();

    Session current = manager.resolve(renewed.token()).orElseThrow();
    IssuedSession changed = manager.credentialsChanged(current);
    Session afterChange = manager.resolve(changed.token()).orElseThrow();
    assertThat(afterChange.lastInteractiveAuthentication()).contains(T0);
    assertThat(afterChange.authenticatedInteractivelyWithin(FIVE_MINUTES)).isFalse();
  }

  @Test
  void aRememberMeSessionIsNeverRecentAndKeepsTheLoginTimeOfItsSeries() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String rememberMe = login.rememberMe().orElseThrow().value();
    // the browser closed: its session cookie is gone, the remember-me cookie stays
    clock.advance(Duration.ofDays(2));

    RememberMeResult resumed = manager.resumeRememberMe(rememberMe, ClientInfo.NONE);
    Session session = manager.resolve(resumed.issued().orElseThrow().token()).orElseThrow();

    assertThat(session.authenticationMethod()).contains(AuthenticationMethod.REMEMBER_ME);
    assertThat(session.authenticatedAt()).contains(T0.plus(Duration.ofDays(2)));
    assertThat(session.lastInteractiveAuthentication()).as("the login that issued the series")
        .contains(T0);
    assertThat(session.authenticatedInteractivelyWithin(Duration.ofDays(365)))
        .as("even a year is not enough: the user was not present").isFalse();
  }

  @Test
  void aRememberMeSessionThatIsResumedAgainKeepsTheOriginalLoginTime() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String first = login.rememberMe().orElseThrow().value();
    // the browser closed: its session cookie is gone, the remember-me cookie stays
    clock.advance(Duration.ofDays(1));
    IssuedSession once = manager.resumeRememberMe(first, ClientInfo.NONE).issued().orElseThrow();
    String second = once.rememberMe().orElseThrow().value();
    clock.advance(Duration.ofDays(1));
    // a new browser start: the session cookie is gone, the rotated remember-me cookie is sent
    IssuedSession twice = manager.resumeRememberMe(second, ClientInfo.NONE).issued()
        .orElseThrow();

    assertThat(twice.session().lastInteractiveAuthentication()).contains(T0);
    assertThat(twice.session().authenticatedInteractivelyWithin(Duration.ofDays(30))).isFalse();
  }

  @Test
  void signingInAgainInARememberMeSessionStepsItUp() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String rememberMe = login.rememberMe().orElseThrow().value();
    // the browser closed: its session cookie is gone, the remember-me cookie stays
    clock.advance(Duration.ofDays(3));
    IssuedSession resumed = manager.resumeRememberMe(rememberMe, ClientInfo.NONE).issued()
        .orElseThrow();
    Session remembered = manager.resolve(resumed.token()).orElseThrow();
    remembered.putAttribute("draft", "new e-mail address");
    clock.advance(Duration.ofMinutes(1));

    // the application asked for the password again and it was right
    IssuedSession stepUp = manager.authenticate(remembered, "alice", ClientInfo.NONE, false);

    Instant now = T0.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(1));
    Session session = manager.resolve(stepUp.token()).orElseThrow();
    assertThat(session.id()).as("the same session, rotated").isEqualTo(remembered.id());
    assertThat(stepUp.token()).isNotEqualTo(resumed.token());
    assertThat(manager.resolve(resumed.token())).as("the pre-step-up token is dead").isEmpty();
    assertThat(session.authenticationMethod()).contains(AuthenticationMethod.INTERACTIVE);
    assertThat(session.lastInteractiveAuthentication()).contains(now);
    assertThat(session.authenticatedInteractivelyWithin(FIVE_MINUTES)).isTrue();
    assertThat(session.getAttribute("draft")).contains("new e-mail address");
    assertThat(session.hasRememberMe()).as("the device stays remembered").isTrue();
  }

  /**
   * This server's clock is stepped back an hour (an NTP correction) after the sign-in, or another
   * server whose clock ran an hour ahead signed the user in: the sign-in time lies in the future.
   * Authentication.isInteractiveWithin takes such a time as recent until it is the maximum age in
   * the past, so ten minutes after the sign-in a "within 5 minutes" check still says yes, and keeps
   * saying yes for an hour and five minutes. A time further ahead than the maximum age proves no
   * recent sign-in; the safe answer is no (the user types the password again).
   */
  @Test
  void aSignInStampedAnHourAheadOfTheClockIsNotRecentTenMinutesLater() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    clock.set(T0.minus(Duration.ofHours(1))); // the clock is stepped back an hour
    clock.advance(Duration.ofMinutes(10)); // ten minutes pass

    Session session = manager.resolve(login.token()).orElseThrow();
    assertThat(session.lastInteractiveAuthentication()).contains(T0);
    assertThat(session.authenticatedInteractivelyWithin(FIVE_MINUTES)).isFalse();
  }
}
