// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The timers of {@value SessionMetrics#STORE_CALLS}: one per store operation and outcome, all
 * registered up front so that an exporter shows every operation from the start. Thread-safe.
 */
final class StoreCallTimers {

  /** Every method of the two store SPIs that does work; the tag value is the method's name. */
  enum Operation {
    CREATE("create"),
    FIND_BY_TOKEN_HASH("findByTokenHash"),
    FIND_BY_TOKEN_HASH_AND_TOUCH("findByTokenHashAndTouch"),
    FIND_AND_TOUCH("findAndTouch"),
    FIND_BY_ID("findById"),
    TOUCH("touch"),
    SET_IDLE_TIMEOUT("setIdleTimeout"),
    ROTATE("rotate"),
    UPDATE_ATTRIBUTES("updateAttributes"),
    DELETE("delete"),
    FIND_AND_DELETE("findAndDelete"),
    FIND_BY_PRINCIPAL("findByPrincipal"),
    PRINCIPAL_GENERATION("principalGeneration"),
    REVOKE_PRINCIPAL("revokePrincipal"),
    PURGE_EXPIRED("purgeExpired"),
    REVOKE_ALL("revokeAll"),
    PING("ping"),
    CREATE_SERIES("createSeries"),
    FIND_SERIES("findSeries"),
    REPLACE_SERIES("replaceSeries"),
    DELETE_SERIES("deleteSeries"),
    DELETE_SERIES_IF_LATEST("deleteSeriesIfLatest"),
    REVOKE_SERIES("revokeSeries"),
    PURGE_EXPIRED_SERIES("purgeExpiredSeries"),
    REVOKE_ALL_SERIES("revokeAllSeries");

    final String tag;

    Operation(String tag) {
      this.tag = tag;
    }
  }

  private record Pair(Timer success, Timer failure) {}

  private final Clock clock;
  private final Map<Operation, Pair> timers = new EnumMap<>(Operation.class);

  StoreCallTimers(MeterRegistry registry, Iterable<Tag> commonTags) {
    this.clock = registry.config().clock();
    for (Operation operation : Operation.values()) {
      timers.put(operation, new Pair(timer(registry, commonTags, operation, "success"),
          timer(registry, commonTags, operation, "failure")));
    }
  }

  private static Timer timer(MeterRegistry registry, Iterable<Tag> commonTags,
      Operation operation, String outcome) {
    return Timer.builder(SessionMetrics.STORE_CALLS)
        .description("Calls of the session and remember-me stores, by operation and outcome"
            + " (failure: the call threw)")
        .tags(Tags.of(commonTags).and("operation", operation.tag, "outcome", outcome))
        .register(registry);
  }

  /** Runs {@code call} and records its duration under {@code operation}, then returns or throws. */
  <T> T time(Operation operation, Supplier<T> call) {
    long start = clock.monotonicTime();
    boolean returned = false;
    try {
      T result = call.get();
      returned = true;
      return result;
    } finally {
      Pair pair = timers.get(operation);
      (returned ? pair.success() : pair.failure())
          .record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** Like {@link #time(Operation, Supplier)} for a call without a result. */
  void time(Operation operation, Runnable call) {
    time(operation, () -> {
      call.run();
      return null;
    });
  }
}
