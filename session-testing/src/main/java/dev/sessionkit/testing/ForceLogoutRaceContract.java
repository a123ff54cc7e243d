// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.idsOf;
import static dev.sessionkit.testing.BreakerSupport.outcome;
import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionEndedException;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * I1, exhaustively: an operation of the attacker's device for alice (login, login from an anonymous
 * session, re-login, remember-me resume, renewal, credential change) is parked before or after the
 * k-th call (k = 1..3) of every store operation while the victim's force logout (logout-all,
 * credential change, logout-others, theft response) runs to completion; and the other way round,
 * the force logout parked while the attacker's operation runs. Afterwards no session of alice
 * except the kept one may resolve, and no token or remember-me cookie the attacker held before may
 * work. A login (password checked) counts as in flight only if it read the principal's generation
 * before the force logout's session sweep completed; a later login is legitimate.
 *
 * <p>A store module extends it and supplies {@link #createStores()}; each test gets new stores.
 */
public abstract class ForceLogoutRaceContract {

  enum Attack { FRESH_LOGIN, LOGIN_FROM_ANONYMOUS, RELOGIN_SAME_PRINCIPAL, RESUME, RENEW,
    CREDENTIALS_CHANGED }

  enum ForceLogout { LOGOUT_ALL, CREDENTIALS_CHANGED, LOGOUT_OTHERS, THEFT }

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  /**
   * Returns new, empty stores (or a fresh namespace of a shared backend).
   *
   * @return new, empty stores (or a fresh namespace of a shared backend)
   */
  protected abstract Stores createStores();

  /**
   * The number of calls of one operation to try parking at.
   *
   * @return how many calls of each operation to try
   */
  protected int maxCall() {
    return 3;
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void noSurvivorWhenTheAttackersOperationIsParkedAtAnyStoreCall() throws Exception {
    assertThat(run(true)).isEmpty();
  }

  @Test
  void noSurvivorWhenTheForceLogoutIsParkedAtAnyStoreCall() throws Exception {
    assertThat(run(false)).isEmpty();
  }

  private List<String> run(boolean parkAttack) throws Exception {
    List<String> failures = new ArrayList<>();
    int trials = 0;
    for (Attack attack : Attack.values()) {
      for (ForceLogout force : ForceLogout.values()) {
        Map<Operation, Long> calls = callsAlone(parkAttack, attack, force);
        for (Operation op : Operation.values()) {
          for (boolean before : new boolean[] {true, false}) {
            for (int k = 1; k <= Math.min(maxCall(), calls.get(op)); k++) {
              String failure = trial(parkAttack, attack, force, op, before, k);
              if (failure == null) {
                failures.add(String.format("%s vs %s: call %d of %s was not reached, though the"
                    + " %s alone makes it", attack, force, k, op,
                    parkAttack ? "attack" : "force logout"));
                continue;
              }
              trials++;
              if (!failure.isEmpty()) {
                failures.add(failure);
              }
            }
          }
        }
      }
    }
    assertThat(trials).as("interleavings run").isPositive();
    return failures;
  }

  /**
   * Returns how often the operation to be parked calls each store operation when it runs alone
   * from the trial's starting state. The parked side runs alone until its pause, so the k-th call
   * of an operation is reached in a trial exactly when it makes at least k such calls here: the
   * trials whose pause would never be reached (most of them) are skipped instead of run.
   */
  private Map<Operation, Long> callsAlone(boolean parkAttack, Attack attack, ForceLogout force) {
    BreakerSupport t = new BreakerSupport();
    try (FaultInjectingStore counting = new FaultInjectingStore(createStores())) {
      SessionManager m = t.manager(counting.stores());
      Fixture f = Fixture.create(m, t);
      Map<Operation, Long> before = new EnumMap<>(Operation.class);
      for (Operation op : Operation.values()) {
        before.put(op, counting.calls(op));
      }
      try {
        if (parkAttack) {
          attack(m, attack, f.attacker(), f.attackerSession(), f.anonymous());
        } else {
          force(m, force, f.victim(), f.victimSession(), new HashSet<>());
        }
      } catch (RuntimeException ended) {
        // counted up to where it ended, as in a trial
      }
      Map<Operation, Long> calls = new EnumMap<>(Operation.class);
      for (Operation op : Operation.values()) {
        calls.put(op, counting.calls(op) - before.get(op));
      }
      return calls;
    }
  }

  /** Returns null if the pause was never reached, "" if the trial held, else what broke. */
  private String trial(boolean parkAttack, Attack attack, ForceLogout force, Operation op,
      boolean before, int k) throws Exception {
    BreakerSupport t = new BreakerSupport();
    Stores raw = createStores();
    Recording recording = new Recording(raw.sessions());
    try (InterleavingStore interleaving =
        new InterleavingStore(new Stores(recording, raw.rememberMe()))) {
      SessionManager m = t.manager(interleaving.stores());
      Fixture f = Fixture.create(m, t);
      IssuedSession attacker = f.attacker();
      IssuedSession victim = f.victim();
      String anonymous = f.anonymous();
      Session attackerSession = f.attackerSession();
      Session victimSession = f.victimSession();

      Set<String> kept = new HashSet<>();
      Callable<Object> attackCall = () -> {
        ROLE.set("attack");
        try {
          return attack(m, attack, attacker, attackerSession, anonymous);
        } finally {
          ROLE.remove();
        }
      };
      Callable<Object> forceCall = () -> {
        ROLE.set("force");
        try {
          return force(m, force, victim, victimSession, kept);
        } finally {
          ROLE.remove();
        }
      };

      List<InterleavingStore.Pause> pauses = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        pauses.add(before ? interleaving.pauseBefore(op) : interleaving.pauseAfter(op));
      }
      for (int i = 0; i < k - 1; i++) {
        pauses.get(i).release();
      }
      InterleavingStore.Pause pause = pauses.get(k - 1);
      Future<Object> parked = executor.submit(parkAttack ? attackCall : forceCall);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!pause.isReached() && !parked.isDone() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      if (!pause.isReached()) {
        pause.release();
        outcome(parked);
        return null;
      }
      Object other;
      try {
        other = (parkAttack ? forceCall : attackCall).call();
      } catch (RuntimeException e) {
        other = e;
      }
      pause.release();
      Object late = outcome(parked);
      Object attackResult = parkAttack ? late : other;
      Object forceResult = parkAttack ? other : late;
      if (forceResult instanceof Throwable e) {
        if (attack == Attack.CREDENTIALS_CHANGED) {
          return ""; // the attacker's own force logout ended the victim's session first
        }
        return String.format("%s vs %s parked %s call %d of %s: the force logout threw %s",
            attack, force, before ? "before" : "after", k, op, e);
      }
      if (force == ForceLogout.THEFT && forceResult != Status.THEFT_DETECTED) {
        return ""; // no theft response ran (the attacker's credential change ended the series)
      }
      boolean login = attack == Attack.FRESH_LOGIN || attack == Attack.LOGIN_FROM_ANONYMOUS
          || attack == Attack.RELOGIN_SAME_PRINCIPAL;
      if (login && !(recording.attackRead.get() < recording.forceSwept.get())) {
        return ""; // the login read the generation after the sweep: a legitimate later login
      }

      List<String> problems = new ArrayList<>();
      List<String> alive = new ArrayList<>(idsOf(m, "alice"));
      alive.removeAll(kept);
      if (!alive.isEmpty()) {
        problems.add(alive.size() + " unkept session(s) of alice alive");
      }
      if (m.resolve(attacker.token()).isPresent()) {
        problems.add("the attacker's old session token resolves");
      }
      Optional<IssuedSession> issued = issued(attackResult);
      if (issued.isPresent() && !kept.contains(issued.get().session().id())
          && m.resolve(issued.get().token()).isPresent()) {
        problems.add("the token " + attack + " returned resolves");
      }
      t.clock.advance(Duration.ofMinutes(1)); // past the remember-me grace
      if (issued.isPresent() && issued.get().rememberMe().isPresent()
          && m.resumeRememberMe(rememberMe(issued.get()), ClientInfo.NONE).status()
              == Status.RESUMED) {
        problems.add("the remember-me cookie " + attack + " returned resumes");
      }
      if (m.resumeRememberMe(rememberMe(attacker), ClientInfo.NONE).status() == Status.RESUMED) {
        problems.add("the attacker's first remember-me cookie resumes");
      }
      if (problems.isEmpty()) {
        return "";
      }
      return String.format("%s (%s) vs %s (%s), %s parked %s call %d of %s: %s", attack,
          describe(attackResult), force, describe(forceResult),
          parkAttack ? "attack" : "force logout", before ? "before" : "after", k, op, problems);
    }
  }

  /** Where every trial starts: alice on two devices and an anonymous visit, a minute later. */
  private record Fixture(IssuedSession attacker, IssuedSession victim, String anonymous,
      Session attackerSession, Session victimSession) {

    static Fixture create(SessionManager m, BreakerSupport t) {
      IssuedSession attacker = m.authenticate("alice", ClientInfo.NONE, true);
      IssuedSession victim = m.authenticate("alice", ClientInfo.NONE, true);
      String anonymous = m.startAnonymous(ClientInfo.NONE).token();
      t.clock.advance(Duration.ofMinutes(1));
      return new Fixture(attacker, victim, anonymous, m.resolve(attacker.token()).orElseThrow(),
          m.resolve(victim.token()).orElseThrow());
    }
  }

  private static final ThreadLocal<String> ROLE = new ThreadLocal<>();

  /** Records when the attack first read the generation and when the force logout's sweep ended. */
  private static final class Recording extends ForwardingSessionStore {
    final AtomicLong clock = new AtomicLong();
    final AtomicLong attackRead = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong forceSwept = new AtomicLong(Long.MAX_VALUE);

    Recording(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public long principalGeneration(String principal) {
      if ("attack".equals(ROLE.get())) {
        attackRead.compareAndSet(Long.MAX_VALUE, clock.incrementAndGet());
      }
      return super.principalGeneration(principal);
    }

    @Override
    public java.util.List<String> revokePrincipal(String principal, Set<String> keep,
        long generation) {
      java.util.List<String> result = super.revokePrincipal(principal, keep, generation);
      if ("force".equals(ROLE.get())) {
        forceSwept.compareAndSet(Long.MAX_VALUE, clock.incrementAndGet());
      }
      return result;
    }
  }

  private static Object attack(SessionManager m, Attack attack, IssuedSession attacker,
      Session attackerSession, String anonymous) {
    return switch (attack) {
      case FRESH_LOGIN -> m.authenticate("alice", ClientInfo.NONE, true);
      case LOGIN_FROM_ANONYMOUS -> m.authenticate(anonymous, "alice", ClientInfo.NONE, true);
      case RELOGIN_SAME_PRINCIPAL ->
          m.authenticate(attacker.token(), "alice", ClientInfo.NONE, true);
      case RESUME -> m.resumeRememberMe(rememberMe(attacker), ClientInfo.NONE);
      case RENEW -> m.renew(attacker.token());
      case CREDENTIALS_CHANGED -> m.credentialsChanged(attackerSession);
    };
  }

  private static Object force(SessionManager m, ForceLogout force, IssuedSession victim,
      Session victimSession, Set<String> kept) {
    switch (force) {
      case LOGOUT_ALL -> {
        return m.logoutAll("alice");
      }
      case CREDENTIALS_CHANGED -> {
        IssuedSession changed = m.credentialsChanged(victimSession);
        kept.add(changed.session().id());
        return changed;
      }
      case LOGOUT_OTHERS -> {
        kept.add(victimSession.id());
        return m.logoutOthers(victimSession);
      }
      case THEFT -> {
        String cookie = rememberMe(victim); // selector.validator[.tag]: forge the validator
        String forged = cookie.substring(0, 17) + "A".repeat(43) + cookie.substring(60);
        RememberMeResult r = m.resumeRememberMe(forged, ClientInfo.NONE);
        return r.status();
      }
      default -> throw new AssertionError(force);
    }
  }

  private static Optional<IssuedSession> issued(Object result) {
    if (result instanceof IssuedSession i) {
      return Optional.of(i);
    }
    if (result instanceof RememberMeResult r) {
      return r.issued();
    }
    if (result instanceof Optional<?> o && o.isPresent() && o.get() instanceof IssuedSession i) {
      return Optional.of(i);
    }
    return Optional.empty();
  }

  private static String describe(Object result) {
    if (result instanceof Throwable e) {
      return e.getClass().getSimpleName();
    }
    if (result instanceof IssuedSession) {
      return "issued";
    }
    if (result instanceof RememberMeResult r) {
      return r.status().toString();
    }
    return String.valueOf(result);
  }



  /**
   * Theft is detected (the victim's browser presents the validator the thief's resume replaced),
   * but one store call of the theft sweep fails. The sweep deletes the series first, so the evidence
   * is gone: the victim's retry is INVALID, the sweep never runs again, and the thief's session stays
   * alive until its timeouts. I1 (a theft response is final) and I2 (unknown outcomes are safe).
   */
  @Test
  void aTheftResponseInterruptedByAStoreFailureLeavesNoSessionAlive() {
    List<String> survivors = new ArrayList<>();
    for (Operation op : List.of(Operation.SERIES_REVOKE_PRINCIPAL,
        Operation.SESSION_REVOKE_PRINCIPAL)) {
      for (Fault fault : Fault.values()) {
        BreakerSupport t = new BreakerSupport();
        try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
          SessionManager manager = t.manager(faults.stores());
          IssuedSession victim = manager.authenticate("alice", ClientInfo.NONE, true);
          String stolen = rememberMe(victim);
          RememberMeResult thief = manager.resumeRememberMe(stolen, ClientInfo.NONE);
          assertThat(thief.status()).isEqualTo(Status.RESUMED);
          String thiefToken = thief.issued().orElseThrow().token();
          t.clock.advance(Duration.ofMinutes(10));

          // the victim's browser presents its (replaced) validator: theft; the sweep hits a fault
          faults.failNext(op, fault);
          Object first;
          try {
            first = manager.resumeRememberMe(stolen, ClientInfo.NONE).status();
          } catch (SessionStoreException e) {
            first = "SessionStoreException";
          }
          faults.heal();
          t.clock.advance(Duration.ofMinutes(1));
          // the browser retries with the only cookie it has
          Status retry = manager.resumeRememberMe(stolen, ClientInfo.NONE).status();

          boolean thiefAlive = manager.resolve(thiefToken).isPresent();
          List<String> alive = idsOf(manager, "alice");
          if (thiefAlive || !alive.isEmpty()) {
            survivors.add(op + "/" + fault + ": first=" + first + ", retry=" + retry
                + ", thief session resolves=" + thiefAlive + ", live sessions of alice="
                + alive.size() + ", theft events=" + t.events.stream()
                    .filter(e -> e.type() == dev.sessionkit.SessionEvent.Type.REMEMBER_ME_THEFT)
                    .count());
          }
        }
      }
    }
    assertThat(survivors).as("theft detected, sweep failed once, browser retried: the thief"
        + " must not stay signed in").isEmpty();
  }






  /**
   * An administrator disables alice ({@code logoutAll}) while alice's other device changes its
   * password ({@code credentialsChanged}). Found by a breaker when the sweep deleted series first:
   * the credential change's new series carried the generation the logout-all raised to, and resumed
   * after "sign out everywhere" returned (I1). The logout-all is parked after each of its store
   * calls in turn while the credential change runs; afterwards nothing of alice resumes or resolves.
   */
  @Test
  void nothingOfACredentialChangeSurvivesARacingLogoutAll() {
    BreakerSupport t = new BreakerSupport();
    for (Operation step : List.of(Operation.PRINCIPAL_GENERATION,
        Operation.SESSION_REVOKE_PRINCIPAL, Operation.SERIES_REVOKE_PRINCIPAL)) {
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = t.manager(interleaving.stores());
        IssuedSession device = manager.authenticate("alice", ClientInfo.NONE, true);
        Session seen = manager.resolve(device.token()).orElseThrow();

        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        Future<Integer> logoutAll = executor.submit(() -> manager.logoutAll("alice"));
        pause.awaitParked(Duration.ofSeconds(10));
        IssuedSession changed;
        try {
          changed = manager.credentialsChanged(seen);
        } catch (SessionEndedException signedOutMeanwhile) {
          changed = null; // the logout-all ended this session first: right
        }
        pause.release();
        assertThat(outcome(logoutAll)).isInstanceOf(Integer.class); // "signed out everywhere"
        if (changed == null) {
          assertThat(idsOf(manager, "alice")).isEmpty();
          continue;
        }

        assertThat(idsOf(manager, "alice")).isEmpty();
        t.clock.advance(Duration.ofMinutes(10));
        assertThat(manager.resumeRememberMe(rememberMe(changed), ClientInfo.NONE).status())
            .as("the remember-me cookie issued by the racing credential change, after logoutAll"
                + " returned").isNotEqualTo(Status.RESUMED);
        assertThat(idsOf(manager, "alice")).isEmpty();
      }
    }
  }
}
