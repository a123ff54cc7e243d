// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.Session;
import dev.sessionkit.SessionCapPolicy;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionEndedException;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle invariants of a {@link SessionManager} over a store, under racing requests and
 * store failures. A store module extends this class and supplies {@link #createStores()}; every
 * test runs the real manager over that store, wrapped by an {@link InterleavingStore} (a thread
 * parked between two store calls) or a {@link FaultInjectingStore} (a call that fails before or
 * after it is applied). Timing luck is never the test: each race is one fixed interleaving, and
 * the bounded stress run at the end only adds to them.
 *
 * <ul>
 *   <li>I1 revocation is final: once a force logout, logout-all or theft response returns, no
 *       session of the principal resolves except the kept one, including sessions that logins and
 *       resumes in flight create afterwards.
 *   <li>I2 unknown outcomes are safe: a call that failed after it was applied never turns the
 *       browser's retry into a theft alarm, loses the session, or keeps a logged-out session.
 *   <li>I3 a remember-me series belongs to a device; I4 the cap evicts the least recently used
 *       session; I5 rotation tolerates the browser's parallel requests; I6 a credential change
 *       ends every other session and rotates the current tokens.
 * </ul>
 *
 * <pre>{@code
 * class MyStoreLifecycleTest extends LifecycleContract {
 *   protected Stores createStores() { return Stores.of(new MyStore(...)); }
 * }
 * }</pre>
 */
public abstract class LifecycleContract {

  /** How long a test waits for a parked thread or a released one. */
  protected static final Duration WAIT = Duration.ofSeconds(10);

  private static final Duration IDLE = Duration.ofMinutes(30);

  /** The clock of the managers made here. */
  protected MutableClock clock;
  /** The events the manager fired. */
  protected final List<SessionEvent> events = new CopyOnWriteArrayList<>();
  private Stores stores;

  /**
   * Returns new, empty stores (or a fresh namespace of a shared backend).
   *
   * @return new, empty stores (or a fresh namespace of a shared backend)
   */
  protected abstract Stores createStores();

  @BeforeEach
  void setUpLifecycle() {
    clock = MutableClock.at(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    events.clear();
    stores = createStores();
  }

  @AfterEach
  void tearDownLifecycle() {
    if (stores != null) {
      stores.close();
    }
  }

  /**
   * Whether the store hands every request the same attribute value objects (the in-memory store
   * keeps values by reference, as a servlet container does): a value changed in place is then
   * seen by every request at once, with or without a write-back, so the tests that check what a
   * refused write-back left in the store do not apply. The default, {@code false}, is right for a
   * store that serializes values.
   *
   * @return whether attribute values are shared between requests rather than copied
   */
  protected boolean sharesAttributeValues() {
    return false;
  }

  /**
   * Returns a manager over {@code over} with the defaults and the test clock.
   *
   * @param over the stores the manager uses
   * @return a manager over {@code over} with the defaults and the test clock
   */
  protected SessionManager manager(Stores over) {
    return manager(over, c -> { });
  }

  /**
   * Returns a manager over {@code over} whose configuration {@code config} adjusts.
   *
   * @param over the stores the manager uses
   * @param config adjusts the builder of the configuration (timeouts, cap)
   * @return a manager over {@code over} whose configuration {@code config} adjusts
   */
  protected SessionManager manager(Stores over, Consumer<SessionConfig.Builder> config) {
    SessionConfig.Builder b = SessionConfig.builder().idleTimeout(IDLE);
    config.accept(b);
    return SessionManager.builder().stores(over).clock(clock).config(b.build())
        .listener(events::add).build();
  }

  /**
   * Returns the stores under test.
   *
   * @return the stores under test
   */
  protected Stores stores() {
    return stores;
  }

  private static String rememberMe(IssuedSession issued) {
    return issued.rememberMe().orElseThrow().value();
  }

  private boolean theftAlarmed() {
    return events.stream().anyMatch(e -> e.type() == SessionEvent.Type.REMEMBER_ME_THEFT);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("the released thread did not finish", e);
    }
  }

  /** Returns the principal's live session ids, by listing and by resolving nothing else. */
  private static List<String> idsOf(SessionManager manager, String principal) {
    return manager.sessionsOf(principal).stream().map(Session::id).toList();
  }

  // ------------------------------------------------------------ I1: revocation is final

  /**
   * The attacker loops {@code GET /account} with a stolen remember-me cookie while the victim
   * changes the password: the resume is parked after each of its steps in turn while the
   * credential change runs to completion.
   */
  @Test
  void forceLogoutWinsOverAnInFlightRememberMeResumeAtEveryStep() {
    for (Operation step : List.of(Operation.SERIES_FIND, Operation.PRINCIPAL_GENERATION,
        Operation.SERIES_REPLACE)) {
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = manager(interleaving.stores());
        String stolen = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
        IssuedSession victim = manager.authenticate("alice", ClientInfo.NONE, false);
        clock.advance(Duration.ofMinutes(5));

        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        CompletableFuture<RememberMeResult> attacker =
            CompletableFuture.supplyAsync(() -> manager.resumeRememberMe(stolen, ClientInfo.NONE));
        pause.awaitParked(WAIT);
        IssuedSession changed = manager.credentialsChanged(victim.session());
        pause.release();
        RememberMeResult result = join(attacker);

        assertThat(idsOf(manager, "alice")).as("after parking at %s", step)
            .containsExactly(changed.session().id());
        result.issued().ifPresent(issued ->
            assertThat(manager.resolve(issued.token())).as("at %s", step).isEmpty());
        assertThat(manager.resumeRememberMe(stolen, ClientInfo.NONE).status())
            .isNotEqualTo(Status.RESUMED);
      }
    }
  }

  /** A valid resume racing a forged validator for the same selector keeps no session. */
  @Test
  void theftResponseWinsOverAValidResumeInFlight() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      String valid = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
      // another validator for the same selector (and routing tag, if the store gives one)
      String forged = valid.substring(0, 17) + "A".repeat(43) + valid.substring(60);

      InterleavingStore.Pause pause = interleaving.pauseAfter(Operation.SERIES_REPLACE);
      CompletableFuture<RememberMeResult> resume =
          CompletableFuture.supplyAsync(() -> manager.resumeRememberMe(valid, ClientInfo.NONE));
      pause.awaitParked(WAIT);
      assertThat(manager.resumeRememberMe(forged, ClientInfo.NONE).status())
          .isEqualTo(Status.THEFT_DETECTED);
      pause.release();
      RememberMeResult result = join(resume);

      assertThat(idsOf(manager, "alice")).isEmpty();
      result.issued().ifPresent(issued -> assertThat(manager.resolve(issued.token())).isEmpty());
    }
  }

  /** A login (password checked, then the call) in flight during "sign out everywhere". */
  @Test
  void logoutAllWinsOverAnInFlightLoginAtEveryStep() {
    for (Operation step : List.of(Operation.PRINCIPAL_GENERATION, Operation.SERIES_CREATE)) {
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = manager(interleaving.stores());
        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        CompletableFuture<IssuedSession> login = CompletableFuture.supplyAsync(
            () -> manager.authenticate("alice", ClientInfo.NONE, true));
        pause.awaitParked(WAIT);
        manager.logoutAll("alice");
        pause.release();

        IssuedSession issued;
        try {
          issued = join(login);
        } catch (SessionEndedException refused) {
          assertThat(idsOf(manager, "alice")).isEmpty();
          continue;
        }
        assertThat(manager.resolve(issued.token())).as("at %s", step).isEmpty();
        assertThat(manager.resumeRememberMe(rememberMe(issued), ClientInfo.NONE).status())
            .isNotEqualTo(Status.RESUMED);
        assertThat(idsOf(manager, "alice")).isEmpty();
      }
    }
  }

  /** A login from an anonymous session (the cart) in flight during "sign out everywhere". */
  @Test
  void logoutAllWinsOverAnInFlightLoginFromAnAnonymousSession() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      String anonymous = manager.startAnonymous(ClientInfo.NONE).token();
      InterleavingStore.Pause pause = interleaving.pauseAfter(Operation.PRINCIPAL_GENERATION);
      CompletableFuture<IssuedSession> login = CompletableFuture.supplyAsync(
          () -> manager.authenticate(anonymous, "alice", ClientInfo.NONE, false));
      pause.awaitParked(WAIT);
      manager.logoutAll("alice");
      pause.release();

      assertThatThrownBy(() -> join(login)).isInstanceOf(SessionEndedException.class);
      assertThat(idsOf(manager, "alice")).isEmpty();
      assertThat(manager.resolve(anonymous)).as("the anonymous cart stays").isPresent();
    }
  }

  /** After a breach: every session and series of everyone ends, with one event. */
  @Test
  void logoutEveryoneEndsEverySessionAndSeriesWithOneEvent() {
    SessionManager manager = manager(stores());
    IssuedSession alice = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, false);
    IssuedSession cart = manager.startAnonymous(ClientInfo.NONE);
    events.clear();

    assertThat(manager.logoutEveryone()).isEqualTo(3);

    for (IssuedSession issued : List.of(alice, bob, cart)) {
      assertThat(manager.resolve(issued.token())).isEmpty();
    }
    assertThat(manager.resumeRememberMe(rememberMe(alice), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(events).extracting(SessionEvent::type)
        .containsExactly(SessionEvent.Type.EVERYONE_LOGGED_OUT);
    assertThat(theftAlarmed()).isFalse();
    IssuedSession again = manager.authenticate("alice", ClientInfo.NONE, true);
    assertThat(manager.resolve(again.token())).as("signing in again works").isPresent();
  }

  /**
   * A stolen remember-me cookie replayed while the administrator ends everything: the resume is
   * parked after each of its steps; its device has no session left (only the series), so only the
   * raised generations can stop it.
   */
  @Test
  void logoutEveryoneWinsOverAnInFlightRememberMeResumeAtEveryStep() {
    for (Operation step : List.of(Operation.SERIES_FIND, Operation.PRINCIPAL_GENERATION,
        Operation.SERIES_REPLACE)) {
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = manager(interleaving.stores());
        String stolen = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
        clock.advance(IDLE.plusMinutes(1));
        manager.purgeExpired(); // the session timed out; the series lives on

        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        CompletableFuture<RememberMeResult> attacker =
            CompletableFuture.supplyAsync(() -> manager.resumeRememberMe(stolen, ClientInfo.NONE));
        pause.awaitParked(WAIT);
        manager.logoutEveryone();
        pause.release();
        RememberMeResult result = join(attacker);

        assertThat(idsOf(manager, "alice")).as("after parking at %s", step).isEmpty();
        result.issued().ifPresent(issued ->
            assertThat(manager.resolve(issued.token())).as("at %s", step).isEmpty());
        assertThat(manager.resumeRememberMe(stolen, ClientInfo.NONE).status())
            .isNotEqualTo(Status.RESUMED);
      }
    }
  }

  /**
   * A sign-in (with remember-me, from the user's anonymous cart) in flight while the
   * administrator ends everything: the login is parked after each of its store calls in turn. The
   * user has a session on another device, so the store knows the principal (SECURITY.md's known
   * limit, a principal the store never saw, does not apply).
   */
  @Test
  void logoutEveryoneWinsOverAnInFlightLoginAtEveryStep() {
    for (Operation step : List.of(Operation.PRINCIPAL_GENERATION, Operation.SERIES_CREATE,
        Operation.SESSION_ROTATE)) {
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = manager(interleaving.stores());
        manager.authenticate("alice", ClientInfo.NONE, false); // her phone
        String cart = manager.startAnonymous(ClientInfo.NONE).token();
        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        CompletableFuture<IssuedSession> login = CompletableFuture.supplyAsync(
            () -> manager.authenticate(cart, "alice", ClientInfo.NONE, true));
        pause.awaitParked(WAIT);
        manager.logoutEveryone();
        pause.release();

        IssuedSession issued;
        try {
          issued = join(login);
        } catch (SessionEndedException refused) {
          assertThat(idsOf(manager, "alice")).as("refused at %s", step).isEmpty();
          continue;
        }
        assertThat(manager.resolve(issued.token())).as("at %s", step).isEmpty();
        assertThat(manager.resumeRememberMe(rememberMe(issued), ClientInfo.NONE).status())
            .as("at %s", step).isNotEqualTo(Status.RESUMED);
        assertThat(idsOf(manager, "alice")).as("at %s", step).isEmpty();
      }
    }
  }

  /**
   * A breach response whose store calls fail (before or after applying, at either step) grants
   * nothing meanwhile and completes when called again.
   */
  @Test
  void logoutEveryoneThatFailsGrantsNothingAndCompletesWhenRetried() {
    for (Operation step : List.of(Operation.SESSION_REVOKE_ALL, Operation.SERIES_REVOKE_ALL)) {
      for (Fault fault : Fault.values()) {
        try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
          SessionManager manager = manager(faults.stores());
          IssuedSession alice = manager.authenticate("alice", ClientInfo.NONE, true);
          IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, false);
          faults.failNext(step, fault);

          assertThatThrownBy(manager::logoutEveryone).as("%s %s", step, fault)
              .isInstanceOf(SessionStoreException.class);
          if (step == Operation.SERIES_REVOKE_ALL) {
            // the sessions step completed: nothing resolves, the series grants nothing
            assertThat(manager.resolve(alice.token())).as("%s %s", step, fault).isEmpty();
            assertThat(manager.resumeRememberMe(rememberMe(alice), ClientInfo.NONE).status())
                .as("%s %s", step, fault).isNotEqualTo(Status.RESUMED);
          }
          faults.heal();
          manager.logoutEveryone();

          assertThat(manager.resolve(alice.token())).as("%s %s", step, fault).isEmpty();
          assertThat(manager.resolve(bob.token())).as("%s %s", step, fault).isEmpty();
          assertThat(manager.resumeRememberMe(rememberMe(alice), ClientInfo.NONE).status())
              .as("%s %s", step, fault).isNotEqualTo(Status.RESUMED);
          assertThat(theftAlarmed()).as("%s %s", step, fault).isFalse();
        }
      }
    }
  }

  /** An account disabled: every session and series of one principal ends, nobody else's. */
  @Test
  void logoutAllEndsOnePrincipalEverywhereWithAnEventAndLeavesOthers() {
    SessionManager manager = manager(stores());
    IssuedSession phone = manager.authenticate("alice", ClientInfo.of("198.51.100.7", "Phone"),
        true);
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, true);
    events.clear();

    assertThat(manager.logoutAll("alice")).isEqualTo(2);

    assertThat(manager.resolve(phone.token())).isEmpty();
    assertThat(manager.resolve(laptop.token())).isEmpty();
    assertThat(manager.resumeRememberMe(rememberMe(phone), ClientInfo.NONE).status())
        .isNotEqualTo(Status.RESUMED);
    assertThat(manager.resolve(bob.token())).isPresent();
    assertThat(manager.resumeRememberMe(rememberMe(bob), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
    assertThat(events).filteredOn(e -> e.type() == SessionEvent.Type.LOGGED_OUT_EVERYWHERE)
        .singleElement().satisfies(e -> {
          assertThat(e.principal()).contains("alice");
          assertThat(e.sessionId()).isEmpty();
        });
    assertThat(events).filteredOn(e -> e.type() == SessionEvent.Type.REVOKED)
        .extracting(e -> e.sessionId().orElseThrow())
        .containsExactlyInAnyOrder(phone.session().id(), laptop.session().id());
  }

  /**
   * A bounded stress run (at most 1000 trials or 5 seconds) of resumes racing credential changes,
   * for what the fixed interleavings might miss.
   */
  @Test
  void stressResumesRacingCredentialChangesLeaveNoSurvivor() throws Exception {
    SessionManager manager = manager(stores);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int trial = 0;
    for (; trial < 1000 && System.nanoTime() < deadline; trial++) {
      String principal = "stress-" + trial;
      String stolen = rememberMe(manager.authenticate(principal, ClientInfo.NONE, true));
      IssuedSession victim = manager.authenticate(principal, ClientInfo.NONE, false);
      CompletableFuture<Void> attacker = CompletableFuture.runAsync(() -> {
        String cookie = stolen;
        for (int i = 0; i < 5; i++) {
          RememberMeResult r = manager.resumeRememberMe(cookie, ClientInfo.NONE);
          if (r.status() != Status.RESUMED) {
            return;
          }
          cookie = rememberMe(r.issued().orElseThrow());
        }
      });
      IssuedSession changed = manager.credentialsChanged(victim.session());
      attacker.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(idsOf(manager, principal)).as("trial %d", trial)
          .containsExactly(changed.session().id());
    }
    assertThat(trial).as("trials run within the time bound").isPositive();
  }

  // ------------------------------------------------------------ I2: unknown outcomes

  /**
   * The store applies a remember-me rotation and then times out (a Redis failover pausing
   * writes): the browser still holds its only cookie. Its next visit, long after the grace
   * period, resumes; it is never taken for theft.
   */
  @Test
  void aRotationAppliedThenFailedIsNotTheftOnTheNextVisit() {
    for (Fault fault : Fault.values()) {
      try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
        SessionManager manager = manager(faults.stores());
        String cookie = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
        clock.advance(Duration.ofHours(1));
        faults.failNext(Operation.SERIES_REPLACE, fault);
        assertThatThrownBy(() -> manager.resumeRememberMe(cookie, ClientInfo.NONE))
            .isInstanceOf(SessionStoreException.class);
        faults.heal();
        clock.advance(Duration.ofHours(1));

        assertThat(manager.resumeRememberMe(cookie, ClientInfo.NONE).status()).as("%s", fault)
            .isEqualTo(Status.RESUMED);
        assertThat(theftAlarmed()).as("%s", fault).isFalse();
      }
    }
  }

  /** The resumed session cannot be stored (before or after applying): the cookie still works. */
  @Test
  void aResumeWhoseSessionCreateFailedLeavesTheCookieWorking() {
    for (Fault fault : Fault.values()) {
      try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
        SessionManager manager = manager(faults.stores());
        String cookie = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
        clock.advance(Duration.ofHours(1));
        faults.failNext(Operation.SESSION_CREATE, fault);
        assertThatThrownBy(() -> manager.resumeRememberMe(cookie, ClientInfo.NONE))
            .isInstanceOf(SessionStoreException.class);
        faults.heal();
        clock.advance(Duration.ofMinutes(10));

        RememberMeResult retry = manager.resumeRememberMe(cookie, ClientInfo.NONE);
        assertThat(retry.status()).as("%s", fault).isEqualTo(Status.RESUMED);
        assertThat(theftAlarmed()).isFalse();
        assertThat(idsOf(manager, "alice")).as("no orphan of the failed resume (the login"
            + " session has idled out)").containsExactly(retry.issued().orElseThrow().session().id());
      }
    }
  }

  /** A renewal applied then failed: the browser keeps its old cookie and stays signed in. */
  @Test
  void aRenewalAppliedThenFailedKeepsTheOldTokenWorking() {
    for (Fault fault : Fault.values()) {
      try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
        SessionManager manager = manager(faults.stores());
        IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
        login.session().putAttribute("cart", "book");
        faults.failNext(Operation.SESSION_ROTATE, fault);
        assertThatThrownBy(() -> manager.renew(login.token()))
            .isInstanceOf(SessionStoreException.class);
        faults.heal();
        clock.advance(Duration.ofMinutes(1));

        Session session = manager.resolve(login.token()).orElseThrow();
        assertThat(session.getAttribute("cart")).contains("book");
        assertThat(manager.renew(login.token())).isPresent();
      }
    }
  }

  /** A login from an anonymous cart applied then failed: the cart is not lost. */
  @Test
  void aLoginRotationAppliedThenFailedKeepsTheCart() {
    for (Fault fault : Fault.values()) {
      try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
        SessionManager manager = manager(faults.stores());
        IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
        visit.session().putAttribute("cart", "book");
        faults.failNext(Operation.SESSION_ROTATE, fault);
        assertThatThrownBy(() -> manager.authenticate(visit.token(), "alice", ClientInfo.NONE,
            true)).isInstanceOf(SessionStoreException.class);
        faults.heal();

        IssuedSession retry = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
        assertThat(retry.session().getAttribute("cart")).as("%s", fault).contains("book");
        assertThat(idsOf(manager, "alice")).containsExactly(retry.session().id());
      }
    }
  }

  /**
   * Every store call of a whole day of one user (login with remember-me, requests, renewal,
   * browser restart, credential change, logout) fails once, before or after it is applied; the
   * browser retries the step. No run raises a theft alarm, and after the logout nothing of the
   * user resolves.
   */
  @Test
  void everyStoreCallFailingOnceNeverRaisesTheftOrKeepsALoggedOutSession() {
    for (Operation operation : Operation.values()) {
      for (Fault fault : Fault.values()) {
        events.clear();
        try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
          SessionManager manager = manager(faults.stores());
          faults.failNext(operation, fault);
          Browser browser = new Browser(manager, faults);
          browser.day();
          faults.heal(); // an operation the day never called is still armed
          assertThat(theftAlarmed()).as("%s %s", operation, fault).isFalse();
          assertThat(idsOf(manager, "alice")).as("%s %s", operation, fault).isEmpty();
          assertThat(browser.cookiesResolve()).as("%s %s", operation, fault).isFalse();
        }
      }
    }
  }

  /** One browser: its cookies, and each step retried once after an injected failure. */
  private final class Browser {
    private final SessionManager manager;
    private final FaultInjectingStore faults;
    private String session;
    private String remembered;

    Browser(SessionManager manager, FaultInjectingStore faults) {
      this.manager = manager;
      this.faults = faults;
    }

    void day() {
      step(() -> {
        IssuedSession login = manager.authenticate(session, "alice", ClientInfo.NONE, true);
        session = login.token();
        remembered = rememberMe(login);
      });
      step(() -> manager.resolve(session).orElseThrow().putAttribute("cart", "book"));
      clock.advance(Duration.ofMinutes(5));
      step(() -> session = manager.renew(session).orElseThrow().token());
      clock.advance(Duration.ofHours(2)); // the browser restarts: the session cookie is gone
      session = null;
      step(() -> {
        RememberMeResult result = manager.resumeRememberMe(remembered, ClientInfo.NONE);
        assertThat(result.status()).isEqualTo(Status.RESUMED);
        session = result.issued().orElseThrow().token();
        remembered = rememberMe(result.issued().orElseThrow());
      });
      step(() -> {
        IssuedSession changed =
            manager.credentialsChanged(manager.resolve(session).orElseThrow());
        session = changed.token();
        remembered = rememberMe(changed);
      });
      step(() -> {
        manager.logout(session);
        manager.forgetRememberMe(remembered);
      });
    }

    boolean cookiesResolve() {
      return (session != null && manager.resolve(session).isPresent())
          || (remembered != null
              && manager.resumeRememberMe(remembered, ClientInfo.NONE).status() == Status.RESUMED);
    }

    private void step(Runnable action) {
      try {
        action.run();
      } catch (SessionStoreException injected) {
        faults.heal();
        clock.advance(Duration.ofMinutes(1)); // the user retries after the error page
        action.run();
      }
    }
  }

  // ------------------------------------------------------------ I3: series belong to devices

  /** Cap 1: the resume's own device session is evicted, and the persistent login survives. */
  @Test
  void aResumeAtTheCapEvictsTheOldSessionAndKeepsTheSeries() {
    SessionManager manager = manager(stores, c -> c.maxSessionsPerPrincipal(1));
    String cookie = rememberMe(manager.authenticate("cara", ClientInfo.NONE, true));
    clock.advance(Duration.ofMinutes(5));
    RememberMeResult first = manager.resumeRememberMe(cookie, ClientInfo.NONE);
    assertThat(first.status()).isEqualTo(Status.RESUMED);
    clock.advance(Duration.ofMinutes(5));

    RememberMeResult second =
        manager.resumeRememberMe(rememberMe(first.issued().orElseThrow()), ClientInfo.NONE);
    assertThat(second.status()).isEqualTo(Status.RESUMED);
    assertThat(idsOf(manager, "cara")).containsExactly(second.issued().orElseThrow().session().id());
  }

  /** Revoking the stale row in the sessions list leaves the device remembered. */
  @Test
  void revokingAnOlderSessionOfADeviceKeepsItsRememberMe() {
    SessionManager manager = manager(stores);
    IssuedSession a1 = manager.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(Duration.ofMinutes(5));
    RememberMeResult a2 = manager.resumeRememberMe(rememberMe(a1), ClientInfo.NONE);
    assertThat(manager.revoke("alice", a1.session().id())).isTrue();
    clock.advance(Duration.ofMinutes(5));

    assertThat(manager.resumeRememberMe(rememberMe(a2.issued().orElseThrow()), ClientInfo.NONE)
        .status()).isEqualTo(Status.RESUMED);
  }

  /** Revoking the device's latest session ends its series too. */
  @Test
  void revokingTheLatestSessionOfADeviceEndsItsRememberMe() {
    SessionManager manager = manager(stores);
    IssuedSession a1 = manager.authenticate("alice", ClientInfo.NONE, true);
    assertThat(manager.revoke("alice", a1.session().id())).isTrue();
    assertThat(manager.resumeRememberMe(rememberMe(a1), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
  }

  /**
   * A login with remember-me from an anonymous visit (which a routing store moves to a new id in
   * the principal's slot), then the device's latest session is revoked: its series ends too.
   */
  @Test
  void revokingTheSessionOfALoginFromAnAnonymousVisitEndsItsRememberMe() {
    SessionManager manager = manager(stores);
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);

    assertThat(manager.revoke("alice", login.session().id())).isTrue();
    assertThat(manager.resumeRememberMe(rememberMe(login), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
  }

  /**
   * The same login from an anonymous visit, then the cap evicts that session for a login on
   * another device: the evicted device's series ends with its latest session.
   */
  @Test
  void theCapEvictingTheSessionOfALoginFromAnAnonymousVisitEndsItsRememberMe() {
    SessionManager manager = manager(stores, c -> c.maxSessionsPerPrincipal(1));
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    clock.advance(Duration.ofMinutes(1));
    IssuedSession other = manager.authenticate("alice", ClientInfo.NONE, false);

    assertThat(idsOf(manager, "alice")).containsExactly(other.session().id());
    assertThat(manager.resumeRememberMe(rememberMe(login), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
  }

  /** Idle past the timeout, then "log out": the remember-me cookie no longer resumes. */
  @Test
  void logoutAfterTheIdleTimeoutEndsTheSeries() {
    SessionManager manager = manager(stores);
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(IDLE.plusMinutes(1));
    assertThat(manager.logout(login.token())).isFalse();
    assertThat(manager.resumeRememberMe(rememberMe(login), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
  }

  // ------------------------------------------------------------ I4: the cap evicts LRU

  /** Cap 2: A (anonymous at t0, logs in at +20m), B (logs in at +10m, idle), C at +30m: B goes. */
  @Test
  void theCapEvictsTheLeastRecentlyUsedSessionNotTheLatestLogin() {
    SessionManager manager = manager(stores, c -> c.maxSessionsPerPrincipal(2));
    String a = manager.startAnonymous(ClientInfo.NONE).token();
    clock.advance(Duration.ofMinutes(10));
    IssuedSession b = manager.authenticate("alice", ClientInfo.NONE, false);
    clock.advance(Duration.ofMinutes(10));
    IssuedSession aLogin = manager.authenticate(a, "alice", ClientInfo.NONE, false);
    clock.advance(Duration.ofMinutes(10));
    IssuedSession c = manager.authenticate("alice", ClientInfo.NONE, false);

    assertThat(idsOf(manager, "alice")).containsExactlyInAnyOrder(aLogin.session().id(),
        c.session().id());
    assertThat(manager.resolve(b.token())).isEmpty();
  }

  // ------------------------------------------------------------ I5: parallel rotations

  /**
   * Two parallel requests of one browser both renew: both get a working session, and the token
   * each response sends resolves. (The loser rotates again from the winner's token, so the
   * winner's token is the one kept in grace; a third request still carrying the original token
   * after both renewals is not served.)
   */
  @Test
  void parallelRenewalsOfOneSessionBothSucceed() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
      Session seenByFirst = manager.resolve(login.token()).orElseThrow();
      Session seenBySecond = manager.resolve(login.token()).orElseThrow();

      InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_ROTATE);
      CompletableFuture<Optional<IssuedSession>> first =
          CompletableFuture.supplyAsync(() -> manager.renew(seenByFirst));
      pause.awaitParked(WAIT);
      IssuedSession second = manager.renew(seenBySecond).orElseThrow();
      pause.release();
      IssuedSession firstResult = join(first).orElseThrow();

      assertThat(firstResult.session().id()).isEqualTo(login.session().id());
      assertThat(manager.resolve(firstResult.token())).isPresent();
      assertThat(manager.resolve(second.token())).isPresent();
      assertThat(idsOf(manager, "alice")).containsExactly(login.session().id());
      clock.advance(Duration.ofMinutes(1));
      assertThat(manager.resolve(firstResult.token())).as("the last renewal's token stays")
          .isPresent();
    }
  }

  /**
   * A session's own idle timeout ends it after that span, and survives a renewal and a login
   * that another request started from a snapshot taken before the change.
   */
  @Test
  void aSessionsOwnIdleTimeoutOutlivesRotationsFromAnOlderSnapshot() {
    SessionManager manager = manager(stores);
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    Session older = manager.resolve(visit.token()).orElseThrow();
    Session current = manager.resolve(visit.token()).orElseThrow();

    current.setIdleTimeout(Duration.ofMinutes(5));
    assertThat(current.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    IssuedSession login = manager.authenticate(older, "alice", ClientInfo.NONE, false);
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();

    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    Session resolved = manager.resolve(renewed.token()).orElseThrow();
    assertThat(resolved.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(5));
    assertThat(manager.resolve(renewed.token())).isEmpty();
    assertThat(events).anyMatch(e -> e.type() == SessionEvent.Type.EXPIRED);
  }

  /** Without an idle timeout a session lives, unused, until its absolute deadline. */
  @Test
  void aSessionWithoutAnIdleTimeoutEndsAtItsAbsoluteDeadlineOnly() {
    SessionManager manager = manager(stores, c -> c.absoluteTimeout(Duration.ofHours(2)));
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    login.session().setIdleTimeout(Duration.ZERO);
    assertThat(login.session().hasIdleTimeout()).isFalse();

    clock.advance(Duration.ofMinutes(90));
    assertThat(manager.resolve(login.token())).isPresent();
    assertThat(manager.sessionsOf("alice")).hasSize(1);
    clock.advance(Duration.ofMinutes(30));
    assertThat(manager.resolve(login.token())).isEmpty();
    assertThat(manager.purgeExpired()).isZero();
  }

  /** An idle-timeout change that failed (applied or not) is reported, and a retry applies it. */
  @Test
  void anIdleTimeoutChangeThatFailedCanBeRetried() {
    for (Fault fault : Fault.values()) {
      try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
        SessionManager manager = manager(faults.stores());
        IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
        faults.failNext(Operation.SESSION_SET_IDLE_TIMEOUT, fault);
        assertThatThrownBy(() -> login.session().setIdleTimeout(Duration.ofMinutes(5)))
            .isInstanceOf(SessionStoreException.class);
        faults.heal();

        Session session = manager.resolve(login.token()).orElseThrow();
        session.setIdleTimeout(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(manager.resolve(login.token())).isEmpty();
      }
    }
  }

  /** An idle timeout the touch interval would defeat (a session in use ending) is refused. */
  @Test
  void anIdleTimeoutNotLongerThanTheTouchIntervalIsRefused() {
    SessionManager manager = manager(stores, c -> c.touchInterval(Duration.ofSeconds(2)));
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);

    assertThatThrownBy(() -> login.session().setIdleTimeout(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("touch interval");
    login.session().setIdleTimeout(Duration.ofMillis(2001));
    assertThat(manager.resolve(login.token()).orElseThrow().idleTimeout())
        .isEqualTo(Duration.ofMillis(2001));
  }

  /** An idle-timeout change of a session that ended meanwhile is refused, never revives it. */
  @Test
  void anIdleTimeoutChangeOfAnEndedSessionIsRefused() {
    SessionManager manager = manager(stores);
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    manager.logoutAll("alice");

    assertThatThrownBy(() -> login.session().setIdleTimeout(Duration.ofHours(1)))
        .isInstanceOf(SessionEndedException.class);
    assertThat(manager.resolve(login.token())).isEmpty();
  }

  /** The replaced token of a renewal resolves for the grace period only. */
  @Test
  void aRenewedTokenResolvesForTheGracePeriodOnly() {
    SessionManager manager = manager(stores, c -> c.rotationGracePeriod(Duration.ofSeconds(5)));
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    clock.advance(Duration.ofSeconds(4));
    assertThat(manager.resolve(login.token())).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(manager.resolve(login.token())).isEmpty();
    assertThat(manager.resolve(renewed.token())).isPresent();
  }

  /**
   * The login target of a token replaced by a login is that session, for the grace and the same
   * principal only, and never grants it; an ended session has none.
   */
  @Test
  void theLoginTargetOfAReplacedTokenIsItsSessionForTheGraceOnly() {
    SessionManager manager = manager(stores, c -> c.rotationGracePeriod(Duration.ofSeconds(5)));
    String anonymous = manager.startAnonymous(ClientInfo.NONE).token();
    assertThat(manager.loginTarget(anonymous, "alice")).as("nobody's session yet").isEmpty();
    IssuedSession login = manager.authenticate(anonymous, "alice", ClientInfo.NONE, false);
    String id = login.session().id();

    assertThat(manager.loginTarget(anonymous, "alice")).contains(id);
    assertThat(manager.loginTarget(login.token(), "alice")).contains(id);
    assertThat(manager.loginTarget(anonymous, "bob")).isEmpty();
    assertThat(manager.resolve(anonymous)).as("grants nothing").isEmpty();
    clock.advance(Duration.ofSeconds(5));
    assertThat(manager.loginTarget(anonymous, "alice")).isEmpty();
    assertThat(manager.loginTarget(login.token(), "alice")).contains(id);
    manager.logout(login.token());
    assertThat(manager.loginTarget(login.token(), "alice")).isEmpty();
    assertThat(manager.loginTarget("not a token", "alice")).isEmpty();
  }

  /** The anonymous token replaced by a login never resolves (fixation), not even in the grace. */
  @Test
  void aTokenReplacedByALoginNeverResolves() {
    SessionManager manager = manager(stores);
    String anonymous = manager.startAnonymous(ClientInfo.NONE).token();
    manager.authenticate(anonymous, "alice", ClientInfo.NONE, false);
    assertThat(manager.resolve(anonymous)).isEmpty();
    assertThat(manager.renew(anonymous)).isEmpty();
    assertThat(manager.logout(anonymous)).isFalse();
  }

  /** A double-submitted login form from an anonymous cart lands in one session with the cart. */
  @Test
  void aDoubleSubmittedLoginLandsInOneSessionWithTheCart() {
    SessionManager manager = manager(stores);
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    visit.session().putAttribute("cart", "book");
    IssuedSession first = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
    IssuedSession second = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);

    assertThat(second.session().id()).isEqualTo(first.session().id());
    assertThat(second.session().getAttribute("cart")).contains("book");
    assertThat(idsOf(manager, "alice")).containsExactly(first.session().id());
    assertThat(manager.resolve(second.token())).isPresent();
  }

  /** The same double submit, interleaved: both rotations read the anonymous token first. */
  @Test
  void aDoubleSubmittedLoginInterleavedLandsInOneSession() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
      visit.session().putAttribute("cart", "book");
      InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_ROTATE);
      CompletableFuture<IssuedSession> first = CompletableFuture.supplyAsync(
          () -> manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false));
      pause.awaitParked(WAIT);
      IssuedSession second = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
      pause.release();
      IssuedSession firstResult = join(first);

      assertThat(firstResult.session().id()).isEqualTo(second.session().id());
      assertThat(idsOf(manager, "alice")).containsExactly(second.session().id());
      assertThat(manager.resolve(firstResult.token()).orElseThrow().getAttribute("cart"))
          .contains("book");
    }
  }

  /**
   * Finding E (session fixation through a request in flight): a request that resolved the
   * anonymous session and writes after a parallel login (which keeps the session, its id and its
   * attributes) writes nothing into the now authenticated session: neither an attribute nor its
   * idle timeout. Its write is parked in the store until the login has run.
   */
  @Test
  void aRequestOfTheAnonymousSessionInFlightAcrossALoginWritesNothingIntoIt() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
      visit.session().putAttribute("cart", "book");
      Session inFlight = manager.resolve(visit.token()).orElseThrow();
      Session loggingIn = manager.resolve(visit.token()).orElseThrow();

      InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_UPDATE_ATTRIBUTES);
      CompletableFuture<Void> write = CompletableFuture.runAsync(
          () -> inFlight.putAttribute("afterLogin", "/planted"));
      pause.awaitParked(WAIT);
      IssuedSession login = manager.authenticate(loggingIn, "alice", ClientInfo.NONE, false);
      pause.release();

      assertThatThrownBy(() -> join(write)).isInstanceOf(SessionEndedException.class)
          .hasMessageContaining("signed in by another request");
      assertThatThrownBy(() -> inFlight.setIdleTimeout(Duration.ofHours(4)))
          .isInstanceOf(SessionEndedException.class);
      Session signedIn = manager.resolve(login.token()).orElseThrow();
      assertThat(signedIn.id()).isEqualTo(login.session().id());
      assertThat(signedIn.getAttribute("afterLogin")).as("the in-flight write").isEmpty();
      assertThat(signedIn.getAttribute("cart")).as("written before the login").contains("book");
      assertThat(signedIn.idleTimeout()).isEqualTo(IDLE);
      signedIn.putAttribute("theme", "dark");
      assertThat(manager.resolve(login.token()).orElseThrow().getAttribute("theme"))
          .as("the signed-in view writes").contains("dark");
    }
  }

  /**
   * The other order of the same race: an anonymous write that the store applied before the login
   * is kept, like any attribute set before signing in (the cart survives the login).
   */
  @Test
  void anAnonymousWriteAppliedBeforeAParallelLoginIsKept() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
      Session inFlight = manager.resolve(visit.token()).orElseThrow();

      InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_ROTATE);
      CompletableFuture<IssuedSession> login = CompletableFuture.supplyAsync(
          () -> manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false));
      pause.awaitParked(WAIT);
      inFlight.putAttribute("cart", "book");
      pause.release();

      assertThat(manager.resolve(join(login).token()).orElseThrow().getAttribute("cart"))
          .contains("book");
    }
  }

  /**
   * Finding E through the save mode: a request that read a mutable attribute of the anonymous
   * session, changed it in place and writes it back at its end, after a parallel login, writes
   * nothing; the authenticated session keeps the value it had at the login.
   */
  @Test
  void aWriteBackOfARequestInFlightAcrossALoginWritesNothingIntoTheSession() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
      visit.session().putAttribute("cart", new java.util.ArrayList<>(List.of("book")));
      Session inFlight = manager.resolve(visit.token()).orElseThrow();
      @SuppressWarnings("unchecked")
      List<String> cart = (List<String>) inFlight.getAttribute("cart").orElseThrow();
      cart.add("planted");

      InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_UPDATE_ATTRIBUTES);
      CompletableFuture<java.util.Set<String>> writeBack =
          CompletableFuture.supplyAsync(inFlight::saveChanges);
      pause.awaitParked(WAIT);
      IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
      pause.release();

      assertThatThrownBy(() -> join(writeBack)).isInstanceOf(SessionEndedException.class);
      if (!sharesAttributeValues()) {
        assertThat(manager.resolve(login.token()).orElseThrow().getAttribute("cart"))
            .contains(List.of("book"));
      }
    }
  }

  /**
   * A double-submitted login with remember-me from an anonymous visit, interleaved: the second
   * lands first (a routing store moves the session to a new id), the first rotates the session
   * where it landed. Revoking that session ends the series the first login issued.
   */
  @Test
  void aDoubleSubmittedRememberMeLoginInterleavedEndsItsSeriesWithTheSession() {
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = manager(interleaving.stores());
      IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
      InterleavingStore.Pause pause = interleaving.pauseBefore(Operation.SESSION_ROTATE);
      CompletableFuture<IssuedSession> first = CompletableFuture.supplyAsync(
          () -> manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true));
      pause.awaitParked(WAIT);
      IssuedSession second = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, false);
      pause.release();
      IssuedSession firstResult = join(first);

      assertThat(firstResult.session().id()).isEqualTo(second.session().id());
      assertThat(manager.revoke("alice", firstResult.session().id())).isTrue();
      assertThat(manager.resumeRememberMe(rememberMe(firstResult), ClientInfo.NONE).status())
          .isEqualTo(Status.INVALID);
    }
  }

  // ------------------------------------------------------------ I6: credential change

  /** A password change ends every other session and series and rotates the current tokens. */
  @Test
  void aCredentialChangeEndsOthersAndRotatesTheCurrentTokens() {
    SessionManager manager = manager(stores);
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession phone = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession changed = manager.credentialsChanged(laptop.session());

    assertThat(changed.session().id()).isEqualTo(laptop.session().id());
    assertThat(changed.token()).isNotEqualTo(laptop.token());
    assertThat(manager.resolve(laptop.token())).as("old token dead at once").isEmpty();
    assertThat(manager.resolve(changed.token())).isPresent();
    assertThat(manager.resolve(phone.token())).isEmpty();
    assertThat(manager.resumeRememberMe(rememberMe(phone), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(manager.resumeRememberMe(rememberMe(laptop), ClientInfo.NONE).status())
        .as("the old validator of this device").isNotEqualTo(Status.RESUMED);
    clock.advance(Duration.ofHours(9));
    assertThat(manager.resumeRememberMe(rememberMe(changed), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
    assertThat(theftAlarmed()).isFalse();
  }

  /**
   * The password was changed, then the current session turned out to have ended (it timed out
   * while the form was filled in, or a parallel logout ended it): the call still ends every other
   * session and series of the principal before it reports the ended session.
   */
  @Test
  void aCredentialChangeOnASessionThatEndedMidRequestStillEndsEveryOtherSession() {
    SessionManager manager = manager(stores);
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(IDLE.minusMinutes(1));
    IssuedSession phone = manager.authenticate("alice", ClientInfo.NONE, true);
    clock.advance(Duration.ofMinutes(2)); // the laptop's session timed out, the phone's did not
    assertThat(manager.resolve(phone.token())).isPresent();

    assertThatThrownBy(() -> manager.credentialsChanged(laptop.session()))
        .isInstanceOf(SessionEndedException.class);

    assertThat(manager.resolve(phone.token())).isEmpty();
    assertThat(manager.resumeRememberMe(rememberMe(phone), ClientInfo.NONE).status())
        .isEqualTo(Status.INVALID);
    assertThat(manager.resumeRememberMe(rememberMe(laptop), ClientInfo.NONE).status())
        .isNotEqualTo(Status.RESUMED);
    assertThat(idsOf(manager, "alice")).isEmpty();

    assertThat(manager.resolve(manager.authenticate("alice", ClientInfo.NONE, false).token()))
        .as("signing in again works").isPresent();
  }

  /** A double-submitted password form: the second call keeps the first one's device signed in. */
  @Test
  void aRepeatedCredentialChangeKeepsTheCurrentDevice() {
    SessionManager manager = manager(stores);
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.NONE, true);
    IssuedSession first = manager.credentialsChanged(laptop.session());
    IssuedSession second = manager.credentialsChanged(first.session());
    assertThat(manager.resolve(second.token())).isPresent();
    clock.advance(Duration.ofHours(9));
    assertThat(manager.resumeRememberMe(rememberMe(second), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
  }

  /** Theft detection still works: a replaced validator after the grace of a confirmed rotation. */
  @Test
  void aReplacedValidatorAfterAConfirmedRotationIsTheft() {
    SessionManager manager = manager(stores);
    String stolen = rememberMe(manager.authenticate("alice", ClientInfo.NONE, true));
    RememberMeResult attacker = manager.resumeRememberMe(stolen, ClientInfo.NONE);
    assertThat(attacker.status()).isEqualTo(Status.RESUMED);
    clock.advance(Duration.ofMinutes(1));

    assertThat(manager.resumeRememberMe(stolen, ClientInfo.NONE).status())
        .isEqualTo(Status.THEFT_DETECTED);
    assertThat(manager.resolve(attacker.issued().orElseThrow().token())).isEmpty();
    assertThat(idsOf(manager, "alice")).isEmpty();
  }

  /** Under the refusing cap policy, a refused resume leaves the cookie valid for later. */
  @Test
  void aResumeRefusedAtTheCapLeavesTheCookieValid() {
    SessionManager manager = manager(stores, c -> c.maxSessionsPerPrincipal(1)
        .sessionCapPolicy(SessionCapPolicy.REFUSE_NEW));
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    assertThatThrownBy(() -> manager.resumeRememberMe(rememberMe(login), ClientInfo.NONE))
        .isInstanceOf(dev.sessionkit.SessionLimitExceededException.class);
    clock.advance(IDLE.plusMinutes(1)); // the one session timed out: there is room again

    assertThat(manager.resumeRememberMe(rememberMe(login), ClientInfo.NONE).status())
        .isEqualTo(Status.RESUMED);
    assertThat(theftAlarmed()).isFalse();
  }
}
