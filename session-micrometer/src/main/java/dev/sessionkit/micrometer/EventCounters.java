// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import dev.sessionkit.EndReason;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts {@link SessionEvent}s in {@value SessionMetrics#EVENTS}, tagged with the event's type and
 * its end reason ({@code none} for an event that ends nothing). The counter of each type without a
 * reason, and of each type with each reason it can carry, exists from the start. Thread-safe.
 */
final class EventCounters implements SessionListener {

  private record Key(SessionEvent.Type type, EndReason reason) {}

  private final MeterRegistry registry;
  private final Tags commonTags;
  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

  EventCounters(MeterRegistry registry, Iterable<Tag> commonTags) {
    this.registry = registry;
    this.commonTags = Tags.of(commonTags);
    for (SessionEvent.Type type : SessionEvent.Type.values()) {
      counter(type, null);
    }
    for (EndReason reason : EndReason.values()) {
      counter(endingType(reason), reason);
    }
  }

  @Override
  public void onEvent(SessionEvent event) {
    counter(event.type(), event.reason().orElse(null)).increment();
  }

  private Counter counter(SessionEvent.Type type, EndReason reason) {
    return counters.computeIfAbsent(new Key(type, reason), key -> Counter
        .builder(SessionMetrics.EVENTS)
        .description("Session events: created, authenticated, renewed, expired, logged out,"
            + " revoked, remember-me used and remember-me theft")
        .tags(commonTags.and("type", tagValue(type.name()),
            "reason", reason == null ? "none" : tagValue(reason.name())))
        .register(registry));
  }

  /** The event type that usually carries {@code reason}, to register its counter up front. */
  private static SessionEvent.Type endingType(EndReason reason) {
    return switch (reason) {
      case IDLE_TIMEOUT, ABSOLUTE_TIMEOUT -> SessionEvent.Type.EXPIRED;
      case LOGOUT, REPLACED -> SessionEvent.Type.LOGGED_OUT;
      default -> SessionEvent.Type.REVOKED;
    };
  }

  private static String tagValue(String enumName) {
    return enumName.toLowerCase(Locale.ROOT);
  }
}
