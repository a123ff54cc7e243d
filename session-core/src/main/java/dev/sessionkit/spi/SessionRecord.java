package dev.sessionkit.spi;

import dev.sessionkit.AuthenticationMethod;
import dev.sessionkit.EndReason;
import java.util.Map;
import java.util.Objects;

/**
 * One stored session, as a {@link SessionStore} keeps it. Immutable.
 *
 * <p>Times are epoch milliseconds (compact for stores; the public {@link dev.sessionkit.Session}
 * view turns them into {@link java.time.Instant}s). A session is live while {@code now <
 * expiresAt()}, where {@code expiresAt()} is the earlier of {@code lastAccessedAt + idleTimeout}
 * and {@code absoluteDeadline}; at {@code now == expiresAt()} it has ended.
 *
 * @param id public session id: a short random handle, safe to log and to show to the user
 * @param tokenHash SHA-256 of the session's current token; the token itself is never stored
 * @param principal the authenticated user's id, or {@code null} for an anonymous session
 * @param createdAt when the session was created
 * @param authenticatedAt when the principal authenticated; {@code 0} for an anonymous session
 * @param authenticationMethod how the principal authenticated; {@code null} when anonymous
 * @param lastAccessedAt the last recorded access (never moves backwards)
 * @param idleTimeout the idle timeout in milliseconds, fixed when the session was created
 * @param absoluteDeadline when the session ends however active it is
 * @param rememberMeSelector the remember-me series issued with or used by this session, or {@code
 *     null}
 * @param clientAddress client address as given by the application, or {@code null}
 * @param userAgent client user agent as given by the application, or {@code null}
 * @param attributes the session's attributes (immutable; no {@code null} values)
 */
public record SessionRecord(
    String id,
    TokenHash tokenHash,
    String principal,
    long createdAt,
    long authenticatedAt,
    AuthenticationMethod authenticationMethod,
    long lastAccessedAt,
    long idleTimeout,
    long absoluteDeadline,
    String rememberMeSelector,
    String clientAddress,
    String userAgent,
    Map<String, Object> attributes) {

  /** Validates the fields and copies the attributes into an immutable map. */
  public SessionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tokenHash, "tokenHash");
    if ((principal == null) != (authenticationMethod == null)) {
      throw new IllegalArgumentException(
          "principal and authenticationMethod are both set or both absent");
    }
    if (idleTimeout <= 0) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    attributes = Map.copyOf(attributes);
  }

  /** Returns whether the session belongs to an authenticated principal. */
  public boolean isAuthenticated() {
    return principal != null;
  }

  /** Returns when the session ends unless touched again: the earlier of both deadlines. */
  public long expiresAt() {
    return Math.min(idleDeadline(), absoluteDeadline);
  }

  /** Returns when the session ends if it is not touched again. */
  public long idleDeadline() {
    long sum = lastAccessedAt + idleTimeout;
    return sum < lastAccessedAt ? Long.MAX_VALUE : sum;
  }

  /** Returns whether the session has ended at {@code now} (the deadline itself is the end). */
  public boolean isExpired(long now) {
    return now >= expiresAt();
  }

  /** Returns which timeout ends (or ended) this session if it is not touched again. */
  public EndReason expiryReason() {
    return absoluteDeadline <= idleDeadline() ? EndReason.ABSOLUTE_TIMEOUT : EndReason.IDLE_TIMEOUT;
  }

  /** Returns a copy whose last access is {@code time}. */
  public SessionRecord withLastAccessedAt(long time) {
    return new SessionRecord(id, tokenHash, principal, createdAt, authenticatedAt,
        authenticationMethod, time, idleTimeout, absoluteDeadline, rememberMeSelector,
        clientAddress, userAgent, attributes);
  }

  /** Returns a copy with {@code newAttributes}. */
  public SessionRecord withAttributes(Map<String, Object> newAttributes) {
    return new SessionRecord(id, tokenHash, principal, createdAt, authenticatedAt,
        authenticationMethod, lastAccessedAt, idleTimeout, absoluteDeadline, rememberMeSelector,
        clientAddress, userAgent, newAttributes);
  }

  /** Never prints the token hash or attribute values. */
  @Override
  public String toString() {
    return "SessionRecord[id=" + id + ", principal=" + principal + ", createdAt=" + createdAt
        + ", lastAccessedAt=" + lastAccessedAt + ", expiresAt=" + expiresAt()
        + ", authenticationMethod=" + authenticationMethod + ", attributes="
        + attributes.keySet() + "]";
  }
}
