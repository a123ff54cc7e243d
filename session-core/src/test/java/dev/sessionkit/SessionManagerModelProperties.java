package dev.sessionkit;

import dev.sessionkit.spi.ClientInfo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.RememberMeResult.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Drives a {@link SessionManager} with random sequences of operations and checks every answer
 * against a small reference model of the lifecycle rules.
 */
class SessionManagerModelProperties {

  static final Duration IDLE = Duration.ofMinutes(10);
  static final Duration ABSOLUTE = Duration.ofHours(1);
  static final Duration REMEMBER = Duration.ofHours(2);
  static final Duration GRACE = Duration.ofSeconds(5);
  static final List<String> PRINCIPALS = List.of("alice", "bob", "carol");

  @Property(tries = 400)
  void managerAgreesWithTheModel(@ForAll("chains") ActionChain<World> chain) {
    chain.run();
  }

  @Provide
  Arbitrary<ActionChain<World>> chains() {
    return ActionChain.startWith(World::new)
        .withAction(3, new StartAnonymous())
        .withAction(4, new Authenticate())
        .withAction(6, new Resolve())
        .withAction(4, new AdvanceClock())
        .withAction(2, new Renew())
        .withAction(2, new Logout())
        .withAction(3, new ResumeRememberMe())
        .withAction(2, new LogoutOthers())
        .withAction(1, new Revoke())
        .withMaxTransformations(60);
  }

  // ------------------------------------------------------------------ the model

  static final class ModelSession {
    final String id;
    String principal;
    long last;
    long absolute;
    String selector;
    boolean ended;

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

  static final class ModelSeries {
    final String principal;
    final long expiresAt;
    String current;
    String previous;
    long graceUntil;
    boolean ended;
    /** The device's latest session: ending an older one leaves the series alone. */
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
  static final class World {
    final TestClock clock = TestClock.at(Instant.parse("2026-05-01T00:00:00Z"));
    final SessionManager manager = SessionManager.builder()
        .config(SessionConfig.builder().idleTimeout(IDLE).absoluteTimeout(ABSOLUTE)
            .rememberMeLifetime(REMEMBER).rememberMeGracePeriod(GRACE)
            .touchInterval(Duration.ZERO).rotationGracePeriod(Duration.ZERO).build())
        .clock(clock).build();
    final Map<String, ModelSession> byToken = new HashMap<>();
    final Map<String, ModelSession> byId = new HashMap<>();
    final Map<String, ModelSeries> bySelector = new HashMap<>();
    final List<String> tokens = new ArrayList<>();
    final List<String> rememberMeTokens = new ArrayList<>();

    long now() {
      return clock.millis();
    }

    /** The model's view of a presented token: its live session, ending it if it timed out. */
    ModelSession live(String token) {
      ModelSession s = byToken.get(token);
      if (s == null || s.ended) {
        return null;
      }
      if (now() >= s.expiresAt()) {
        s.ended = true;
        return null;
      }
      return s;
    }

    void issue(String token, ModelSession session) {
      byToken.put(token, session);
      byId.put(session.id, session);
      tokens.add(token);
    }

    void endSeries(String selector) {
      if (selector != null && bySelector.containsKey(selector)) {
        bySelector.get(selector).ended = true;
      }
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
    public String toString() {
      return "World[" + byId.size() + " sessions at " + clock.instant() + "]";
    }
  }

