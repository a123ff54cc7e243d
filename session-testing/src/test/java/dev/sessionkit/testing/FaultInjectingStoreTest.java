// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.spi.TokenHash;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultInjectingStoreTest {

  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final long IDLE = 1_800_000L;
  private static final long ABSOLUTE = 28_800_000L;

  private final InMemorySessionStore memory = InMemorySessionStore.create();
  private final FaultInjectingStore faults = new FaultInjectingStore(Stores.of(memory));
  private final DeterministicTokenGenerator random = DeterministicTokenGenerator.seeded(1);

  @Test
  void failBeforeApplyingThrowsWithoutCallingTheStore() {
    SessionRecord session = session("alice");
    faults.failNext(Operation.SESSION_CREATE, Fault.FAIL_BEFORE_APPLYING);

    assertThatThrownBy(() -> faults.sessions().create(session, 0))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("injected fault").hasMessageContaining("SESSION_CREATE");
    assertThat(memory.findById(session.id())).isEmpty();
    assertThat(faults.calls(Operation.SESSION_CREATE)).isEqualTo(1);

    assertThat(faults.sessions().create(session, 0)).as("failed once only").isTrue();
    assertThat(memory.findById(session.id())).contains(session);
    assertThat(faults.calls(Operation.SESSION_CREATE)).isEqualTo(2);
  }

  @Test
  void failAfterApplyingCallsTheStoreThenThrows() {
    SessionRecord session = session("alice");
    faults.failNext(Operation.SESSION_CREATE, Fault.FAIL_AFTER_APPLYING);

    assertThatThrownBy(() -> faults.sessions().create(session, 0))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("injected fault").hasMessageContaining("SESSION_CREATE");
    assertThat(memory.findById(session.id())).contains(session);
  }

  @Test
  void seriesFaultsApplyOrNotAsArmed() {
    RememberMeSeries series = series("alice");
    memory.createSeries(series);
    RememberMeSeries first = series.rotated(series.validatorHash(), hash(), T0 + 60_000, T0,
        "s1");
    RememberMeSeries second = series.rotated(series.validatorHash(), hash(), T0 + 60_000, T0,
        "s2");

    faults.failNext(Operation.SERIES_REPLACE, Fault.FAIL_BEFORE_APPLYING);
    assertThatThrownBy(() -> faults.rememberMe().replaceSeries(first, series.validatorHash()))
        .isInstanceOf(SessionStoreException.class).hasMessageContaining("SERIES_REPLACE");
    assertThat(memory.findSeries(series.selectorHash())).contains(series);

    faults.failNext(Operation.SERIES_REPLACE, Fault.FAIL_AFTER_APPLYING);
    assertThatThrownBy(() -> faults.rememberMe().replaceSeries(second, series.validatorHash()))
        .isInstanceOf(SessionStoreException.class).hasMessageContaining("SERIES_REPLACE");
    assertThat(memory.findSeries(series.selectorHash())).contains(second);
    assertThat(faults.calls(Operation.SERIES_REPLACE)).isEqualTo(2);
  }

  @Test
  void failAlwaysFailsEveryCallUntilHealed() {
    SessionRecord session = session("alice");
    memory.create(session, 0);
    faults.failAlways(Operation.SESSION_FIND_AND_TOUCH, Fault.FAIL_BEFORE_APPLYING);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> faults.sessions().findByTokenHashAndTouch(session.tokenHash(),
          T0 + 1000, 0)).isInstanceOf(SessionStoreException.class);
    }
    assertThat(faults.sessions().findById(session.id())).as("other operations pass").isPresent();
    assertThat(memory.findById(session.id()).orElseThrow().lifetime().lastAccessedAt())
        .isEqualTo(T0);

    faults.heal();
    assertThat(faults.sessions().findByTokenHashAndTouch(session.tokenHash(), T0 + 1000, 0))
        .isPresent();
    assertThat(faults.calls(Operation.SESSION_FIND_AND_TOUCH)).isEqualTo(4);
  }

  @Test
  void ofRacingCallsExactlyOneTakesAOneShotFault() throws Exception {
    faults.failNext(Operation.PRINCIPAL_GENERATION, Fault.FAIL_BEFORE_APPLYING);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(() -> {
        try {
          faults.sessions().principalGeneration("alice");
          return true;
        } catch (SessionStoreException e) {
          return false;
        }
      });
    }
    assertThat(Concurrently.run(tasks)).containsOnlyOnce(false).hasSize(4);
    assertThat(faults.calls(Operation.PRINCIPAL_GENERATION)).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Operation.class)
  void eachOperationIsItsOwnFaultPoint(Operation operation) {
    faults.failNext(operation, Fault.FAIL_BEFORE_APPLYING);

    assertThatThrownBy(() -> invocations().get(operation).accept(faults.stores()))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("injected fault").hasMessageContaining(operation.name());
    for (Operation other : Operation.values()) {
      assertThat(faults.calls(other)).as("calls of %s", other).isEqualTo(other == operation ? 1 : 0);
    }
    assertThatCode(() -> invocations().get(operation).accept(faults.stores()))
        .as("a one-shot fault").doesNotThrowAnyException();
  }

  @Test
  void everySpiMethodIsIntercepted() throws Exception {
    assertInterceptsAll(SessionStore.class, faults.sessions().getClass());
    assertInterceptsAll(RememberMeStore.class, faults.rememberMe().getClass());
    assertThat(invocations()).hasSize(Operation.values().length);
  }

  @Test
  void closePassesThroughAndIsNotAnOperation() {
    faults.failAlways(Operation.SESSION_DELETE, Fault.FAIL_BEFORE_APPLYING);
    assertThatCode(() -> faults.stores().close()).doesNotThrowAnyException();
    assertThat(Operation.values()).allSatisfy(op -> assertThat(faults.calls(op)).isZero());
  }

  @Test
  void closeClosesTheWrappedStoresOnce() {
    AtomicInteger closed = new AtomicInteger();
    SessionStore counting = new ForwardingSessionStore(memory) {
      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
    FaultInjectingStore owner = new FaultInjectingStore(new Stores(counting, memory));

    owner.close();

    assertThat(closed).hasValue(1);
  }

  private static void assertInterceptsAll(Class<?> spi, Class<?> wrapper) throws Exception {
    for (Method method : spi.getMethods()) {
      // a routing tag is no store call (it must not reach the backend): it never fails
      if (Modifier.isStatic(method.getModifiers()) || method.getName().equals("close")
          || method.getName().endsWith("outingTag") || method.getName().endsWith("CookieTag")) {
        continue;
      }
      assertThat(wrapper.getDeclaredMethod(method.getName(), method.getParameterTypes()))
          .as("%s overrides %s", wrapper.getSimpleName(), method.getName()).isNotNull();
    }
  }

  /** One call of each operation, against an empty store. */
  private Map<Operation, Consumer<Stores>> invocations() {
    Map<Operation, Consumer<Stores>> calls = new EnumMap<>(Operation.class);
    calls.put(Operation.SESSION_CREATE, s -> s.sessions().create(session("alice"), 0));
    calls.put(Operation.SESSION_FIND_BY_TOKEN_HASH, s -> s.sessions().findByTokenHash(hash()));
    calls.put(Operation.SESSION_FIND_AND_TOUCH,
        s -> s.sessions().findByTokenHashAndTouch(hash(), T0, 0));
    calls.put(Operation.SESSION_FIND_BY_ID, s -> s.sessions().findById("id"));
    calls.put(Operation.SESSION_TOUCH, s -> s.sessions().touch("id", T0));
    calls.put(Operation.SESSION_ROTATE,
        s -> s.sessions().rotate("id", hash(), session("alice"), 0));
    calls.put(Operation.SESSION_SET_IDLE_TIMEOUT, s -> s.sessions().setIdleTimeout("id", null, 1000));
    calls.put(Operation.SESSION_UPDATE_ATTRIBUTES,
        s -> s.sessions().updateAttributes("id", null, Map.of("a", 1), Set.of()));
    calls.put(Operation.SESSION_DELETE, s -> s.sessions().delete("id"));
    calls.put(Operation.SESSION_FIND_AND_DELETE,
        s -> s.sessions().findAndDelete(1, 2, 3, 4, "", T0));
    calls.put(Operation.SESSION_FIND_BY_PRINCIPAL, s -> s.sessions().findByPrincipal("bob", T0));
    calls.put(Operation.PRINCIPAL_GENERATION, s -> s.sessions().principalGeneration("bob"));
    calls.put(Operation.SESSION_REVOKE_PRINCIPAL,
        s -> s.sessions().revokePrincipal("bob", Set.of(), 1));
    calls.put(Operation.SESSION_PURGE, s -> s.sessions().purgeExpired(T0, 10));
    calls.put(Operation.SESSION_COUNT, s -> s.sessions().sessionCount());
    calls.put(Operation.SESSION_PING, s -> s.sessions().ping());
    calls.put(Operation.SESSION_REVOKE_ALL, s -> s.sessions().revokeAll());
    calls.put(Operation.SERIES_CREATE, s -> s.rememberMe().createSeries(series("alice")));
    calls.put(Operation.SERIES_FIND, s -> s.rememberMe().findSeries(hash()));
    calls.put(Operation.SERIES_REPLACE,
        s -> s.rememberMe().replaceSeries(series("alice"), hash()));
    calls.put(Operation.SERIES_DELETE, s -> s.rememberMe().deleteSeries(hash()));
    calls.put(Operation.SERIES_DELETE_IF_LATEST,
        s -> s.rememberMe().deleteSeriesIfLatest(hash(), "id"));
    calls.put(Operation.SERIES_REVOKE_PRINCIPAL,
        s -> s.rememberMe().revokeSeries("bob", Set.of(), 1));
    calls.put(Operation.SERIES_PURGE, s -> s.rememberMe().purgeExpiredSeries(T0, 10));
    calls.put(Operation.SERIES_REVOKE_ALL, s -> s.rememberMe().revokeAllSeries());
    return calls;
  }

  private TokenHash hash() {
    byte[] bytes = new byte[TokenHash.LENGTH];
    random.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  private SessionRecord session(String principal) {
    return SessionRecord.authenticated("s-" + hash().hashCode(), hash(),
        Authentication.interactive(principal, T0, null),
        Lifetime.startingAt(T0, IDLE, ABSOLUTE), ClientInfo.NONE);
  }

  private RememberMeSeries series(String principal) {
    return RememberMeSeries.issue(hash(), principal, hash(), T0, ABSOLUTE, "s0", 0);
  }
}
