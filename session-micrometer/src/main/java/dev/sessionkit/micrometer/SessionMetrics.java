// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.Stores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/**
 * Micrometer metrics for a {@link SessionManager}, bound with one line while it is built:
 *
 * <pre>{@code
 * SessionManager sessions = SessionMetrics.bind(registry, SessionManager.builder().store(store))
 *     .build();
 * }</pre>
 *
 * <p>The meters (names as Micrometer writes them; an exporter adapts them, e.g. Prometheus's
 * {@code sessionkit_session_events_total}):
 *
 * <ul>
 *   <li>{@value #EVENTS}, a counter per event type ({@code created}, {@code authenticated},
 *       {@code renewed}, {@code expired}, {@code logged_out}, {@code revoked}, {@code
 *       remember_me_used}, {@code remember_me_theft}) and end reason ({@code idle_timeout},
 *       {@code absolute_timeout}, {@code logout}, {@code force_logout}, {@code revoked}, {@code
 *       remember_me_theft}, {@code session_cap}, {@code replaced}, or {@code none}), tags {@code
 *       type} and {@code reason}. Events are counted on the thread that caused them, after the
 *       store changed; expiries when the manager purges ({@link SessionManager#purgeExpired()}).
 *   <li>{@value #STORE_CALLS}, a timer per store operation (the method of the store SPI, such as
 *       {@code findAndTouch}, the per-request call) and outcome ({@code success}, or
 *       {@code failure} when the call threw), tags {@code operation} and {@code outcome}.
 *   <li>{@value #STORED_SESSIONS}, a gauge of the sessions the store holds (live ones and ended
 *       ones not yet purged), only for a store that can count them without a scan ({@link
 *       SessionStore#sessionCount()}: the in-memory store; not the JDBC and Redis stores).
 * </ul>
 *
 * <p>Several managers in one registry (several web applications) are told apart by tags of your
 * own: {@link #bind(MeterRegistry, SessionManager.Builder, Iterable)}. No meter carries a session
 * id, principal or token. The wrappers add one monotonic clock read before and after each store
 * call; the registry's own cost comes on top.
 */
public final class SessionMetrics {

  /** The name of the counter of session events. */
  public static final String EVENTS = "sessionkit.session.events";

  /** The name of the timer of store calls. */
  public static final String STORE_CALLS = "sessionkit.store.calls";

  /** The name of the gauge of stored sessions. */
  public static final String STORED_SESSIONS = "sessionkit.sessions.stored";

  private SessionMetrics() {}

  /**
   * Makes the manager that {@code builder} builds report to {@code registry}: adds a listener
   * that counts events and a store wrapper ({@link SessionManager.Builder#wrapStores}) that times
   * every store call and registers the gauge. Call it once per builder, before {@code build()}.
   *
   * @param registry where the meters are registered
   * @param builder the manager's builder
   * @return {@code builder}, for chaining
   */
  public static SessionManager.Builder bind(MeterRegistry registry,
      SessionManager.Builder builder) {
    return bind(registry, builder, Tags.empty());
  }

  /**
   * Like {@link #bind(MeterRegistry, SessionManager.Builder)}, with tags added to every meter
   * (for example {@code Tags.of("application", "shop")}).
   *
   * @param registry where the meters are registered
   * @param builder the manager's builder
   * @param tags tags for every meter; keys other than {@code type}, {@code reason}, {@code
   *     operation} and {@code outcome}
   * @return {@code builder}, for chaining
   */
  public static SessionManager.Builder bind(MeterRegistry registry,
      SessionManager.Builder builder, Iterable<Tag> tags) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(builder, "builder");
    Tags common = Tags.of(Objects.requireNonNull(tags, "tags"));
    builder.listener(new EventCounters(registry, common));
    return builder.wrapStores(stores -> timed(registry, common, stores));
  }

  private static Stores timed(MeterRegistry registry, Tags tags, Stores stores) {
    StoreCallTimers timers = new StoreCallTimers(registry, tags);
    SessionStore sessions = stores.sessions();
    if (sessions.sessionCount().isPresent()) {
      Gauge.builder(STORED_SESSIONS, sessions, s -> s.sessionCount().orElse(-1))
          .description("Sessions in the store, live and ended but not yet purged")
          .tags(tags)
          .register(registry);
    }
    return new Stores(new TimedSessionStore(sessions, timers),
        new TimedRememberMeStore(stores.rememberMe(), timers));
  }
}
