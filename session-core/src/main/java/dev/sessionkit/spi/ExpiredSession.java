package dev.sessionkit.spi;

import dev.sessionkit.EndReason;
import java.util.Objects;

/**
 * A session that a store removed because it expired, reported by {@link
 * SessionStore#purgeExpired} so that the manager can fire the expired event. Carries no token.
 *
 * @param sessionId the public session id
 * @param principal the session's principal, or {@code null} for an anonymous session
 * @param expiredAt when the session ended (epoch milliseconds)
 * @param reason {@link EndReason#IDLE_TIMEOUT} or {@link EndReason#ABSOLUTE_TIMEOUT}
 */
public record ExpiredSession(String sessionId, String principal, long expiredAt, EndReason reason) {

  /** Checks that the id and reason are present and the reason is a timeout. */
  public ExpiredSession {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(reason, "reason");
    if (reason != EndReason.IDLE_TIMEOUT && reason != EndReason.ABSOLUTE_TIMEOUT) {
      throw new IllegalArgumentException("an expired session ended by a timeout, not " + reason);
    }
  }

  /** Describes the expiry of {@code record}. */
  public static ExpiredSession of(SessionRecord record) {
    return new ExpiredSession(record.id(), record.principal(), record.expiresAt(),
        record.expiryReason());
  }
}
