// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import dev.sessionkit.EndReason;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/*
 * Design. A browser that was signed out elsewhere (a password change on another device, a stolen
 * remember-me cookie) or by a timeout only learns it at its next request, and its dead session
 * token says nothing: the store has forgotten it. The manager's events do say it, for every way a
 * session ends (the purger's expiries included), by public session id. So the demo remembers
 * "session id -> why it ended" here for a day, at most MAX entries (the oldest go first), and the
 * browser carries its latest public session id in a cookie of its own (Page.SESSION_ID_COOKIE: not
 * a credential, it grants nothing). A request without a live session that brings that cookie is
 * told why, once.
 *
 * No library change is needed: the events carry the id and the EndReason. A library memory keyed
 * by token hash would miss the purger's expiries and force-logout sweeps, whose store calls
 * return ids, not hashes. This memory is per process: behind several app servers, put it where the
 * servers share it.
 */

/**
 * Remembers why recent sessions ended (from the manager's events) and words it for the user.
 * Bounded ({@value #MAX} entries, each for {@link #KEPT}); time from the injected clock.
 * Thread-safe.
 */
final class SignOutReasons implements SessionListener {

  static final int MAX = 10_000;
  static final Duration KEPT = Duration.ofDays(1);

  private record Ended(EndReason reason, Instant at) {}

  private final InstantSource clock;
  private final Map<String, Ended> ended = new LinkedHashMap<>(256, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
      return size() > MAX;
    }
  };

  SignOutReasons(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public void onEvent(SessionEvent event) {
    if (event.reason().isEmpty() || event.sessionId().isEmpty()) {
      return;
    }
    synchronized (ended) {
      ended.put(event.sessionId().get(), new Ended(event.reason().get(), clock.instant()));
    }
  }

  /** Returns why the session of {@code sessionId} ended, if it ended within {@link #KEPT}. */
  Optional<EndReason> reason(String sessionId) {
    Ended e;
    synchronized (ended) {
      e = ended.get(sessionId);
    }
    if (e == null || e.at().plus(KEPT).isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(e.reason());
  }

  /** Words a reason for the signed-out user. */
  static String explain(EndReason reason, Duration idleTimeout, Duration absoluteTimeout) {
    return switch (reason) {
      case IDLE_TIMEOUT -> "You were signed out after inactivity (no request for "
          + Page.duration(idleTimeout) + ").";
      case ABSOLUTE_TIMEOUT -> "Your session reached its maximum lifetime ("
          + Page.duration(absoluteTimeout) + " after sign-in); sign in again.";
      case LOGOUT -> "You signed out.";
      case FORCE_LOGOUT -> "You were signed out because your password was changed on another "
          + "device.";
      case REVOKED -> "You were signed out from another device's list of sessions.";
      case REMEMBER_ME_THEFT -> "You were signed out everywhere after a suspected stolen "
          + "remember-me cookie: a used one was presented again. Sign in and change your "
          + "password.";
      case SESSION_CAP -> "You were signed out because you signed in on too many devices.";
      case REPLACED -> "You were signed out because another user signed in in this browser.";
    };
  }
}
