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
 * @param idleTimeout the idle timeout in milliseconds, positive
 * @param absoluteDeadline when the session ends however active it is
 */
public record Lifetime(long createdAt, long lastAccessedAt, long idleTimeout,
    long absoluteDeadline) {

  /** Checks that the idle timeout is positive. */
  public Lifetime {
    if (idleTimeout <= 0) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout + " ms");
    }
  }

  /** Returns the lifetime of a session that starts at {@code nowMillis}. */
  public static Lifetime startingAt(long nowMillis, long idleTimeoutMillis,
      long absoluteTimeoutMillis) {
    return new Lifetime(nowMillis, nowMillis, idleTimeoutMillis,
        saturatedAdd(nowMillis, absoluteTimeoutMillis));
  }

  /** Returns when the session ends unless touched again: the earlier of both deadlines. */
  public long expiresAt() {
    return Math.min(idleDeadline(), absoluteDeadline);
  }

  /** Returns when the session ends if it is not touched again. */
  public long idleDeadline() {
    return saturatedAdd(lastAccessedAt, idleTimeout);
  }

  /** Returns whether the session has ended at {@code nowMillis} (the deadline itself is the end). */
  public boolean isExpired(long nowMillis) {
    return nowMillis >= expiresAt();
  }

  /** Returns which timeout ends (or ended) the session if it is not touched again. */
  public ExpiredSession.Timeout expiryTimeout() {
    return absoluteDeadline <= idleDeadline()
        ? ExpiredSession.Timeout.ABSOLUTE : ExpiredSession.Timeout.IDLE;
  }

  /** Returns this lifetime with an access recorded at {@code nowMillis} (never earlier). */
  public Lifetime accessed(long nowMillis) {
    return nowMillis <= lastAccessedAt ? this
        : new Lifetime(createdAt, nowMillis, idleTimeout, absoluteDeadline);
  }

  /**
   * Returns this lifetime after a login at {@code nowMillis}: the absolute deadline counts from the
   * login (ASVS 7.3.2), creation time and idle timeout stay.
   */
  public Lifetime authenticatedAt(long nowMillis, long absoluteTimeoutMillis) {
    return new Lifetime(createdAt, Math.max(nowMillis, lastAccessedAt), idleTimeout,
        saturatedAdd(nowMillis, absoluteTimeoutMillis));
  }

  /** Returns {@code a + b}, or {@link Long#MAX_VALUE} where that overflows. */
  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
