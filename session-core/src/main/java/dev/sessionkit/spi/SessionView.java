// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Map;

/**
 * Read access to one stored session: what {@link SessionStore#findAndTouch} returns on the
 * per-request path. A {@link SessionRecord} is one (the full, immutable value); a store may return
 * a lighter object backed by its own immutable state instead of building a record per request,
 * which is how the in-memory store answers a request without allocating.
 *
 * <p>Every value a view returns is fixed when the view is made, except {@link #lastAccessedAt()}:
 * a view backed by the store may show a later access recorded since (never an earlier one than
 * the access recorded by the call that returned it, since the last access never moves
 * backwards). {@link #toRecord()} freezes everything. Every time is epoch milliseconds and every
 * span milliseconds, as in {@link Lifetime}. Views never expose the token hash as an object
 * ({@link #toRecord()} does) and never print it.
 *
 * <p>Implementations must be immutable apart from the last access, and safe for concurrent use.
 */
public interface SessionView {

  /**
   * Returns the public session id (a view backed by a store may build a new string each call).
   *
   * @return the public session id
   */
  String id();

  /**
   * Returns whether the session's current token hash has the four big-endian words {@code w0} to
   * {@code w3} ({@link TokenHash#word}).
   *
   * @param w0 bytes 0 to 7 of the hash
   * @param w1 bytes 8 to 15
   * @param w2 bytes 16 to 23
   * @param w3 bytes 24 to 31
   * @return whether these are the words of the current token hash
   */
  boolean hasCurrentToken(long w0, long w1, long w2, long w3);

  /**
   * Returns the token replaced at the last rotation, or {@code null}.
   *
   * @return the token replaced at the last rotation, or {@code null}
   */
  PreviousToken previousToken();

  /**
   * Returns who is signed in, or {@code null} for an anonymous session.
   *
   * @return who is signed in, or {@code null} for an anonymous session
   */
  Authentication authentication();

  /**
   * Returns when the session was created, epoch milliseconds.
   *
   * @return when the session was created, epoch milliseconds
   */
  long createdAt();

  /**
   * Returns the last recorded access, epoch milliseconds (see the class comment: a view backed by
   * the store may show a later one than when it was made).
   *
   * @return the last recorded access, epoch milliseconds
   */
  long lastAccessedAt();

  /**
   * Returns the session's idle timeout in milliseconds ({@link Lifetime#NO_IDLE_TIMEOUT} for
   * none).
   *
   * @return the session's idle timeout in milliseconds
   */
  long idleTimeout();

  /**
   * Returns when the session ends however active it is, epoch milliseconds.
   *
   * @return when the session ends however active it is, epoch milliseconds
   */
  long absoluteDeadline();

  /**
   * Returns the client's address and user agent ({@link ClientInfo#NONE} when unknown).
   *
   * @return the client's address and user agent
   */
  ClientInfo client();

  /**
   * Returns the session's attributes (an immutable map).
   *
   * @return the session's attributes (an immutable map)
   */
  Map<String, Object> attributes();

  /**
   * Returns this session as a record, with the last access as it is now. A record returns itself.
   *
   * @return this session as a record
   */
  SessionRecord toRecord();

  /**
   * Returns the principal, or {@code null} for an anonymous session.
   *
   * @return the principal, or {@code null} for an anonymous session
   */
  default String principal() {
    Authentication authentication = authentication();
    return authentication == null ? null : authentication.principal();
  }

  /**
   * Returns whether the session belongs to an authenticated principal.
   *
   * @return whether the session belongs to an authenticated principal
   */
  default boolean isAuthenticated() {
    return authentication() != null;
  }

  /**
   * Returns the selector hash of the device's remember-me series, or {@code null}.
   *
   * @return the selector hash of the device's remember-me series, or {@code null}
   */
  default TokenHash rememberMeSeries() {
    Authentication authentication = authentication();
    return authentication == null ? null : authentication.rememberMeSeries();
  }

  /**
   * Returns when the session ends unless it is used again, epoch milliseconds: the earlier of
   * {@code lastAccessedAt + idleTimeout} and the absolute deadline ({@link Lifetime#expiresAt()}).
   *
   * @return when the session ends unless it is used again, epoch milliseconds
   */
  default long expiresAt() {
    return Math.min(Lifetime.saturatedAdd(lastAccessedAt(), idleTimeout()), absoluteDeadline());
  }

  /**
   * Returns whether the session has ended at {@code nowMillis} (the deadline itself is the end).
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether the session has ended at {@code nowMillis}
   */
  default boolean isExpired(long nowMillis) {
    return nowMillis >= expiresAt();
  }

  /**
   * Returns whether the token hash with words {@code w0} to {@code w3} resolves to this session at
   * {@code nowMillis}: it is the current one, or the previous one within its renewal grace ({@link
   * PreviousToken#resolvesAt}); as {@link SessionRecord#resolvesBy} for a {@link TokenHash}.
   *
   * @param w0 bytes 0 to 7 of the hash
   * @param w1 bytes 8 to 15
   * @param w2 bytes 16 to 23
   * @param w3 bytes 24 to 31
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether the hash resolves to this session at {@code nowMillis}
   */
  default boolean resolvesBy(long w0, long w1, long w2, long w3, long nowMillis) {
    if (hasCurrentToken(w0, w1, w2, w3)) {
      return true;
    }
    PreviousToken previous = previousToken();
    return previous != null && previous.hash().hasWords(w0, w1, w2, w3)
        && previous.resolvesAt(nowMillis);
  }
}
