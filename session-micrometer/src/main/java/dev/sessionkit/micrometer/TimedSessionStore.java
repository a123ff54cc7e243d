// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import dev.sessionkit.micrometer.StoreCallTimers.Operation;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A session store that times every call of the store it wraps. Thread-safe if that one is. */
final class TimedSessionStore extends ForwardingSessionStore {

  private final StoreCallTimers timers;

  TimedSessionStore(SessionStore delegate, StoreCallTimers timers) {
    super(delegate);
    this.timers = timers;
  }

  @Override
  public boolean create(SessionRecord session, long principalGeneration) {
    return timers.time(Operation.CREATE, () -> super.create(session, principalGeneration));
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return timers.time(Operation.FIND_BY_TOKEN_HASH, () -> super.findByTokenHash(tokenHash));
  }

  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    return timers.time(Operation.FIND_BY_TOKEN_HASH_AND_TOUCH,
        () -> super.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis));
  }

  /** The per-request call, forwarded as the store's own (its allocation-free path, if it has one). */
  @Override
  public SessionView findAndTouch(long w0, long w1, long w2, long w3, String routingTag,
      long nowMillis, long minIntervalMillis) {
    return timers.time(Operation.FIND_AND_TOUCH, () -> delegate().findAndTouch(w0,
        w1, w2, w3, routingTag, nowMillis, minIntervalMillis));
  }

  /** Logout's call, forwarded as the store's own (one step, if the store has one). */
  @Override
  public SessionView findAndDelete(long w0, long w1, long w2, long w3, String routingTag,
      long nowMillis) {
    return timers.time(Operation.FIND_AND_DELETE, () -> delegate().findAndDelete(w0, w1, w2, w3,
        routingTag, nowMillis));
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return timers.time(Operation.FIND_BY_ID, () -> super.findById(sessionId));
  }

  @Override
  public boolean touch(String sessionId, long nowMillis) {
    return timers.time(Operation.TOUCH, () -> super.touch(sessionId, nowMillis));
  }

  @Override
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    return timers.time(Operation.SET_IDLE_TIMEOUT,
        () -> super.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis));
  }

  @Override
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    return timers.time(Operation.ROTATE,
        () -> super.rotate(sessionId, expectedTokenHash, replacement, principalGeneration));
  }

  @Override
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    return timers.time(Operation.UPDATE_ATTRIBUTES,
        () -> super.updateAttributes(sessionId, expectedPrincipal, puts, removals));
  }

  @Override
  public boolean delete(String sessionId) {
    return timers.time(Operation.DELETE, () -> super.delete(sessionId));
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    return timers.time(Operation.FIND_BY_PRINCIPAL,
        () -> super.findByPrincipal(principal, nowMillis));
  }

  @Override
  public long principalGeneration(String principal) {
    return timers.time(Operation.PRINCIPAL_GENERATION, () -> super.principalGeneration(principal));
  }

  @Override
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    return timers.time(Operation.REVOKE_PRINCIPAL,
        () -> super.revokePrincipal(principal, keepSessionIds, newGeneration));
  }

  @Override
  public long revokeAll() {
    return timers.time(Operation.REVOKE_ALL, super::revokeAll);
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    return timers.time(Operation.PURGE_EXPIRED, () -> super.purgeExpired(nowMillis, limit));
  }

  @Override
  public void ping() {
    timers.time(Operation.PING, super::ping);
  }
}
