// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.ClientInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionEvent.Type;
import dev.sessionkit.memory.InMemorySessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lifecycle rules of {@link SessionManager}, on the in-memory store with a controlled clock. */
class SessionManagerTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration IDLE = Duration.ofMinutes(30);
  static final Duration ABSOLUTE = Duration.ofHours(8);
  static final AttributeKey<String> CART = AttributeKey.of("cart", String.class);

  TestClock clock;
  InMemorySessionStore store;
  RecordingListener events;
  SessionManager manager;

  @BeforeEach
  void setUp() {
    clock = TestClock.at(T0);
    store = InMemorySessionStore.create();
    events = new RecordingListener();
    manager = manager(SessionConfig.builder().touchInterval(Duration.ZERO).build());
  }

  SessionManager manager(SessionConfig config) {
    return SessionManager.builder().config(config).store(store).clock(clock).listener(events)
        .build();
  }

  // ------------------------------------------------------------------ start and resolve

  @Test
  void anonymousSessionResolvesWithItsMetadata() {
    IssuedSession issued = manager.startAnonymous(ClientInfo.of("203.0.113.1", "Firefox"));

    Session session = manager.resolve(issued.token()).orElseThrow();
    assertThat(session.id()).isEqualTo(issued.session().id()).hasSize(16);
    assertThat(session.id()).isNotEqualTo(issued.token());
    assertThat(session.principal()).isEmpty();
    assertThat(session.isAuthenticated()).isFalse();
    assertThat(session.createdAt()).isEqualTo(T0);
    assertThat(session.expiresAt()).isEqualTo(T0.plus(IDLE));
    assertThat(session.absoluteExpiresAt()).isEqualTo(T0.plus(ABSOLUTE));
    assertThat(session.clientAddress()).contains("203.0.113.1");
    assertThat(session.userAgent()).contains("Firefox");
    assertThat(events.ofType(Type.CREATED)).hasSize(1);
  }

  @Test
  void anIssuedSessionSaysWhetherItContinuesTheSessionItWasGiven() {
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    IssuedSession changed = manager.credentialsChanged(renewed.session());
    IssuedSession fresh = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession other = manager.authenticate(login.token(), "bob", ClientInfo.NONE, false);

    assertThat(visit.continuesSession()).as("a new visit").isFalse();
    assertThat(login.continuesSession()).as("a login rotating the visit").isTrue();
    assertThat(renewed.continuesSession()).as("a renewal").isTrue();
    assertThat(changed.continuesSession()).as("a credential change").isTrue();
    assertThat(fresh.continuesSession()).as("a login without a session").isFalse();
    assertThat(other.continuesSession()).as("a login as another user").isFalse();
    assertThat(manager.resumeRememberMe(changed.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).issued().orElseThrow().continuesSession()).as("a remember-me resume")
        .isFalse();
  }

  @Test
  void tokensAreUniquePerSession() {
    IssuedSession a = manager.startAnonymous(ClientInfo.NONE);
    IssuedSession b = manager.startAnonymous(ClientInfo.NONE);
    assertThat(a.token()).isNotEqualTo(b.token()).hasSize(43);
    assertThat(a.session().id()).isNotEqualTo(b.session().id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u0000", "../../../../../etc/passwd"})
  void malformedTokensResolveToNoSessionWithoutTouchingTheStore(String token) {
    SessionManager strict = SessionManager.builder().store(new FailingStore()).clock(clock).build();
    assertThat(strict.resolve(token)).isEmpty();
    assertThat(strict.renew(token)).isEmpty();
    assertThat(strict.logout(token)).isFalse();
    assertThat(strict.resumeRememberMe(token, ClientInfo.NONE).status())
        .isEqualTo(RememberMeResult.Status.INVALID);
  }

  @Test
  void nullAndHugeTokensResolveToNoSession() {
    SessionManager strict = SessionManager.builder().store(new FailingStore()).clock(clock).build();
    assertThat(strict.resolve(null)).isEmpty();
    assertThat(strict.resolve("A".repeat(1_000_000))).isEmpty();
    assertThat(strict.resumeRememberMe(null, ClientInfo.NONE).status())
        .isEqualTo(RememberMeResult.Status.INVALID);
  }

  @Test
  void unknownWellFormedTokenResolvesToNoSession() {
    manager.startAnonymous(ClientInfo.NONE);
    String stranger = manager.startAnonymous(ClientInfo.NONE).token();
    manager.logout(stranger);
    assertThat(manager.resolve(stranger)).isEmpty();
  }

  // ------------------------------------------------------------------ timeouts

  @Test
  void idleTimeoutEndsTheSessionExactlyAtItsDeadline() {
    String token = manager.startAnonymous(ClientInfo.NONE).token();

    clock.set(T0.plus(IDLE).minusMillis(1));
    assertThat(manager.resolve(token)).isPresent();

    clock.set(T0.plus(IDLE).minusMillis(1).plus(IDLE));
    assertThat(manager.resolve(token)).isEmpty();
    assertThat(events.ofType(Type.EXPIRED)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains(EndReason.IDLE_TIMEOUT));
    assertThat(store.size()).isZero();
  }

  @Test
  void atTheIdleDeadlineItselfTheSessionHasEnded() {
    String token = manager.startAnonymous(ClientInfo.NONE).token();
    clock.set(T0.plus(IDLE));
    assertThat(manager.resolve(token)).isEmpty();
  }

  @Test
  void everyAccessMovesTheIdleDeadline() {
    String token = manager.startAnonymous(ClientInfo.NONE).token();
    for (int i = 1; i <= 5; i++) {
      clock.set(T0.plus(IDLE.multipliedBy(i)).minusMillis(i));
      assertThat(manager.resolve(token)).as("access %d", i).isPresent();
    }
  }

  @Test
  void absoluteTimeoutEndsAnActiveSessionExactlyAtItsDeadline() {
    String token = manager.authenticate("alice", ClientInfo.NONE, false).token();
    Instant deadline = T0.plus(ABSOLUTE);
    for (Instant t = T0; t.isBefore(deadline); t = t.plus(Duration.ofMinutes(20))) {
      clock.set(t);
      assertThat(manager.resolve(token)).as("at %s", t).isPresent();
    }
    clock.set(deadline.minusMillis(1));
    Session last = manager.resolve(token).orElseThrow();
    assertThat(last.expiresAt()).isEqualTo(deadline);

    clock.set(deadline);
    assertThat(manager.resolve(token)).isEmpty();
    assertThat(events.ofType(Type.EXPIRED)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains(EndReason.ABSOLUTE_TIMEOUT));
  }

  @Test
  void absoluteDeadlineOfAnAnonymousSessionCountsFromCreation() {
    String token = manager.startAnonymous(ClientInfo.NONE).token();
    for (Instant t = T0; t.isBefore(T0.plus(ABSOLUTE)); t = t.plus(Duration.ofMinutes(25))) {
      clock.set(t);
      assertThat(manager.resolve(token)).isPresent();
    }
    clock.set(T0.plus(ABSOLUTE));
    assertThat(manager.resolve(token)).isEmpty();
  }

  @Test
  void renewAndRotationNeverExtendTheAbsoluteDeadline() {
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    clock.advance(Duration.ofMinutes(10));
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
    Instant authenticated = T0.plus(Duration.ofMinutes(10));
    String token = login.token();
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMinutes(20));
      token = manager.renew(token).orElseThrow().token();
    }
    Session renewed = manager.resolve(token).orElseThrow();
    assertThat(renewed.absoluteExpiresAt()).isEqualTo(authenticated.plus(ABSOLUTE));
    assertThat(renewed.authenticatedAt()).contains(authenticated);

    for (Instant t = clock.instant(); t.isBefore(authenticated.plus(ABSOLUTE));
        t = t.plus(Duration.ofMinutes(20))) {
      clock.set(t);
      assertThat(manager.resolve(token)).isPresent();
    }
    clock.set(authenticated.plus(ABSOLUTE).minusMillis(1));
    assertThat(manager.resolve(token)).isPresent();
    clock.set(authenticated.plus(ABSOLUTE));
    assertThat(manager.resolve(token)).isEmpty();
  }

  @Test
  void touchesAreThrottledButTheIdleTimeoutHoldsWithinTheInterval() {
    SessionManager throttled = manager(SessionConfig.builder()
        .touchInterval(Duration.ofMinutes(1)).build());
    String token = throttled.startAnonymous(ClientInfo.NONE).token();

    clock.set(T0.plusSeconds(59));
    assertThat(throttled.resolve(token).orElseThrow().lastAccessedAt()).isEqualTo(T0);
    clock.set(T0.plusSeconds(60));
    assertThat(throttled.resolve(token).orElseThrow().lastAccessedAt())
        .isEqualTo(T0.plusSeconds(60));
    clock.set(T0.plusSeconds(119));
    assertThat(throttled.resolve(token).orElseThrow().lastAccessedAt())
        .isEqualTo(T0.plusSeconds(60));
    // the access at 119 s was not recorded: the session ends at 60 s + idle, 59 s early,
    // which is within one touch interval of the true idle deadline (119 s + idle)
    clock.set(T0.plusSeconds(60).plus(IDLE));
    assertThat(throttled.resolve(token)).isEmpty();
  }

  @Test
  void lastAccessNeverMovesBackwardsWhenTheClockDoes() {
    String token = manager.startAnonymous(ClientInfo.NONE).token();
    clock.set(T0.plusSeconds(100));
    manager.resolve(token);
    clock.set(T0.plusSeconds(50));
    assertThat(manager.resolve(token).orElseThrow().lastAccessedAt())
        .isEqualTo(T0.plusSeconds(100));
  }

  @Test
  void purgeRemovesExpiredSessionsAndFiresTheirEvents() {
    manager.startAnonymous(ClientInfo.NONE);
    manager.authenticate("alice", ClientInfo.NONE, false);
    clock.advance(Duration.ofMinutes(10));
    String live = manager.startAnonymous(ClientInfo.NONE).token();

    clock.set(T0.plus(IDLE));
    assertThat(manager.purgeExpired()).isEqualTo(2);
    assertThat(events.ofType(Type.EXPIRED)).hasSize(2)
        .allSatisfy(e -> assertThat(e.reason()).contains(EndReason.IDLE_TIMEOUT));
    assertThat(store.size()).isEqualTo(1);
    assertThat(manager.resolve(live)).isPresent();
    assertThat(manager.purgeExpired()).isZero();
  }

  @Test
  void purgeWorksThroughMoreThanOneBatch() {
    for (int i = 0; i < PrincipalAdministration.PURGE_BATCH + 5; i++) {
      manager.startAnonymous(ClientInfo.NONE);
    }
    clock.advance(IDLE);
    assertThat(manager.purgeExpired()).isEqualTo(PrincipalAdministration.PURGE_BATCH + 5);
    assertThat(store.size()).isZero();
  }

  // ------------------------------------------------------------------ authentication

  @Test
  void loginRotatesTheAnonymousSessionAndKeepsItsAttributes() {
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    visit.session().put(CART, "book");
    clock.advance(Duration.ofMinutes(5));

    IssuedSession login = manager.authenticate(visit.token(), "alice",
        ClientInfo.of("198.51.100.4", "Chrome"), false);

    assertThat(login.token()).isNotEqualTo(visit.token());
    assertThat(manager.resolve(visit.token())).as("old token dead at once").isEmpty();
    Session session = manager.resolve(login.token()).orElseThrow();
    assertThat(session.id()).isEqualTo(visit.session().id());
    assertThat(session.get(CART)).contains("book");
    assertThat(session.principal()).contains("alice");
    assertThat(session.authenticatedAt()).contains(T0.plus(Duration.ofMinutes(5)));
    assertThat(session.authenticationMethod()).contains(AuthenticationMethod.INTERACTIVE);
    assertThat(session.absoluteExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)).plus(ABSOLUTE));
    assertThat(session.createdAt()).isEqualTo(T0);
    assertThat(session.clientAddress()).contains("198.51.100.4");
    assertThat(events.ofType(Type.AUTHENTICATED)).singleElement()
        .satisfies(e -> assertThat(e.principal()).contains("alice"));
  }

  @Test
  void loginWithoutACurrentSessionStartsAFreshOne() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    Session session = manager.resolve(login.token()).orElseThrow();
    assertThat(session.principal()).contains("alice");
    assertThat(session.attributes()).isEmpty();
    assertThat(login.rememberMe()).isEmpty();
    assertThat(events.events()).extracting(SessionEvent::type)
        .containsExactly(Type.CREATED, Type.AUTHENTICATED);
  }

  @Test
  void loginOfAnotherUserEndsTheSessionAndDoesNotCarryItsAttributes() {
    IssuedSession alice = manager.authenticate("alice", ClientInfo.NONE, false);
    alice.session().put(CART, "alice's");

    IssuedSession bob = manager.authenticate(alice.token(), "bob", ClientInfo.NONE, false);

    assertThat(bob.session().id()).isNotEqualTo(alice.session().id());
    assertThat(manager.resolve(alice.token())).isEmpty();
    assertThat(manager.resolve(bob.token()).orElseThrow().get(CART)).isEmpty();
    assertThat(manager.sessionsOf("alice")).isEmpty();
    assertThat(events.ofType(Type.LOGGED_OUT)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains(EndReason.REPLACED));
  }

  @Test
  void loginWithADeadCurrentTokenStartsAFreshSession() {
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    clock.advance(IDLE);
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
    assertThat(login.session().id()).isNotEqualTo(visit.session().id());
    assertThat(manager.resolve(login.token())).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a\nb", "tab\there"})
  void invalidPrincipalsAreRejected(String principal) {
    assertThatThrownBy(() -> manager.authenticate(principal, ClientInfo.NONE, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("principal");
  }

  @Test
  void renewIssuesANewTokenAndTheOldOneEndsAfterTheRotationGrace() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    login.session().put(CART, "x");

    IssuedSession renewed = manager.renew(login.token()).orElseThrow();

    assertThat(renewed.token()).isNotEqualTo(login.token());
    clock.advance(Duration.ofSeconds(4));
    assertThat(manager.resolve(login.token())).isPresent(); // a parallel request of the browser
    clock.advance(Duration.ofSeconds(1));
    assertThat(manager.resolve(login.token())).isEmpty();
    Session session = manager.resolve(renewed.token()).orElseThrow();
    assertThat(session.id()).isEqualTo(login.session().id());
    assertThat(session.get(CART)).contains("x");
    assertThat(session.principal()).contains("alice");
    assertThat(events.ofType(Type.RENEWED)).hasSize(1);
    assertThat(manager.renew(login.token())).isEmpty();
  }

  // ------------------------------------------------------------------ logout

  @Test
  void logoutEndsTheSessionOnTheServer() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    assertThat(manager.logout(login.token())).isTrue();

    assertThat(manager.resolve(login.token())).as("replaying the cookie").isEmpty();
    assertThat(manager.logout(login.token())).isFalse();
    assertThat(manager.sessionsOf("alice")).isEmpty();
    assertThat(events.ofType(Type.LOGGED_OUT)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains(EndReason.LOGOUT));
  }

  @Test
  void logoutEndsTheSessionsRememberMeSeriesButNotOtherDevices() {
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession phone = manager.authenticate("alice", ClientInfo.NONE, true);

    manager.logout(laptop.token());

    assertThat(manager.resumeRememberMe(laptop.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).status()).isEqualTo(RememberMeResult.Status.INVALID);
    assertThat(manager.resolve(phone.token())).isPresent();
    assertThat(manager.resumeRememberMe(phone.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).status()).isEqualTo(RememberMeResult.Status.RESUMED);
  }

  // ------------------------------------------------------------------ attributes

  @Test
  void attributesAreTypedAndPersisted() {
    IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
    Session session = issued.session();
    session.put(CART, "apple");
    session.putAttribute("count", 2);

    Session again = manager.resolve(issued.token()).orElseThrow();
    assertThat(again.get(CART)).contains("apple");
    assertThat(again.get(AttributeKey.of("count", Integer.class))).contains(2);
    assertThat(again.get(AttributeKey.of("count", String.class))).as("wrong type").isEmpty();
    assertThat(again.attributeNames()).containsExactlyInAnyOrder("cart", "count");

    again.remove(CART);
    again.putAttribute("count", null);
    assertThat(manager.resolve(issued.token()).orElseThrow().attributes()).isEmpty();
  }

  @Test
  void writesOfTwoRequestsToDifferentAttributesBothSurvive() {
    String token = manager.startAnonymous(ClientInfo.NONE).token();
    Session first = manager.resolve(token).orElseThrow();
    Session second = manager.resolve(token).orElseThrow();
    first.putAttribute("theme", "dark");
    second.putAttribute("cart", "pear");
    assertThat(manager.resolve(token).orElseThrow().attributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("theme", "dark", "cart", "pear"));
  }

  @Test
  void writingToAnEndedSessionFailsClearly() {
    IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
    manager.logout(issued.token());
    assertThatThrownBy(() -> issued.session().put(CART, "x"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ended");
  }

  // ------------------------------------------------------------------ force logout, listing

  @Test
  void logoutOthersKeepsExactlyTheCurrentSession() {
    IssuedSession current = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession other1 = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession other2 = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, true);

    int ended = manager.logoutOthers(manager.resolve(current.token()).orElseThrow());

    assertThat(ended).isEqualTo(2);
    assertThat(manager.resolve(current.token())).isPresent();
    assertThat(manager.resolve(other1.token())).isEmpty();
    assertThat(manager.resolve(other2.token())).isEmpty();
    assertThat(manager.resolve(bob.token())).isPresent();
    assertThat(manager.resumeRememberMe(other1.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).status()).isEqualTo(RememberMeResult.Status.INVALID);
    assertThat(manager.resumeRememberMe(current.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).status()).isEqualTo(RememberMeResult.Status.RESUMED);
    assertThat(manager.resumeRememberMe(bob.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).status()).isEqualTo(RememberMeResult.Status.RESUMED);
    assertThat(events.ofType(Type.REVOKED)).hasSize(2)
        .allSatisfy(e -> assertThat(e.reason()).contains(EndReason.FORCE_LOGOUT));
  }

  @Test
  void logoutAllEndsEverySessionAndSeriesOfThePrincipal() {
    IssuedSession a = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession b = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, false);

    assertThat(manager.logoutAll("alice")).isEqualTo(2);

    assertThat(manager.resolve(a.token())).isEmpty();
    assertThat(manager.resolve(b.token())).isEmpty();
    assertThat(manager.resolve(bob.token())).isPresent();
    assertThat(manager.resumeRememberMe(a.rememberMe().orElseThrow().value(), ClientInfo.NONE)
        .status()).isEqualTo(RememberMeResult.Status.INVALID);
  }

  @Test
  void logoutOthersOfAnAnonymousSessionEndsNothing() {
    manager.authenticate("alice", ClientInfo.NONE, false);
    Session anonymous = manager.startAnonymous(ClientInfo.NONE).session();
    assertThat(manager.logoutOthers(anonymous)).isZero();
    assertThat(manager.sessionsOf("alice")).hasSize(1);
  }

  @Test
  void sessionsOfListsThePrincipalsLiveSessionsWithMetadata() {
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.of("10.0.0.1", "Firefox"), true);
    clock.advance(Duration.ofMinutes(1));
    IssuedSession phone = manager.authenticate("alice", ClientInfo.of("10.0.0.2", "Safari"), false);
    IssuedSession old = manager.authenticate("alice", ClientInfo.NONE, false);
    manager.logout(old.token());
    manager.authenticate("bob", ClientInfo.NONE, false);
    clock.advance(Duration.ofMinutes(1));
    manager.resolve(phone.token());

    List<Session> sessions = manager.sessionsOf("alice");

    assertThat(sessions).extracting(Session::id)
        .containsExactly(laptop.session().id(), phone.session().id());
    Session first = sessions.get(0);
    assertThat(first.createdAt()).isEqualTo(T0);
    assertThat(first.clientAddress()).contains("10.0.0.1");
    assertThat(first.userAgent()).contains("Firefox");
    assertThat(first.hasRememberMe()).isTrue();
    assertThat(first.isRemembered()).isFalse();
    Session second = sessions.get(1);
    assertThat(second.lastAccessedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(second.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)).plus(IDLE));
    assertThat(second.hasRememberMe()).isFalse();
  }

  @Test
  void sessionsOfNeverListsExpiredSessions() {
    manager.authenticate("alice", ClientInfo.NONE, false);
    clock.advance(IDLE);
    assertThat(manager.sessionsOf("alice")).isEmpty();
  }

  @Test
  void revokeEndsOneSessionOfItsOwnPrincipalOnly() {
    IssuedSession mine = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession other = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession bobs = manager.authenticate("bob", ClientInfo.NONE, false);

    assertThat(manager.revoke("alice", bobs.session().id())).isFalse();
    assertThat(manager.resolve(bobs.token())).isPresent();
    assertThat(manager.revoke("alice", "not-an-id")).isFalse();

    assertThat(manager.revoke("alice", mine.session().id())).isTrue();
    assertThat(manager.resolve(mine.token())).isEmpty();
    assertThat(manager.resolve(other.token())).isPresent();
    assertThat(manager.resumeRememberMe(mine.rememberMe().orElseThrow().value(), ClientInfo.NONE)
        .status()).isEqualTo(RememberMeResult.Status.INVALID);
    assertThat(manager.revoke("alice", mine.session().id())).isFalse();
    assertThat(events.ofType(Type.REVOKED)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains(EndReason.REVOKED));
  }

  // ------------------------------------------------------------------ cap

  @Test
  void capEvictsTheOldestSessions() {
    SessionManager capped = manager(SessionConfig.builder().maxSessionsPerPrincipal(2).build());
    IssuedSession first = capped.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(Duration.ofSeconds(1));
    IssuedSession second = capped.authenticate("alice", ClientInfo.NONE, false);
    clock.advance(Duration.ofSeconds(1));
    IssuedSession third = capped.authenticate("alice", ClientInfo.NONE, false);

    assertThat(capped.resolve(first.token())).isEmpty();
    assertThat(capped.resolve(second.token())).isPresent();
    assertThat(capped.resolve(third.token())).isPresent();
    assertThat(capped.resumeRememberMe(first.rememberMe().orElseThrow().value(), ClientInfo.NONE)
        .status()).isEqualTo(RememberMeResult.Status.INVALID);
    assertThat(events.ofType(Type.REVOKED)).singleElement()
        .satisfies(e -> assertThat(e.reason()).contains(EndReason.SESSION_CAP));
  }

  @Test
  void capRefusesTheNewLoginWhenSoConfigured() {
    SessionManager capped = manager(SessionConfig.builder().maxSessionsPerPrincipal(1)
        .sessionCapPolicy(SessionCapPolicy.REFUSE_NEW).build());
    IssuedSession first = capped.authenticate("alice", ClientInfo.NONE, false);

    assertThatThrownBy(() -> capped.authenticate("alice", ClientInfo.NONE, false))
        .isInstanceOf(SessionLimitExceededException.class)
        .hasMessageContaining("1 sessions")
        .satisfies(e -> assertThat(((SessionLimitExceededException) e).limit()).isEqualTo(1));
    assertThat(capped.resolve(first.token())).isPresent();
    assertThat(capped.sessionsOf("alice")).hasSize(1);
    // the same browser logging in again rotates its own session, which the cap allows
    assertThat(capped.authenticate(first.token(), "alice", ClientInfo.NONE, false)).isNotNull();
    assertThat(capped.authenticate("bob", ClientInfo.NONE, false)).isNotNull();
  }

  // ------------------------------------------------------------------ store failure

  @Test
  void aFailingStoreNeverYieldsASessionAndSurfacesOneExceptionType() {
    SessionManager failing = SessionManager.builder().store(new FailingStore()).clock(clock)
        .build();
    String wellFormed = manager.startAnonymous(ClientInfo.NONE).token();

    assertThatThrownBy(() -> failing.resolve(wellFormed))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("findAndTouch")
        .hasMessageNotContaining(wellFormed);
    assertThatThrownBy(() -> failing.startAnonymous(ClientInfo.NONE))
        .isInstanceOf(SessionStoreException.class);
    assertThatThrownBy(() -> failing.authenticate("alice", ClientInfo.NONE, true))
        .isInstanceOf(SessionStoreException.class);
    assertThatThrownBy(() -> failing.sessionsOf("alice"))
        .isInstanceOf(SessionStoreException.class);
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheOperation() {
    SessionManager noisy = SessionManager.builder().store(store).clock(clock)
        .listener(e -> {
          throw new IllegalStateException("listener bug");
        }).build();
    IssuedSession login = noisy.authenticate("alice", ClientInfo.NONE, false);
    assertThat(noisy.resolve(login.token())).isPresent();
  }

  @Test
  void secretsDoNotAppearInToString() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    String validator = login.rememberMe().orElseThrow().value();
    List<Object> objects = new ArrayList<>(List.of(login, login.session(),
        login.rememberMe().orElseThrow(), manager, store,
        store.findById(login.session().id()).orElseThrow(),
        store.findSeries(Tokens.hash(validator.substring(0, 16))).orElseThrow()));
    objects.addAll(events.events());
    for (Object o : objects) {
      assertThat(o.toString()).doesNotContain(login.token()).doesNotContain(validator)
          .doesNotContain(validator.substring(17));
    }
    assertThat(store.findById(login.session().id()).orElseThrow().tokenHash().toString())
        .doesNotContain(store.findById(login.session().id()).orElseThrow().tokenHash()
            .toBase64Url());
  }

  @Test
  void clientInfoIsBoundedAndFreeOfControlCharacters() {
    ClientInfo info = ClientInfo.of("1.2.3.4\r\nX-Evil: 1", "UA".repeat(1000));
    assertThat(info.address().orElseThrow()).doesNotContain("\r", "\n");
    assertThat(info.userAgent().orElseThrow()).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH);
    assertThat(ClientInfo.of(" ", null)).isSameAs(ClientInfo.NONE);
    assertThat(Optional.of(info).map(Object::toString).orElseThrow()).contains("1.2.3.4");
    assertThat(Set.of(info.address())).hasSize(1);
  }
}
