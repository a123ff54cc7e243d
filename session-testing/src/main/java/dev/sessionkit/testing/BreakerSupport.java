// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.Stores;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Shared helpers of the breaker tests: a clock, an event log and a manager over given stores. */
final class BreakerSupport {

  final MutableClock clock =
      MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final List<SessionEvent> events = new CopyOnWriteArrayList<>();

  SessionManager manager(Stores stores) {
    return manager(stores, b -> { });
  }

  SessionManager manager(Stores stores, Consumer<SessionConfig.Builder> config) {
    SessionConfig.Builder b = SessionConfig.builder().idleTimeout(Duration.ofMinutes(30));
    config.accept(b);
    return SessionManager.builder().stores(stores).clock(clock).config(b.build())
        .listener(events::add).build();
  }

  boolean theftAlarmed() {
    return events.stream().anyMatch(e -> e.type() == SessionEvent.Type.REMEMBER_ME_THEFT);
  }

  static String rememberMe(IssuedSession issued) {
    return issued.rememberMe().orElseThrow().value();
  }

  static String rememberMe(RememberMeResult result) {
    return rememberMe(result.issued().orElseThrow());
  }

  static List<String> idsOf(SessionManager manager, String principal) {
    return manager.sessionsOf(principal).stream().map(Session::id).toList();
  }

  /** The value of a future, or the exception it ended with (never waits more than 10 s). */
  static Object outcome(Future<?> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the released thread did not finish", e);
    }
  }
}
