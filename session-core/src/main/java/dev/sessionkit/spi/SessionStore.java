// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where sessions live: the SPI that the in-memory, JDBC and Redis stores implement. Remember-me
 * series have their own SPI, {@link RememberMeStore}. The {@code SessionManager} holds all policy
 * (timeouts, rotation grace, theft detection); a store keeps records, atomically.
 *
 * <h2>Rules every implementation keeps</h2>
 *
 * <p>The contract suite {@code SessionStoreContract} in the {@code session-testing} artifact
 * checks each of them.
 *
 * <ul>
 *   <li>Keys are {@link TokenHash}es and public ids; a store never sees a token.
 *   <li>A session is found by its current token hash and, until the next rotation, by its {@link
 *       SessionRecord#previousToken() previous} one; the manager decides what the previous one
 *       still allows.
 *   <li>A {@link #touch}, {@link #rotate} or {@link #updateAttributes} of a deleted session never
 *       brings it back: they return {@code false}.
 *   <li>The last access never moves backwards.
 *   <li>Revocation is final (the fence): each principal has a {@linkplain #principalGeneration
 *       revocation generation}. {@link #revokePrincipal} raises it and deletes the principal's
 *       sessions in one atomic step, and {@link #create} or {@link #rotate} of a session that
 *       newly belongs to that principal only succeeds if the generation the caller read is still
 *       current. So a login or resume that was in flight when a force logout ran either happened
 *       before it (and was deleted by it) or is refused. The fence costs nothing on the request
 *       path: finding and touching a session never reads it.
 *   <li>{@link #findByPrincipal} never lists a session that is gone, including one that expired
 *       without a call.
 *   <li>A stored session that cannot be read back (attributes that do not decode) is treated as
 *       absent and removed, never thrown as an error.
 *   <li>Concurrent {@link #updateAttributes} calls that change different attributes lose nothing.
 *   <li>Writes are fenced by the authentication state the caller saw: {@link #updateAttributes}
 *       and {@link #setIdleTimeout} take the principal of the caller's view of the session and
 *       change nothing once the stored session has another (a request that began while the session
 *       was anonymous and is still running after a login in a parallel request writes nothing into
 *       the now authenticated session; OWASP ASVS 5.0 7.2.4, session fixation).
 *   <li>Cost follows the work: principal operations cost O(sessions of that principal), a purge
 *       O(expired sessions); nothing scans all sessions.
 *   <li>Failures surface as {@link SessionStoreException} (the manager wraps anything else), with
 *       messages that contain no token hash. A call that throws may or may not have been applied;
 *       the manager's compensations are written for both.
 * </ul>
 *
 * <p>Every time is epoch milliseconds from the manager's clock and every span is milliseconds; a
 * store never reads a clock of its own for session logic (physical expiry such as a Redis TTL may
 * follow it as a backstop).
 *
 * <p>Implementations must be safe for concurrent use. {@link ForwardingSessionStore} is a base for
 * wrappers.
 */
public interface SessionStore extends StoreResource {

  /**
   * Returns the {@linkplain RoutingTag routing tag} under which this store keeps new sessions of
   * {@code principal} ({@code null}: a new anonymous session), or {@link RoutingTag#NONE}, the
   * default, for a store that does not route. The manager appends it to the session id and the
   * session cookie, so that every later call finds the session's shard in one step ({@link
   * RoutingTag#ofSessionId}, {@link TokenHash#routingTag()}). A store that routes returns the same
   * tag for every call with the same principal, derived so that it does not reveal the principal;
   * for anonymous sessions any tag it likes. Must not call the backend.
   *
   * @param principal the principal (the user's id)
   * @return the {@linkplain RoutingTag routing tag} under which this store keeps new sessions of
   *     {@code principal} ({@code null}
   */
  default String routingTag(String principal) {
    return RoutingTag.NONE;
  }

  /**
   * Returns the {@linkplain RoutingTag routing tag} that the manager appends to the session cookie
   * of session {@code sessionId}, and hands back on {@link TokenHash#routingTag()} with the hash of
   * the token that cookie presents ({@link #findAndTouch}, {@link #findByTokenHash}, {@link
   * #findAndDelete}). The default is the session id's own tag ({@link RoutingTag#ofSessionId}):
   * the shard. A store whose request path must name the session's own record before it reads it
   * (Redis Cluster: a script names every key it touches) returns a tag from which it can rebuild
   * the session id. The session id is no secret (it is in events and logs; ASVS 7.2.3 asks that
   * the token, which stays 256 random bits beside it, be the secret), and a store must still
   * treat the tag as untrusted: a lookup answers only if the token's hash is the session's.
   * Must not call the backend; the same id always gets the same tag.
   *
   * @param sessionId the id of a session this store keeps, as the manager made it
   * @return a well-formed routing tag (1 to {@value RoutingTag#MAX_LENGTH} base64url characters),
   *     or {@link RoutingTag#NONE}
   */
  default String sessionCookieTag(String sessionId) {
    return RoutingTag.ofSessionId(sessionId);
  }

  /**
   * Stores a new session. An authenticated session is stored only if its principal's revocation
   * generation is still at most {@code principalGeneration} (checked atomically with {@link
   * #revokePrincipal}); an anonymous session ignores it.
   *
   * @param session the new session
   * @param principalGeneration the generation the caller read with {@link #principalGeneration}
   *     before it decided to sign the principal in; {@link Long#MAX_VALUE} admits any generation
   *     (the manager passes it where nothing is to be fenced)
   * @return {@code true} if stored; {@code false} if the principal was revoked since (nothing is
   *     stored)
   * @throws SessionStoreException if a session with the same id exists, or one with the same token
   *     hash (a store whose {@linkplain #sessionCookieTag cookie tag} names the session may skip
   *     this check: it finds a session by id and then compares the hash, and two 256-bit random
   *     tokens do not collide), the store is full, or it fails
   */
  boolean create(SessionRecord session, long principalGeneration);

  /**
   * Returns the session whose current token hash, or previous token hash, is {@code tokenHash}.
   * It may have expired but not yet been removed; the caller checks. A store may stop finding a
   * session by its previous token hash once that token's {@link PreviousToken#validUntil()} has
   * passed (a Redis key with a TTL), and must stop at the next rotation.
   *
   * @param tokenHash the SHA-256 hash of the session token
   * @return the session whose current token hash, or previous token hash, is {@code tokenHash}
   */
  Optional<SessionRecord> findByTokenHash(TokenHash tokenHash);

  /**
   * The per-request path: returns the session of {@code tokenHash} as {@link #findByTokenHash}
   * does and, if it is live at {@code nowMillis}, its last access is at least {@code
   * minIntervalMillis} before {@code nowMillis}, and {@code tokenHash} is its current token hash
   * or a previous one that {@link PreviousToken#resolvesAt resolves} at {@code nowMillis}, records
   * an access at {@code nowMillis} in the same step. The returned record shows the recorded access.
   * An expired session, or one found by a previous token that no longer resolves, is returned
   * untouched: a dead token never keeps a session alive.
   *
   * <p>The default calls {@link #findByTokenHash} and then {@link #touch}; a store with a remote
   * backend should override it to do both in one round trip.
   *
   * @param tokenHash the SHA-256 hash of the session token
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param minIntervalMillis record the access only if the last recorded one is at least this old,
   *     milliseconds
   * @return the session, with the access recorded if it was, or empty if no session has this hash
   */
  default Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    Optional<SessionRecord> found = findByTokenHash(tokenHash);
    if (found.isEmpty()) {
      return found;
    }
    SessionRecord record = found.get();
    long last = record.lifetime().lastAccessedAt();
    if (record.isExpired(nowMillis) || nowMillis <= last || nowMillis - last < minIntervalMillis
        || !record.resolvesBy(tokenHash, nowMillis)) {
      return found;
    }
    return touch(record.id(), nowMillis) ? Optional.of(record.accessed(nowMillis))
        : Optional.empty();
  }

  /**
   * The per-request path without allocation: does what {@link #findByTokenHashAndTouch} does for
   * the token hash whose four big-endian words ({@link TokenHash#word}) are {@code w0} to {@code
   * w3} and whose routing tag is {@code routingTag}, and returns the session as a {@link
   * SessionView}, or {@code null} if no session has this hash. The manager calls this, not {@link
   * #findByTokenHashAndTouch}, for every request, so that no {@link TokenHash}, {@link Optional} or
   * {@link SessionRecord} needs to be built when the store can answer from its own state.
   *
   * <p>The default builds the hash and delegates to {@link #findByTokenHashAndTouch}, so a store
   * (or a wrapper) that implements only that one keeps working and sees every request there.
   * {@link ForwardingSessionStore} does not forward this call for the same reason: a wrapper that
   * overrides {@link #findByTokenHashAndTouch} still sees the per-request path. A store that
   * overrides this method must give the same answers as its {@link #findByTokenHashAndTouch}; the
   * contract suite checks both.
   *
   * @param w0 bytes 0 to 7 of the SHA-256 hash of the session token
   * @param w1 bytes 8 to 15
   * @param w2 bytes 16 to 23
   * @param w3 bytes 24 to 31
   * @param routingTag the routing tag the client presented with the token ({@link
   *     RoutingTag#NONE} if none)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param minIntervalMillis record the access only if the last recorded one is at least this old,
   *     milliseconds
   * @return the session, with the access recorded if it was, or {@code null} if no session has
   *     this hash
   * @throws SessionStoreException if the store fails
   */
  default SessionView findAndTouch(long w0, long w1, long w2, long w3, String routingTag,
      long nowMillis, long minIntervalMillis) {
    return findByTokenHashAndTouch(
        TokenHash.ofWords(w0, w1, w2, w3).withRoutingTag(routingTag), nowMillis,
        minIntervalMillis).orElse(null);
  }

  /**
   * Logout's call: deletes the session that the token hash with the four big-endian words ({@link
   * TokenHash#word}) {@code w0} to {@code w3} resolves to at {@code nowMillis}, and returns it as
   * it was when deleted. The hash resolves to a session if it is its current token hash, or its
   * previous one and that {@link PreviousToken#resolvesAt resolves} at {@code nowMillis} (as
   * {@link SessionView#resolvesBy}); a session found by a previous token that no longer resolves
   * is left as it is. An expired session that the hash resolves to is deleted and returned too
   * (the caller reports how it ended). As {@link #delete}, of two calls that race to delete the
   * same session exactly one returns it.
   *
   * <p>The default calls {@link #findByTokenHash} and then {@link #delete}, so a store (or a
   * wrapper) that implements only those keeps working and sees every logout there. {@link
   * ForwardingSessionStore} does not forward this call, for the same reason as {@link
   * #findAndTouch}. A store that overrides it finds and deletes in one step (the in-memory store:
   * one probe of its token index and a compare-and-set, no record built); if a rotation or another
   * change of the session runs at the same time, it decides again on the changed session.
   *
   * @param w0 bytes 0 to 7 of the SHA-256 hash of the session token
   * @param w1 bytes 8 to 15
   * @param w2 bytes 16 to 23
   * @param w3 bytes 24 to 31
   * @param routingTag the routing tag the client presented with the token ({@link
   *     RoutingTag#NONE} if none)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return the session this call deleted, or {@code null} if no session has this hash, the hash
   *     does not resolve to it at {@code nowMillis}, or another call deleted it first
   * @throws SessionStoreException if the store fails (the session may or may not be deleted)
   */
  default SessionView findAndDelete(long w0, long w1, long w2, long w3, String routingTag,
      long nowMillis) {
    TokenHash hash = TokenHash.ofWords(w0, w1, w2, w3).withRoutingTag(routingTag);
    SessionRecord record = findByTokenHash(hash).orElse(null);
    if (record == null || !record.resolvesBy(hash, nowMillis)) {
      return null;
    }
    return delete(record.id()) ? record : null;
  }

  /**
   * Returns the session with public id {@code sessionId}; it may have expired (see above).
   *
   * @param sessionId the public session id
   * @return the session with public id {@code sessionId}
   */
  Optional<SessionRecord> findById(String sessionId);

  /**
   * Records an access at {@code nowMillis}, moving the idle deadline forward; an earlier time than
   * the stored one leaves it unchanged.
   *
   * @param sessionId the public session id
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return {@code false} if the session no longer exists
   */
  boolean touch(String sessionId, long nowMillis);

  /**
   * Atomically replaces the session's token, previous token, authentication, lifetime and client
   * with those of {@code replacement} (whose id is {@code sessionId}), if its current token hash is
   * {@code expectedTokenHash}. The
   * id, the creation time, the idle timeout (see {@link #setIdleTimeout}) and the attributes stay
   * as stored, and the last access becomes the later of the stored and the replacement's. This is how login, renewal and credential changes rotate
   * the token: afterwards the session is found by exactly the replacement's token hash and its
   * previous token hash (if any), and by no other.
   *
   * <p>If {@code replacement} is authenticated and its principal is not the stored one (a login
   * from an anonymous session), the rotation is fenced like {@link #create}: it succeeds only if
   * the principal's revocation generation is still at most {@code principalGeneration}.
   *
   * <p>Moves: on a store that {@linkplain #routingTag routes}, a login may need the session under
   * the principal's tag. The manager then gives {@code replacement} a new id carrying that tag (the
   * only case where its id differs from {@code sessionId}); the store moves the session with its
   * attributes, and for the rotation grace still finds it by the old id and by the replaced token
   * hash (by which {@link #findByTokenHash} returns the moved record). A store that does not route
   * never gets a move.
   *
   * @param sessionId the public session id
   * @param expectedTokenHash the token hash the session must still have (compare-and-set)
   * @param replacement the record with the new values
   * @param principalGeneration the principal's revocation generation that the caller read before
   *     deciding
   * @return {@code false} if the session is gone, its token hash is no longer the expected one, or
   *     the fence refused it (nothing changed)
   */
  boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration);

  /**
   * Atomically sets the session's own idle timeout ({@link Lifetime#idleTimeout()}) and moves its
   * expiry accordingly (earlier or later; physical expiry such as a Redis TTL follows). The last
   * access, the absolute deadline and everything else stay as stored, and a later {@link #rotate}
   * keeps the new idle timeout. The session may have expired meanwhile; it is changed anyway (the
   * manager checks). Nothing changes unless the stored session's principal is {@code
   * expectedPrincipal} (see the class rules: a view from before a login cannot change the
   * authenticated session).
   *
   * @param sessionId the public session id
   * @param expectedPrincipal the principal of the caller's view of the session, or {@code null} if
   *     it saw the session anonymous
   * @param idleTimeoutMillis the idle timeout in milliseconds: positive, or {@link
   *     Lifetime#NO_IDLE_TIMEOUT} for none (the absolute deadline alone ends the session)
   * @return {@code false} if the session no longer exists or now has another principal (nothing
   *     changed)
   * @throws IllegalArgumentException if {@code idleTimeoutMillis} is not positive
   */
  boolean setIdleTimeout(String sessionId, String expectedPrincipal, long idleTimeoutMillis);

  /**
   * Atomically applies attribute changes: puts {@code puts} and removes {@code removals}, leaving
   * every other attribute as stored (so that concurrent changes of different attributes merge).
   * Nothing changes unless the stored session's principal is {@code expectedPrincipal}, checked in
   * the same atomic step: a request that saw the session anonymous and writes after a parallel
   * login (which keeps the session and its attributes) writes nothing into the authenticated
   * session (OWASP ASVS 5.0 7.2.4, session fixation).
   *
   * @param sessionId the public session id
   * @param expectedPrincipal the principal of the caller's view of the session, or {@code null} if
   *     it saw the session anonymous
   * @param puts attributes to write, by name
   * @param removals names of the attributes to remove
   * @return {@code false} if the session no longer exists or now has another principal (nothing
   *     changed)
   */
  boolean updateAttributes(String sessionId, String expectedPrincipal, Map<String, Object> puts,
      Set<String> removals);

  /**
   * Deletes the session.
   *
   * @param sessionId the public session id
   * @return {@code true} if this call removed it; {@code false} if it was already gone, so that of
   *     two racing deletes exactly one reports the end
   */
  boolean delete(String sessionId);

  /**
   * Returns the live sessions ({@code nowMillis < expiresAt}) of {@code principal}, in no order.
   *
   * @param principal the principal (the user's id)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return the live sessions ({@code nowMillis < expiresAt}) of {@code principal}, in no order
   */
  List<SessionRecord> findByPrincipal(String principal, long nowMillis);

  /**
   * Returns the principal's revocation generation: {@code 0} until its first {@link
   * #revokePrincipal}, then never lower. A store keeps a principal's generation for as long as it
   * keeps anything: at least one small entry per principal that was ever revoked (a store that
   * locks a row per principal, such as the JDBC store, keeps one per principal that signed in).
   *
   * @param principal the principal (the user's id)
   * @return the principal's revocation generation
   */
  long principalGeneration(String principal);

  /**
   * In one atomic step, raises the principal's revocation generation to at least {@code
   * newGeneration} and deletes every session of {@code principal} except those whose ids are in
   * {@code keepSessionIds}, including sessions that expired but were not yet removed.
   *
   * @param principal the principal (the user's id)
   * @param keepSessionIds ids of the sessions to keep
   * @param newGeneration the revocation generation to raise the principal's to
   * @return the ids of the sessions this call deleted
   */
  List<String> revokePrincipal(String principal, Set<String> keepSessionIds, long newGeneration);

  /**
   * Ends every session in the store, the administrative answer to a breach (a copy of the store or
   * of the signing keys leaked, a vulnerability exploited): for each principal, in one atomic step
   * as {@link #revokePrincipal} does, raises its revocation generation by one and deletes its
   * sessions; then deletes every anonymous session. The principals covered are every one the store
   * keeps anything of: a session, a generation, and, in a store that keeps remember-me series too,
   * a series. So a login or remember-me resume in flight for any of them is refused or deleted, as
   * after a force logout; a first login of a principal the store never saw may complete after this
   * call and survives (its credentials were checked).
   *
   * <p>Cost: O(sessions + principals in the store), the one operation that touches everything; a
   * store may do it in batches (not one transaction) as long as each principal's step is atomic.
   *
   * @return how many sessions this call deleted (including expired ones not yet purged)
   */
  long revokeAll();

  /**
   * Removes up to {@code limit} sessions that have expired at {@code nowMillis} and reports each
   * one exactly once across all callers (several app servers may purge at the same time). For a
   * store whose backend expires entries by itself (Redis TTLs), this reports those too.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param limit the most entries to handle in this call; at least 1
   * @return the sessions removed; fewer than {@code limit} means no more are due
   */
  List<ExpiredSession> purgeExpired(long nowMillis, int limit);

  /**
   * Returns how many sessions the store holds, if it can tell without a scan (a size it keeps, a
   * counter of the backend): the live sessions plus the ended ones that the next {@link
   * #purgeExpired purge} removes. Metrics read it as a gauge, so it must be cheap and must not
   * throw for a reason other than a failing backend.
   *
   * <p>The default returns empty: the store cannot tell cheaply. Wrappers forward it.
   *
   * @return the number of stored sessions, or empty if counting would cost a scan
   */
  default OptionalLong sessionCount() {
    return OptionalLong.empty();
  }

  /**
   * Checks that the store answers, with one cheap call to its backend: what a health check of
   * the application runs ({@code SessionManager.checkStore}). Returns normally if the store works
   * and throws, like any other call, if it does not.
   *
   * <p>The default looks up a session id that is never issued ({@link #findById}), which goes
   * the whole way to the backend (a query of the sessions table, a Redis command). Override it
   * with something cheaper (a {@code PING}) only if that checks as much.
   *
   * @throws SessionStoreException if the backend does not answer or fails
   */
  default void ping() {
    findById(PING_SESSION_ID);
  }

  /** The session id {@link #ping()} looks up: never issued (session ids are base64url). */
  String PING_SESSION_ID = "sessionkit.ping";
}
