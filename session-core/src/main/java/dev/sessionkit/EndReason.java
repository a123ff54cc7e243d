// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ExpiredSession;

/** Why a session or a remember-me series ended. */
public enum EndReason {
  /** No request within the idle timeout. */
  IDLE_TIMEOUT,
  /** The absolute lifetime, counted from authentication (or creation), has passed. */
  ABSOLUTE_TIMEOUT,
  /** The user logged out of this session. */
  LOGOUT,
  /**
   * Another session of the same principal logged out its siblings (a credential change), or an
   * administrator logged out all.
   */
  FORCE_LOGOUT,
  /** The principal revoked this one session from a list of their sessions. */
  REVOKED,
  /** A used remember-me validator was presented again: every session of the principal ends. */
  REMEMBER_ME_THEFT,
  /** A new session went over the per-principal cap and this, the least recently used, made room. */
  SESSION_CAP,
  /** A different principal signed in from the same browser, replacing this session. */
  REPLACED;

  /**
   * Returns the reason for a session that {@code timeout} ended.
   *
   * @param timeout the timeout that ended the session
   * @return the reason for a session that {@code timeout} ended
   */
  public static EndReason of(ExpiredSession.Timeout timeout) {
    return timeout == ExpiredSession.Timeout.ABSOLUTE ? ABSOLUTE_TIMEOUT : IDLE_TIMEOUT;
  }
}