  // ------------------------------------------------------------------ actions

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
              "authenticate(" + (token == null ? "none" : "token") + ", " + principal + ", "
                  + remember + ")",
              w -> {
                ModelSession cur = token == null ? null : w.live(token);
                IssuedSession issued = w.manager.authenticate(token, principal, ClientInfo.NONE,
                    remember);
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
                boolean rotate = cur != null
                    && (cur.principal == null || cur.principal.equals(principal));
                if (rotate) {
                  assertThat(issued.session().id()).isEqualTo(cur.id);
                  w.byToken.remove(token);
                  cur.principal = principal;
                  cur.last = Math.max(w.now(), cur.last);
                  cur.absolute = w.now() + ABSOLUTE.toMillis();
                  if (selector != null) {
                    w.endSeries(cur.selector);
                    cur.selector = selector;
                  }
                  w.byToken.put(issued.token(), cur);
                  w.tokens.add(issued.token());
                } else {
                  if (cur != null) {
                    assertThat(issued.session().id()).isNotEqualTo(cur.id);
                    cur.ended = true;
                    w.endSeries(cur.selector);
                  }
                  w.issue(issued.token(),
                      new ModelSession(issued.session().id(), principal, w.now(), selector));
                }
                w.checkSession(w.manager.resolve(issued.token()).orElseThrow(),
                    w.byToken.get(issued.token()));
                w.checkPrincipalIndex();
              }));
    }
  }

  static final class Resolve implements Action.Dependent<World> {
    @Override
    public boolean precondition(World world) {
      return !world.tokens.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Arbitraries.of(world.tokens).map(token -> Transformer.mutate("resolve(#" + world.tokens.indexOf(token) + ")", w -> {
        ModelSession expected = w.live(token);
        Optional<Session> actual = w.manager.resolve(token);
        if (expected == null) {
          assertThat(actual).isEmpty();
        } else {
          expected.last = Math.max(expected.last, w.now());
          w.checkSession(actual.orElseThrow(), expected);
        }
      }));
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

  static final class Renew implements Action.Dependent<World> {
    @Override
    public boolean precondition(World world) {
      return !world.tokens.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Arbitraries.of(world.tokens).map(token -> Transformer.mutate("renew(#" + world.tokens.indexOf(token) + ")", w -> {
        ModelSession expected = w.live(token);
        Optional<IssuedSession> actual = w.manager.renew(token);
        if (expected == null) {
          assertThat(actual).isEmpty();
          return;
        }
        IssuedSession issued = actual.orElseThrow();
        assertThat(w.manager.resolve(token)).isEmpty();
        w.byToken.remove(token);
        expected.last = Math.max(expected.last, w.now());
        w.byToken.put(issued.token(), expected);
        w.tokens.add(issued.token());
        w.checkSession(issued.session(), expected);
      }));
    }
  }

  static final class Logout implements Action.Dependent<World> {
    @Override
    public boolean precondition(World world) {
      return !world.tokens.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Arbitraries.of(world.tokens).map(token -> Transformer.mutate("logout(#" + world.tokens.indexOf(token) + ")", w -> {
        ModelSession stored = w.byToken.get(token);
        if (stored != null && !stored.ended && w.now() >= stored.expiresAt()) {
          w.endSeries(stored.selector); // logout ends the device's series even after a timeout
        }
        ModelSession expected = w.live(token);
        assertThat(w.manager.logout(token)).isEqualTo(expected != null);
        if (expected != null) {
          expected.ended = true;
          w.endSeries(expected.selector);
        }
        assertThat(w.manager.resolve(token)).isEmpty();
        w.checkPrincipalIndex();
      }));
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
          "resumeRememberMe", w -> {
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
              ModelSession session = new ModelSession(issued.session().id(), series.principal,
                  now, value.substring(0, 16));
              w.issue(issued.token(), session);
              assertThat(issued.session().isRemembered()).isTrue();
              w.checkSession(issued.session(), session);
            } else if (value.equals(series.previous) && now < series.graceUntil) {
              assertThat(result.status()).isEqualTo(Status.RECENTLY_ROTATED);
            } else {
              assertThat(result.status()).isEqualTo(Status.THEFT_DETECTED);
              w.byId.values().stream().filter(s -> series.principal.equals(s.principal))
                  .forEach(s -> s.ended = true);
              w.bySelector.values().stream().filter(s -> series.principal.equals(s.principal))
                  .forEach(s -> s.ended = true);
            }
            w.checkPrincipalIndex();
          }));
    }
  }

  static final class LogoutOthers implements Action.Dependent<World> {
    @Override
    public boolean precondition(World world) {
      return !world.tokens.isEmpty();
    }

    @Override
    public Arbitrary<Transformer<World>> transformer(World world) {
      return Arbitraries.of(world.tokens).map(token -> Transformer.mutate("logoutOthers(#" + world.tokens.indexOf(token) + ")", w -> {
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
        long expected = w.byId.values().stream()
            .filter(s -> s != current && !s.ended && current.principal.equals(s.principal))
            .count();
        assertThat(ended).isEqualTo(expected);
        w.byId.values().stream()
            .filter(s -> s != current && current.principal.equals(s.principal))
            .forEach(s -> s.ended = true);
        w.bySelector.entrySet().stream()
            .filter(e -> current.principal.equals(e.getValue().principal)
                && !e.getKey().equals(current.selector))
            .forEach(e -> e.getValue().ended = true);
        w.checkPrincipalIndex();
      }));
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
                  ModelSeries series = s.selector == null ? null : w.bySelector.get(s.selector);
                  if (live && series != null && id.equals(series.latestSessionId)) {
                    w.endSeries(s.selector); // only the device's latest session ends its series
                  }
                }
                w.checkPrincipalIndex();
              }));
    }
  }
}
