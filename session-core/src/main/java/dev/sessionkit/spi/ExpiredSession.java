// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;

/**
 * A session that a store removed because it expired, reported by {@link
 * SessionStore#purgeExpired} so that the manager can fire the expired event. Carries no token.
 *
 * @param sessionId the public session id
 * @param principal the session's principal, or {@code null} for an anonymous session
 * @param expiredAt when the session ended, epoch milliseconds
 * @param timeout which timeout ended it
 */
public record ExpiredSession(String sessionId, String principal, long expiredAt, Timeout timeout) {

  /** Which timeout ended a session. */
  public enum Timeout {
    /** No request within the idle timeout. */
    IDLE,
    /** The absolute lifetime has passed. */
    ABSOLUTE
  }

  /**
   * Checks that the id and timeout are present.
   *
   * @param sessionId the public session id
   * @param principal the session's principal, or {@code null} for an anonymous session
   * @param expiredAt when the session ended, epoch milliseconds
   * @param timeout which timeout ended it
   */
  public ExpiredSession {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Describes the expiry of {@code record}.
   *
   * @param record the session that expired
   * @return the expiry, with the session's id, principal, deadline and timeout
   */
  public static ExpiredSession of(SessionRecord record) {
    return new ExpiredSession(record.id(), record.principal(), record.lifetime().expiresAt(),
        record.lifetime().expiryTimeout());
  }
}
