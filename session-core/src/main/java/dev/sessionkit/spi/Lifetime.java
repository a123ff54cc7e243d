// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/**
 * When a session started, was last used, and when it ends: the part of a {@link SessionRecord}
 * that the request path changes. Immutable; every time is epoch milliseconds and every span is
 * milliseconds.
 *
 * <p>A session lives while {@code now < expiresAt()}, where {@link #expiresAt()} is the earlier of
 * {@code lastAccessedAt + idleTimeout} (OWASP ASVS 7.3.1) and {@code absoluteDeadline} (ASVS
 * 7.3.2); at {@code now == expiresAt()} it has ended.
 *
 * @param createdAt when the session was created (kept across rotations)
 * @param lastAccessedAt the last recorded access; never moves backwards
 * <p>The idle timeout is the session's own: sessions start with the configured one, and the
 * application may change it for one session (the Servlet API's {@code setMaxInactiveInterval}).
 * {@link #NO_IDLE_TIMEOUT} means the session has none: only the absolute deadline ends it.
 *
 * @param idleTimeout the idle timeout in milliseconds, positive; {@link #NO_IDLE_TIMEOUT} for none
 * @param absoluteDeadline when the session ends however active it is
 */
public record Lifetime(long createdAt, long lastAccessedAt, long idleTimeout,
    long absoluteDeadline) {

  /**
   * The idle timeout of a session that has none ({@link Long#MAX_VALUE} ms): its idle deadline
   * saturates at {@link Long#MAX_VALUE}, so the absolute deadline alone ends it. Stores keep it as
   * any other value.
   */
  public static final long NO_IDLE_TIMEOUT = Long.MAX_VALUE;

  /**
   * Checks that the idle timeout is positive.
   *
   * @param createdAt when the session was created (kept across rotations)
   * @param lastAccessedAt the last recorded access; never moves backwards <p>The idle timeout is
   *     the session's own: sessions start with the configured one, and the application may change
   *     it for one session (the Servlet API's {@code setMaxInactiveInterval}). {@link
   *     #NO_IDLE_TIMEOUT} means the session has none: only the absolute deadline ends it.
   * @param idleTimeout the idle timeout in milliseconds, positive; {@link #NO_IDLE_TIMEOUT} for
   *     none
   * @param absoluteDeadline when the session ends however active it is
   */
  public Lifetime {
    if (idleTimeout <= 0) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout + " ms");
    }
  }

  /**
   * Returns the lifetime of a session that starts at {@code nowMillis}.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param idleTimeoutMillis the idle timeout, milliseconds
   * @param absoluteTimeoutMillis the absolute timeout, milliseconds
   * @return the lifetime of a session that starts at {@code nowMillis}
   */
  public static Lifetime startingAt(long nowMillis, long idleTimeoutMillis,
      long absoluteTimeoutMillis) {
    return new Lifetime(nowMillis, nowMillis, idleTimeoutMillis,
        saturatedAdd(nowMillis, absoluteTimeoutMillis));
  }

  /**
   * Returns when the session ends unless touched again: the earlier of both deadlines.
   *
   * @return when the session ends unless touched again
   */
  public long expiresAt() {
    return Math.min(idleDeadline(), absoluteDeadline);
  }

  /**
   * Returns when the session ends if it is not touched again.
   *
   * @return when the session ends if it is not touched again
   */
  public long idleDeadline() {
    return saturatedAdd(lastAccessedAt, idleTimeout);
  }

  /**
   * Returns whether the session has ended at {@code nowMillis} (the deadline itself is the end).
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether the session has ended at {@code nowMillis} (the deadline itself is the end)
   */
  public boolean isExpired(long nowMillis) {
    return nowMillis >= expiresAt();
  }

  /**
   * Returns which timeout ends (or ended) the session if it is not touched again.
   *
   * @return which timeout ends (or ended) the session if it is not touched again
   */
  public ExpiredSession.Timeout expiryTimeout() {
    return absoluteDeadline <= idleDeadline()
        ? ExpiredSession.Timeout.ABSOLUTE : ExpiredSession.Timeout.IDLE;
  }

  /**
   * Returns whether the session has an idle timeout (not {@link #NO_IDLE_TIMEOUT}).
   *
   * @return whether the session has an idle timeout (not {@link #NO_IDLE_TIMEOUT})
   */
  public boolean hasIdleTimeout() {
    return idleTimeout != NO_IDLE_TIMEOUT;
  }

  /**
   * Returns this lifetime with the idle timeout {@code idleTimeoutMillis} (positive, or {@link
   * #NO_IDLE_TIMEOUT}); the other times stay.
   *
   * @param idleTimeoutMillis the idle timeout, milliseconds
   * @return this lifetime with the idle timeout {@code idleTimeoutMillis} (positive, or {@link
   *     #NO_IDLE_TIMEOUT})
   */
  public Lifetime withIdleTimeout(long idleTimeoutMillis) {
    return new Lifetime(createdAt, lastAccessedAt, idleTimeoutMillis, absoluteDeadline);
  }

  /**
   * Returns this lifetime with an access recorded at {@code nowMillis} (never earlier).
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return this lifetime with an access recorded at {@code nowMillis} (never earlier)
   */
  public Lifetime accessed(long nowMillis) {
    return nowMillis <= lastAccessedAt ? this
        : new Lifetime(createdAt, nowMillis, idleTimeout, absoluteDeadline);
  }

  /**
   * Returns this lifetime after a login at {@code nowMillis}: the absolute deadline counts from the
   * login (ASVS 7.3.2), creation time and idle timeout stay.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param absoluteTimeoutMillis the absolute timeout, milliseconds
   * @return this lifetime after a login at {@code nowMillis}
   */
  public Lifetime authenticatedAt(long nowMillis, long absoluteTimeoutMillis) {
    return new Lifetime(createdAt, Math.max(nowMillis, lastAccessedAt), idleTimeout,
        saturatedAdd(nowMillis, absoluteTimeoutMillis));
  }

  /**
   * Returns {@code a + b}, or {@link Long#MAX_VALUE} where that overflows.
   *
   * @param a a time or span, milliseconds
   * @param b a span, milliseconds
   * @return {@code a + b}, or {@link Long#MAX_VALUE} where that overflows
   */
  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
