// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.testing.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The manager behind the security suite's programmatic filters ({@link SecurityFilters}), shared
 * between the test (which moves the clock and reads the events) and the web application.
 */
public final class SecurityBackends {

  private static volatile SecurityBackends current;

  /** Moves the time of the guarded filters. */
  public final MutableClock clock = MutableClock.startingNow();
  /** Every event the manager fired. */
  public final List<SessionEvent> events = new CopyOnWriteArrayList<>();
  /** The manager of the guarded filters. */
  public final SessionManager manager =
      SessionManager.builder().clock(clock).listener(events::add).build();

  /** Installs fresh backends for the next container start and returns them. */
  public static SecurityBackends install() {
    current = new SecurityBackends();
    return current;
  }

  /** Returns the installed backends, installing them if the test did not. */
  static SecurityBackends current() {
    SecurityBackends b = current;
    return b != null ? b : install();
  }
}
