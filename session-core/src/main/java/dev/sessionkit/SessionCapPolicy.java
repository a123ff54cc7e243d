package dev.sessionkit;

/** What a login does when its principal already has the maximum number of sessions. */
public enum SessionCapPolicy {
  /** End the principal's oldest sessions (by creation time) to make room for the new one. */
  EVICT_OLDEST,
  /** Refuse the new login with a {@link SessionLimitExceededException}. */
  REFUSE_NEW
}
