// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.SessionConfig;
import java.time.Duration;
import java.time.InstantSource;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark states holding {@link Fixtures#SESSIONS} live, authenticated sessions of each library,
 * shared by all threads of a benchmark. Sessionkit's use the system clock, as in production.
 */
public final class LiveSessions {

  private LiveSessions() {}

  /** Sessionkit with {@code touchInterval} zero: every request records its access. */
  @State(Scope.Benchmark)
  public static class SessionkitEveryRequestWrites extends SizedState {
    SessionkitSessions sessions;

    @Override
    void setUp(int count) {
      sessions = SessionkitSessions.authenticated(count,
          SessionConfig.builder().touchInterval(Duration.ZERO).build(), InstantSource.system());
    }
  }

  /** Sessionkit with the default configuration ({@code touchInterval} 1 second). */
  @State(Scope.Benchmark)
  public static class SessionkitDefaults extends SizedState {
    SessionkitSessions sessions;

    @Override
    void setUp(int count) {
      sessions = SessionkitSessions.authenticated(count, SessionConfig.defaults(),
          InstantSource.system());
    }
  }

  /** Spring Session's {@code MapSessionRepository}. */
  @State(Scope.Benchmark)
  public static class Spring extends SizedState {
    SpringSessions sessions;

    @Override
    void setUp(int count) {
      sessions = SpringSessions.authenticated(count);
    }
  }

  /** Tomcat's {@code StandardManager}. */
  @State(Scope.Benchmark)
  public static class Tomcat extends SizedState {
    TomcatSessions sessions;

    @Override
    void setUp(int count) {
      sessions = TomcatSessions.authenticated(count);
    }
  }
}
