package dev.sessionkit;

/** Why a session or a remember-me series ended. */
public enum EndReason {
  /** No request within the idle timeout. */
  IDLE_TIMEOUT,
  /** The absolute lifetime, counted from authentication (or creation), has passed. */
  ABSOLUTE_TIMEOUT,
  /** The user logged out of this session. */
  LOGOUT,
  /** Another session of the same principal logged out its siblings, or an admin logged out all. */
  FORCE_LOGOUT,
  /** The principal revoked this one session from a list of their sessions. */
  REVOKED,
  /** A used remember-me validator was presented again: every session of the principal ends. */
  REMEMBER_ME_THEFT,
  /** A new login went over the per-principal session cap and this, the oldest, made room. */
  SESSION_CAP,
  /** A different principal signed in from the same browser, replacing this session. */
  REPLACED
}
