// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

/** What a login or remember-me resume does when its principal already has the maximum number of sessions. */
public enum SessionCapPolicy {
  /**
   * End the principal's least recently used sessions (by last access, then id) to make room for
   * the new one; the session that logged in last is never the one that goes. An evicted session
   * ends its device's remember-me series only if it was that series' latest session.
   */
  EVICT_LEAST_RECENTLY_USED,
  /** Refuse the new session with a {@link SessionLimitExceededException}. */
  REFUSE_NEW
}
