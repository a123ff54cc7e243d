// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

/**
 * Receives {@link SessionEvent}s. Called synchronously on the thread that caused the event (the
 * thread that purges, for expiries), after the store has changed; an exception thrown here is
 * logged and otherwise ignored. Implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface SessionListener {

  /**
   * Called once per event.
   *
   * @param event what happened
   */
  void onEvent(SessionEvent event);
}
