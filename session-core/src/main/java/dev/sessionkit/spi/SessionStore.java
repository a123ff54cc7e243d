package dev.sessionkit.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where sessions and remember-me series live: the SPI that the in-memory, JDBC and Redis stores
 * implement. The {@link dev.sessionkit.SessionManager} holds all policy (timeouts, rotation,
 * theft detection); a store only keeps records, atomically.
 *
 * <p>Rules every implementation keeps (the contract suite {@code SessionStoreContract} in
 * session-core's test-jar checks them):
 *
 * <ul>
 *   <li>Keys are {@link TokenHash}es and public ids; a store never sees a token or a validator.
 *   <li>A {@link #touch}, {@link #replaceMetadata} or {@link #updateAttributes} of a session that was
 *       deleted never brings it back; they return {@code false} instead.
 *   <li>The last access never moves backwards.
 *   <li>{@link #findByPrincipal} never lists a session that is gone, including one that expired
 *       without a call.
 *   <li>A stored session that cannot be read back (attributes that do not decode) is treated as
 *       absent and removed, never thrown as an error.
 *   <li>Concurrent {@link #updateAttributes} calls that change different attributes lose nothing.
 *   <li>Cost follows the work: principal operations cost O(sessions of that principal), a purge
 *       O(expired sessions); nothing scans all sessions.
 *   <li>Failures surface as {@link dev.sessionkit.SessionStoreException} (the manager wraps
 *       anything else), with messages that contain no token hash.
 * </ul>
 *
 * <p>Times are epoch milliseconds from the manager's clock; a store never reads a clock of its own
 * for session logic (physical expiry such as a Redis TTL may follow it as a backstop).
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface SessionStore extends AutoCloseable {

  /**
   * Stores a new session.
   *
   * @throws dev.sessionkit.SessionStoreException if a session with the same id or token hash
   *     exists, the store is full, or it fails
   */
  void create(SessionRecord session);

  /**
   * Returns the session whose current token hash is {@code tokenHash}. It may have expired but not
   * yet been removed; the caller checks {@link SessionRecord#isExpired}.
   */
  Optional<SessionRecord> findByTokenHash(TokenHash tokenHash);

  /**
   * The per-request path: returns the session of {@code tokenHash} as {@link #findByTokenHash}
   * does and, if it is live at {@code now} ({@code now < expiresAt}) and its last access is at
   * least {@code minInterval} milliseconds before {@code now} (and before it), records an access at
   * {@code now} in the same step. The returned record shows the recorded access. An expired
   * session is returned untouched, for the caller to end.
   *
   * <p>The default calls {@link #findByTokenHash} and then {@link #touch}; a store with a remote
   * backend should override it to do both in one round trip.
   */
  default Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long now,
      long minInterval) {
    Optional<SessionRecord> found = findByTokenHash(tokenHash);
    if (found.isEmpty()) {
      return found;
    }
    SessionRecord record = found.get();
    long last = record.lastAccessedAt();
    if (record.isExpired(now) || now <= last || now - last < minInterval) {
      return found;
    }
    return touch(record.id(), now) ? Optional.of(record.withLastAccessedAt(now)) : Optional.empty();
  }

  /** Returns the session with public id {@code sessionId}; it may have expired (see above). */
  Optional<SessionRecord> findById(String sessionId);

  /**
   * Records an access at {@code lastAccessedAt}, moving the idle deadline forward; an earlier time
   * than the stored one leaves it unchanged.
   *
   * @return {@code false} if the session no longer exists
   */
  boolean touch(String sessionId, long lastAccessedAt);

  /**
   * Atomically replaces every field of the session except its id, creation time and attributes
   * (which stay as stored), if its current token hash is {@code expectedTokenHash}. This is how
   * login, renewal and logout rotate the token: afterwards the old hash finds nothing.
   *
   * @return {@code false} if the session is gone or its token hash is no longer the expected one
   */
  boolean replaceMetadata(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement);

  /**
   * Atomically applies attribute changes: puts {@code puts} and removes {@code removals}, leaving
   * every other attribute as stored (so that concurrent changes of different attributes merge).
   *
   * @return {@code false} if the session no longer exists
   */
  boolean updateAttributes(String sessionId, Map<String, Object> puts, Set<String> removals);

  /**
   * Deletes the session.
   *
   * @return {@code true} if this call removed it; {@code false} if it was already gone, so that of
   *     two racing deletes exactly one reports the end
   */
  boolean delete(String sessionId);

  /** Returns the live sessions ({@code now < expiresAt}) of {@code principal}, in no order. */
  List<SessionRecord> findByPrincipal(String principal, long now);

  /**
   * Deletes every session of {@code principal} except those whose ids are in {@code
   * keepSessionIds}, atomically with respect to concurrent calls of this method.
   *
   * @return the ids of the sessions this call deleted
   */
  List<String> deleteByPrincipal(String principal, Set<String> keepSessionIds);

  /**
   * Removes up to {@code limit} sessions that have expired at {@code now} and reports each one
   * exactly once across all callers (several app servers may purge at the same time). For a store
   * whose backend expires entries by itself (Redis TTLs), this reports those too.
   *
   * @return the sessions removed; fewer than {@code limit} means no more are due
   */
  List<ExpiredSession> purgeExpired(long now, int limit);

  /**
   * Stores a new remember-me series.
   *
   * @throws dev.sessionkit.SessionStoreException if the selector exists or the store fails
   */
  void createSeries(RememberMeSeries series);

  /** Returns the series with {@code selector}; it may have expired (the caller checks). */
  Optional<RememberMeSeries> findSeries(String selector);

  /**
   * Atomically rotates a series' validator: succeeds only if the stored validator hash is still
   * {@code expectedValidatorHash}, so that of two racing uses of one validator exactly one wins.
   * On success the stored series is {@code series.rotated(newValidatorHash, graceUntil, now)}.
   *
   * @return {@code false} if the series is gone or was rotated by someone else first
   */
  boolean rotateSeries(String selector, TokenHash expectedValidatorHash, TokenHash newValidatorHash,
      long graceUntil, long now);

  /** Deletes a series; returns whether this call removed it. */
  boolean deleteSeries(String selector);

  /**
   * Deletes every series of {@code principal} except those in {@code keepSelectors}.
   *
   * @return how many series this call deleted
   */
  int deleteSeriesByPrincipal(String principal, Set<String> keepSelectors);

  /**
   * Removes up to {@code limit} series that have expired at {@code now}.
   *
   * @return how many were removed; fewer than {@code limit} means no more are due
   */
  int purgeExpiredSeries(long now, int limit);

  /**
   * Releases what the store holds (connections, threads). The default does nothing. A store
   * created by a {@link SessionStoreFactory} is closed by whoever created it.
   */
  @Override
  default void close() {}
}
