// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.spi.TokenHash;
import dev.sessionkit.testing.FaultInjectingStore;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import dev.sessionkit.testing.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SessionMetrics on SimpleMeterRegistry, with the meters' clock moved by hand (MockClock). */
class SessionMetricsTest {

  private final MockClock meterClock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT,
      meterClock);
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-02T10:00:00Z"));

  private double events(String type, String reason) {
    return registry.get(SessionMetrics.EVENTS).tags("type", type, "reason", reason).counter()
        .count();
  }

  private Timer storeCalls(String operation, String outcome) {
    return registry.get(SessionMetrics.STORE_CALLS)
        .tags("operation", operation, "outcome", outcome).timer();
  }

  @Test
  void theOperationsGuideExample() {
    InMemorySessionStore store = InMemorySessionStore.create();
    // example: metrics-bind
    MeterRegistry registry = new SimpleMeterRegistry();    // your application's registry
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder().store(store))
        .build();
    // end of example
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);
    sessions.resolve(login.token());

    assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "created").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(SessionMetrics.STORE_CALLS)
        .tags("operation", "findAndTouch", "outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(SessionMetrics.STORED_SESSIONS).gauge().value()).isEqualTo(1);
  }

  @Test
  void everyKindOfEventIsCountedWithItsReason() {
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder()
        .config(SessionConfig.builder().idleTimeout(Duration.ofMinutes(10)).build())
        .clock(clock)).build();

    IssuedSession visit = sessions.startAnonymous(ClientInfo.NONE);
    IssuedSession login = sessions.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    IssuedSession renewed = sessions.renew(login.token()).orElseThrow();
    IssuedSession phone = sessions.authenticate("alice", ClientInfo.NONE, false);
    sessions.logoutOthers(sessions.resolve(renewed.token()).orElseThrow());   // ends the phone's
    sessions.logout(renewed.token());
    IssuedSession idle = sessions.authenticate("bob", ClientInfo.NONE, false);
    clock.advance(Duration.ofMinutes(11));
    sessions.purgeExpired();

    assertThat(events("created", "none")).isEqualTo(3);          // visit, phone, bob
    assertThat(events("authenticated", "none")).isEqualTo(3);    // alice twice, bob
    assertThat(events("renewed", "none")).isEqualTo(1);
    assertThat(events("revoked", "force_logout")).isEqualTo(1);
    assertThat(events("logged_out", "logout")).isEqualTo(1);
    assertThat(events("expired", "idle_timeout")).isEqualTo(1);
    assertThat(phone.session().id()).isNotEqualTo(idle.session().id());
  }

  @Test
  void aReplayedRememberMeTokenIsCountedAsTheft() {
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder().clock(clock))
        .build();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
    String stolen = login.rememberMe().orElseThrow().value();
    assertThat(sessions.resumeRememberMe(stolen, ClientInfo.NONE).issued()).isPresent();
    clock.advance(Duration.ofMinutes(1));                // past the grace of the replaced one

    RememberMeResult replay = sessions.resumeRememberMe(stolen, ClientInfo.NONE);

    assertThat(replay.status()).isEqualTo(RememberMeResult.Status.THEFT_DETECTED);
    assertThat(events("remember_me_used", "none")).isEqualTo(1);
    assertThat(registry.get(SessionMetrics.EVENTS).tags("type", "remember_me_theft").counters()
        .stream().mapToDouble(Counter::count).sum()).isEqualTo(1);
    assertThat(events("revoked", "remember_me_theft")).isEqualTo(2);  // login's and the resumed
  }

  @Test
  void everyStoreCallIsTimedByOperation() {
    SessionStore slow = new ForwardingSessionStore(InMemorySessionStore.create()) {
      @Override
      public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long now,
          long minInterval) {
        meterClock.add(7, TimeUnit.MILLISECONDS);          // the store takes 7 ms, by the meter's clock
        return super.findByTokenHashAndTouch(tokenHash, now, minInterval);
      }
    };
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder()
        .stores(new Stores(slow, InMemorySessionStore.create())).clock(clock)).build();

    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
    sessions.resolve(login.token());
    sessions.resolve(login.token());

    Timer perRequest = storeCalls("findAndTouch", "success");
    assertThat(perRequest.count()).isEqualTo(2);
    assertThat(perRequest.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(14);
    assertThat(storeCalls("create", "success").count()).isEqualTo(1);
    assertThat(storeCalls("createSeries", "success").count()).isEqualTo(1);
    assertThat(storeCalls("findAndTouch", "failure").count()).isZero();
    assertThat(registry.get(SessionMetrics.STORE_CALLS).timers())
        .as("a timer per operation and outcome, from the start").hasSize(StoreCallTimers.Operation.values().length * 2);
  }

  @Test
  void aFailingStoreCallIsTimedAsAFailure() {
    try (FaultInjectingStore faults =
        new FaultInjectingStore(Stores.of(InMemorySessionStore.create()))) {
      SessionManager sessions = SessionMetrics.bind(registry,
          SessionManager.builder().stores(faults.stores()).clock(clock)).build();
      IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, false);
      faults.failNext(Operation.SESSION_FIND_AND_TOUCH, Fault.FAIL_AFTER_APPLYING);

      assertThatThrownBy(() -> sessions.resolve(login.token()))
          .isInstanceOf(SessionStoreException.class);

      assertThat(storeCalls("findAndTouch", "failure").count()).isEqualTo(1);
      assertThat(storeCalls("findAndTouch", "success").count()).isZero();
    }
  }

  @Test
  void theStoredSessionsAreGaugedWhereTheStoreCanCount() {
    InMemorySessionStore store = InMemorySessionStore.create();
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder().store(store)
        .clock(clock)).build();
    sessions.authenticate("alice", ClientInfo.NONE, false);
    Session bob = sessions.authenticate("bob", ClientInfo.NONE, false).session();

    assertThat(registry.get(SessionMetrics.STORED_SESSIONS).gauge().value()).isEqualTo(2);
    sessions.logout(bob);
    assertThat(registry.get(SessionMetrics.STORED_SESSIONS).gauge().value()).isEqualTo(1);
  }

  @Test
  void noGaugeForAStoreThatCannotCountCheaply() {
    SessionStore uncounted = new ForwardingSessionStore(InMemorySessionStore.create()) {
      @Override
      public OptionalLong sessionCount() {
        return OptionalLong.empty();
      }
    };
    SessionMetrics.bind(registry, SessionManager.builder()
        .stores(new Stores(uncounted, InMemorySessionStore.create()))).build();

    assertThat(registry.find(SessionMetrics.STORED_SESSIONS).meters()).isEmpty();
    assertThat(registry.find(SessionMetrics.STORE_CALLS).meters()).isNotEmpty();
  }

  @Test
  void twoManagersInOneRegistryAreToldApartByTheirTags() {
    SessionManager shop = SessionMetrics.bind(registry, SessionManager.builder(),
        Tags.of("application", "shop")).build();
    SessionManager admin = SessionMetrics.bind(registry, SessionManager.builder(),
        Tags.of("application", "admin")).build();

    shop.authenticate("alice", ClientInfo.NONE, false);
    shop.authenticate("bob", ClientInfo.NONE, false);
    admin.authenticate("root", ClientInfo.NONE, false);

    assertThat(registry.get(SessionMetrics.EVENTS).tags("application", "shop", "type", "created")
        .counter().count()).isEqualTo(2);
    assertThat(registry.get(SessionMetrics.EVENTS).tags("application", "admin", "type", "created")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get(SessionMetrics.STORED_SESSIONS).tags("application", "shop").gauge()
        .value()).isEqualTo(2);
  }

  @Test
  void noMeterNamesASessionPrincipalOrToken() {
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder()).build();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
    sessions.resolve(login.token());

    for (Meter meter : registry.getMeters()) {
      String id = meter.getId().toString();
      assertThat(id).doesNotContain("alice", login.session().id(), login.token(),
          login.rememberMe().orElseThrow().value());
    }
  }

  @Test
  void everyStoreCallThatReachesTheBackendIsTimed() throws Exception {
    Set<String> untimed = Set.of("close", "routingTag", "seriesRoutingTag", "sessionCookieTag",
        "sessionCount");
    Set<String> timed = new TreeSet<>();
    for (StoreCallTimers.Operation operation : StoreCallTimers.Operation.values()) {
      timed.add(operation.tag);
    }
    for (Class<?>[] pair : new Class<?>[][] {{SessionStore.class, TimedSessionStore.class},
        {RememberMeStore.class, TimedRememberMeStore.class}}) {
      for (Method method : pair[0].getMethods()) {
        if (Modifier.isStatic(method.getModifiers()) || untimed.contains(method.getName())) {
          continue;
        }
        assertThat(pair[1].getDeclaredMethod(method.getName(), method.getParameterTypes()))
            .as("%s overrides %s", pair[1].getSimpleName(), method.getName()).isNotNull();
        assertThat(timed).as("a timer for %s", method.getName()).contains(method.getName());
      }
    }
  }

  @Test
  void theManagerReportsTheWrappedStores() {
    InMemorySessionStore store = InMemorySessionStore.create();
    SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder().store(store))
        .build();

    assertThat(sessions.store()).isInstanceOf(ForwardingSessionStore.class);
    assertThat(((ForwardingSessionStore) sessions.store()).delegate()).isSameAs(store);
    assertThat(sessions.store().sessionCount()).hasValue(0);
  }
}
