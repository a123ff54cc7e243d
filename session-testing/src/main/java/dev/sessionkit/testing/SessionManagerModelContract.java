// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Drives a {@link SessionManager} over a store with random sequences of operations (jqwik
 * stateful testing) and checks every answer against a small reference model of the lifecycle
 * rules: timeouts, login rotation and its fixation rule, the rotation grace of renewals and
 * parallel logins, remember-me rotation, grace and theft, series that belong to devices, the
 * least-recently-used cap, force logout and the credential change. A store module extends it and
 * supplies {@link #createStores()}; the module must have jqwik on its test class path (it is an
 * optional dependency of session-testing), surefire must run {@code *Properties} or {@code *Test}
 * classes, and {@code jqwik.tries.default} in the module's {@code junit-platform.properties} sets
 * how many chains run (jqwik's own default is 1000).
 */
public abstract class SessionManagerModelContract {

  static final Duration IDLE = Duration.ofMinutes(10);
  static final Duration ABSOLUTE = Duration.ofHours(1);
  static final Duration REMEMBER = Duration.ofHours(2);
  static final Duration GRACE = Duration.ofSeconds(5);
  static final Duration ROTATION_GRACE = Duration.ofSeconds(5);
  static final int CAP = 3;
  static final List<String> PRINCIPALS = List.of("alice", "bob", "carol");

  /**
   * Returns new, empty stores for one chain of operations (closed when the chain ends).
   *
   * @return new, empty stores for one chain of operations (closed when the chain ends)
   */
  protected abstract Stores createStores();

  /**
   * Runs {@code jqwik.tries.default} chains (set per module in {@code junit-platform.properties}:
   * a store with a remote backend runs fewer, since each chain makes hundreds of store calls).
   */
  @Property
  void managerAgreesWithTheModel(@ForAll("chains") ActionChain<World> chain) {
    try {
      chain.run();
    } finally {
      chain.finalState().ifPresent(World::close);
    }
  }

  @Provide
  Arbitrary<ActionChain<World>> chains() {
    return ActionChain.<World>startWith(() -> new World(createStores()))
        .withAction(3, new StartAnonymous())
        .withAction(5, new Authenticate())
        .withAction(6, new Resolve())
        .withAction(4, new AdvanceClock())
        .withAction(2, new Renew())
        .withAction(2, new Logout())
        .withAction(3, new ResumeRememberMe())
        .withAction(2, new LogoutOthers())
        .withAction(1, new CredentialsChanged())
        .withAction(1, new Revoke())
        .withMaxTransformations(60);
  }

  // ------------------------------------------------------------------ the model

  static final class ModelSession {
    /** The id; a login on a store that routes may move an anonymous session to a new one. */
    String id;
    String principal;
    long last;
    long absolute;
    /** The selector of the device's series, or null. */
    String selector;
    boolean ended;
    String currentToken;
    String previousToken;

    ModelSession(String id, String principal, long now, String selector) {
      this.id = id;
      this.principal = principal;
      this.last = now;
      this.absolute = now + ABSOLUTE.toMillis();
      this.selector = selector;
    }

    long expiresAt() {
      return Math.min(last + IDLE.toMillis(), absolute);
    }
  }

  /** What one issued token is now: its session's current token, its previous one, or nothing. */
  static final class TokenState {
    final ModelSession session;
    boolean renewal;
    long graceUntil;

    TokenState(ModelSession session) {
      this.session = session;
    }

    boolean isCurrent() {
      return token().equals(session.currentToken);
    }

    boolean isPrevious() {
      return token().equals(session.previousToken);
    }

    private String token;

    String token() {
      return token;
    }
  }

  static final class ModelSeries {
    final String principal;
    final long expiresAt;
    String current;
    String previous;
    long graceUntil;
    boolean ended;
    String latestSessionId;

    ModelSeries(String principal, String value, long expiresAt, String latestSessionId) {
      this.principal = principal;
      this.current = value;
      this.expiresAt = expiresAt;
      this.latestSessionId = latestSessionId;
    }
  }

  /**
   * The real manager and the model side by side. A model session is {@code ended} once the store
   * no longer holds it: ended by a call, or removed because a lookup found it expired (the store
   * keeps an expired session until then, and force logout counts it).
   */
  static final class World implements AutoCloseable {
    final MutableClock clock = MutableClock.at(Instant.parse("2026-05-01T00:00:00Z"));
    final Stores stores;
    final SessionManager manager;
    final Map<String, TokenState> tokenStates = new HashMap<>();
    final Map<String, ModelSession> byId = new HashMap<>();
    final Map<String, ModelSeries> bySelector = new HashMap<>();
    final List<String> tokens = new ArrayList<>();
    final List<String> rememberMeTokens = new ArrayList<>();

    World(Stores stores) {
      this.stores = stores;
      manager = SessionManager.builder().stores(stores)
          .config(SessionConfig.builder().idleTimeout(IDLE).absoluteTimeout(ABSOLUTE)
              .rememberMeLifetime(REMEMBER).rememberMeGracePeriod(GRACE)
              .rotationGracePeriod(ROTATION_GRACE).maxSessionsPerPrincipal(CAP)
              .touchInterval(Duration.ZERO).build())
          .clock(clock).build();
    }

    long now() {
      return clock.millis();
    }

    /** The session a store still finds {@code token} under (current or previous), or null. */
    TokenState found(String token) {
      TokenState ts = tokenStates.get(token);
      if (ts == null || ts.session.ended || !(ts.isCurrent() || ts.isPrevious())) {
        return null;
      }
      return ts;
    }

    /** Whether {@code token} resolves: the current token, or a renewed one in its grace. */
    boolean resolves(TokenState ts) {
      return ts.isCurrent() || (ts.isPrevious() && ts.renewal && now() < ts.graceUntil);
    }

    /** The live session {@code token} resolves to; an expired one ends (the store removes it). */
    ModelSession live(String token) {
      TokenState ts = found(token);
      if (ts == null || !resolves(ts)) {
        return null;
      }
      if (now() >= ts.session.expiresAt()) {
        ts.session.ended = true;
        return null;
      }
      return ts.session;
    }

    /** A new session and its first token. */
    void issue(String token, ModelSession session) {
      byId.put(session.id, session);
      setToken(session, token);
      session.previousToken = null;
    }

    /** The session gets {@code token}; its current one becomes its previous (with a grace). */
    void rotate(ModelSession session, String token, boolean renewal, boolean grace) {
      TokenState old = tokenStates.get(session.currentToken);
      session.previousToken = grace ? session.currentToken : null;
      if (old != null) {
        old.renewal = renewal;
        old.graceUntil = now() + ROTATION_GRACE.toMillis();
      }
      setToken(session, token);
    }

    private void setToken(ModelSession session, String token) {
      TokenState ts = new TokenState(session);
      ts.token = token;
      tokenStates.put(token, ts);
      session.currentToken = token;
      tokens.add(token);
    }

    void endSeries(String selector) {
      if (selector != null && bySelector.containsKey(selector)) {
        bySelector.get(selector).ended = true;
      }
    }

    void endSeriesIfLatest(ModelSession s) {
      ModelSeries series = s.selector == null ? null : bySelector.get(s.selector);
      if (series != null && s.id.equals(series.latestSessionId)) {
        series.ended = true;
      }
    }

    /** The cap: the least recently used live sessions other than {@code keep} make room. */
    void enforceCap(String principal, String keep) {
      List<ModelSession> others = byId.values().stream()
          .filter(s -> !s.ended && principal.equals(s.principal) && now() < s.expiresAt()
              && !s.id.equals(keep))
          .sorted(Comparator.comparingLong((ModelSession s) -> s.last).thenComparing(s -> s.id))
          .toList();
      for (int i = 0; i < others.size() + 1 - CAP; i++) {
        others.get(i).ended = true;
        endSeriesIfLatest(others.get(i));
      }
    }

    /** A force logout of {@code principal} keeping {@code keep} and its series. */
    long sweep(String principal, ModelSession keep) {
      long count = byId.values().stream()
          .filter(s -> s != keep && !s.ended && principal.equals(s.principal)).count();
      byId.values().stream().filter(s -> s != keep && principal.equals(s.principal))
          .forEach(s -> s.ended = true);
      bySelector.entrySet().stream()
          .filter(e -> principal.equals(e.getValue().principal)
              && (keep == null || !e.getKey().equals(keep.selector)))
          .forEach(e -> e.getValue().ended = true);
      return count;
    }

    void checkSession(Session real, ModelSession model) {
      assertThat(real.id()).isEqualTo(model.id);
      assertThat(real.principal()).isEqualTo(Optional.ofNullable(model.principal));
      assertThat(real.lastAccessedAt().toEpochMilli()).isEqualTo(model.last);
      assertThat(real.expiresAt().toEpochMilli()).isEqualTo(model.expiresAt());
    }

    void checkPrincipalIndex() {
      for (String principal : PRINCIPALS) {
        Set<String> expected = byId.values().stream()
            .filter(s -> !s.ended && principal.equals(s.principal) && now() < s.expiresAt())
            .map(s -> s.id).collect(Collectors.toSet());
        assertThat(manager.sessionsOf(principal)).extracting(Session::id)
            .as("sessions of %s", principal).containsExactlyInAnyOrderElementsOf(expected);
      }
    }

    @Override
    public void close() {
      stores.close();
    }

    @Override
    public String toString() {
      return "World[" + byId.size() + " sessions at " + clock.instant() + "]";
    }
  }

  /** Names the token an action picks, for the shrunk report. */
  static String label(String action, World world, String token) {
    return action + "(#" + world.tokens.indexOf(token) + ")";
  }

  // ------------------------------------------------------------------ actions

  /** An action on one of the tokens issued so far (the browser may present any it ever had). */
  abstract static class TokenAction implements Action.Dependent<World> {
    private final String name;

    TokenAction(String name) {
      this.name = name;
    }

    @Override
    public boolean precondition(World world) {
      return !world.tokens.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Arbitraries.of(world.tokens).map(token -> Transformer.mutate(
          label(name, world, token), w -> apply(w, token)));
    }

    /** Runs the action with {@code token} against the manager and the model. */
    abstract void apply(World w, String token);
  }

  static final class StartAnonymous implements Action.Independent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return Arbitraries.just(Transformer.mutate("startAnonymous", w -> {
        IssuedSession issued = w.manager.startAnonymous(ClientInfo.NONE);
        w.issue(issued.token(), new ModelSession(issued.session().id(), null, w.now(), null));
        w.checkPrincipalIndex();
      }));
    }
  }

  static final class Authenticate implements Action.Dependent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      Arbitrary<String> current = world.tokens.isEmpty()
          ? Arbitraries.just(null)
          : Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(world.tokens));
      return Combinators.combine(current, Arbitraries.of(PRINCIPALS), Arbitraries.of(true, false))
          .as((token, principal, remember) -> Transformer.mutate(
              "authenticate(" + (token == null ? "none" : "#" + world.tokens.indexOf(token))
                  + ", " + principal + ", " + remember + ")",
              w -> authenticate(w, token, principal, remember)));
    }

    private static void authenticate(World w, String token, String principal, boolean remember) {
      ModelSession cur = origin(w, token, principal);
      IssuedSession issued = w.manager.authenticate(token, principal, ClientInfo.NONE, remember);
      boolean inPlace = cur != null && (cur.principal == null || cur.principal.equals(principal));
      w.enforceCap(principal, inPlace ? cur.id : null);
      if (cur != null && !inPlace) {
        cur.ended = true;
        w.endSeries(cur.selector);
      }
      String selector = null;
      if (remember) {
        String value = issued.rememberMe().orElseThrow().value();
        selector = value.substring(0, 16);
        w.bySelector.put(selector, new ModelSeries(principal, value,
            w.now() + REMEMBER.toMillis(), issued.session().id()));
        w.rememberMeTokens.add(value);
      } else {
        assertThat(issued.rememberMe()).isEmpty();
      }
      ModelSession session;
      if (inPlace) {
        if (!issued.session().id().equals(cur.id)) {
          assertThat(cur.principal).as("only an anonymous session moves at a login").isNull();
          assertThat(w.stores.sessions().routingTag(principal)).as("a move to the principal's tag")
              .isNotEmpty();
          w.byId.remove(cur.id);
          cur.id = issued.session().id();
          w.byId.put(cur.id, cur);
        }
        String oldSeries = principal.equals(cur.principal) ? cur.selector : null;
        if (selector != null && oldSeries != null) {
          w.endSeries(oldSeries);
        }
        cur.principal = principal;
        cur.last = Math.max(w.now(), cur.last);
        cur.absolute = w.now() + ABSOLUTE.toMillis();
        cur.selector = selector != null ? selector : oldSeries;
        w.rotate(cur, issued.token(), false, true);
        session = cur;
      } else {
        if (cur != null) {
          assertThat(issued.session().id()).isNotEqualTo(cur.id);
        }
        session = new ModelSession(issued.session().id(), principal, w.now(), selector);
        w.issue(issued.token(), session);
      }
      w.checkSession(w.manager.resolve(issued.token()).orElseThrow(), session);
      if (inPlace) {
        assertThat(w.manager.resolve(token)).as("the token a login replaced never resolves")
            .isEmpty();
      }
      w.checkPrincipalIndex();
    }

    /** The session a login from {@code token} starts from (SessionLifecycle.loginOrigin). */
    private static ModelSession origin(World w, String token, String principal) {
      TokenState ts = token == null ? null : w.found(token);
      if (ts == null) {
        return null;
      }
      boolean parallelLogin = ts.isPrevious() && w.now() < ts.graceUntil
          && principal.equals(ts.session.principal);
      if (!ts.isCurrent() && !parallelLogin) {
        return null;
      }
      if (w.now() >= ts.session.expiresAt()) {
        ts.session.ended = true;
        return null;
      }
      return ts.session;
    }
  }

  static final class Resolve extends TokenAction {
    Resolve() {
      super("resolve");
    }

    @Override
    void apply(World w, String token) {
      ModelSession expected = w.live(token);
      Optional<Session> actual = w.manager.resolve(token);
      if (expected == null) {
        assertThat(actual).isEmpty();
      } else {
        expected.last = Math.max(expected.last, w.now());
        w.checkSession(actual.orElseThrow(), expected);
      }
    }
  }

  static final class AdvanceClock implements Action.Independent<World> {
    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return Arbitraries.of(1L, 3L, 6L, 120L, 540L, 599L, 600L, 660L, 1800L, 4200L)
          .map(seconds -> Transformer.mutate("advance " + seconds + "s", w -> {
            w.clock.advance(Duration.ofSeconds(seconds));
            w.checkPrincipalIndex();
          }));
    }
  }

  static final class Renew extends TokenAction {
    Renew() {
      super("renew");
    }

    @Override
    void apply(World w, String token) {
      ModelSession expected = w.live(token);
      Optional<IssuedSession> actual = w.manager.renew(token);
      if (expected == null) {
        assertThat(actual).isEmpty();
        return;
      }
      IssuedSession issued = actual.orElseThrow();
      expected.last = Math.max(expected.last, w.now());
      w.rotate(expected, issued.token(), true, true);
      w.checkSession(issued.session(), expected);
      ModelSession stillResolves = w.live(token);
      assertThat(w.manager.resolve(token).map(Session::id)).as("within the rotation grace")
          .isEqualTo(Optional.ofNullable(stillResolves).map(s -> s.id));
    }
  }

  static final class Logout extends TokenAction {
    Logout() {
      super("logout");
    }

    @Override
    void apply(World w, String token) {
      TokenState ts = w.found(token);
      boolean live = false;
      if (ts != null && w.resolves(ts)) {
        ModelSession s = ts.session;
        live = w.now() < s.expiresAt();
        s.ended = true;
        w.endSeries(s.selector); // even after a timeout: the device logs out
      }
      assertThat(w.manager.logout(token)).isEqualTo(live);
      assertThat(w.manager.resolve(token)).isEmpty();
      w.checkPrincipalIndex();
    }
  }

  static final class ResumeRememberMe implements Action.Dependent<World> {
    @Override
    public boolean precondition(World world) {
      return !world.rememberMeTokens.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Arbitraries.of(world.rememberMeTokens).map(value -> Transformer.mutate(
          "resumeRememberMe(#" + world.rememberMeTokens.indexOf(value) + ")", w -> {
            ModelSeries series = w.bySelector.get(value.substring(0, 16));
            long now = w.now();
            RememberMeResult result = w.manager.resumeRememberMe(value, ClientInfo.NONE);
            if (series == null || series.ended || now >= series.expiresAt) {
              if (series != null) {
                series.ended = true;
              }
              assertThat(result.status()).isEqualTo(Status.INVALID);
            } else if (series.current.equals(value)) {
              assertThat(result.status()).isEqualTo(Status.RESUMED);
              IssuedSession issued = result.issued().orElseThrow();
              String next = issued.rememberMe().orElseThrow().value();
              assertThat(next).startsWith(value.substring(0, 17)).isNotEqualTo(value);
              series.previous = series.current;
              series.current = next;
              series.graceUntil = now + GRACE.toMillis();
              series.latestSessionId = issued.session().id();
              w.rememberMeTokens.add(next);
              w.enforceCap(series.principal, null);
              ModelSession session = new ModelSession(issued.session().id(), series.principal,
                  now, value.substring(0, 16));
              w.issue(issued.token(), session);
              assertThat(issued.session().isRemembered()).isTrue();
              w.checkSession(issued.session(), session);
            } else if (value.equals(series.previous) && now < series.graceUntil) {
              assertThat(result.status()).isEqualTo(Status.RECENTLY_ROTATED);
            } else {
              assertThat(result.status()).isEqualTo(Status.THEFT_DETECTED);
              w.sweep(series.principal, null);
            }
            w.checkPrincipalIndex();
          }));
    }
  }

  static final class LogoutOthers extends TokenAction {
    LogoutOthers() {
      super("logoutOthers");
    }

    @Override
    void apply(World w, String token) {
      ModelSession current = w.live(token);
      Optional<Session> real = w.manager.resolve(token);
      if (current == null) {
        assertThat(real).isEmpty();
        return;
      }
      current.last = Math.max(current.last, w.now());
      int ended = w.manager.logoutOthers(real.orElseThrow());
      if (current.principal == null) {
        assertThat(ended).isZero();
        return;
      }
      assertThat(ended).isEqualTo(w.sweep(current.principal, current));
      w.checkPrincipalIndex();
    }
  }

  static final class CredentialsChanged extends TokenAction {
    CredentialsChanged() {
      super("credentialsChanged");
    }

    @Override
    void apply(World w, String token) {
      ModelSession current = w.live(token);
      Optional<Session> real = w.manager.resolve(token);
      if (current != null) {
        current.last = Math.max(current.last, w.now()); // the resolve touched it
      }
      if (current == null || current.principal == null) {
        assertThat(real.map(Session::isAuthenticated).orElse(false)).isFalse();
        return;
      }
      IssuedSession changed = w.manager.credentialsChanged(real.orElseThrow());
      w.sweep(current.principal, current);
      w.endSeries(current.selector);
      current.selector = null;
      changed.rememberMe().ifPresent(rm -> {
        current.selector = rm.value().substring(0, 16);
        w.bySelector.put(current.selector, new ModelSeries(current.principal, rm.value(),
            w.now() + REMEMBER.toMillis(), current.id));
        w.rememberMeTokens.add(rm.value());
      });
      w.rotate(current, changed.token(), false, false);
      w.checkSession(changed.session(), current);
      assertThat(w.manager.resolve(token)).as("the old token is dead at once").isEmpty();
      w.checkPrincipalIndex();
    }
  }

  static final class Revoke implements Action.Dependent<World> {
    @Override
    public boolean precondition(World world) {
      return !world.byId.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Combinators.combine(Arbitraries.of(List.copyOf(world.byId.keySet())),
          Arbitraries.of(PRINCIPALS)).as((id, principal) -> Transformer.mutate(
              "revoke(" + principal + ")", w -> {
                ModelSession s = w.byId.get(id);
                if (s == null) { // shrinking dropped the step that created it
                  assertThat(w.manager.revoke(principal, id)).isFalse();
                  return;
                }
                boolean own = !s.ended && principal.equals(s.principal);
                boolean live = own && w.now() < s.expiresAt();
                assertThat(w.manager.revoke(principal, id)).isEqualTo(live);
                if (own) {
                  s.ended = true;
                  if (live) {
                    w.endSeriesIfLatest(s); // only the device's latest session ends its series
                  }
                }
                w.checkPrincipalIndex();
              }));
    }
  }
}
