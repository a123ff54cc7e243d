// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A {@link SessionStore} that passes every call to another store: a base for wrappers (guards,
 * counters, fault injection in tests) that override only the calls they change. Thread-safe if the
 * delegate is.
 *
 * <p>{@link SessionStore#findAndTouch} and {@link SessionStore#findAndDelete} are the calls it
 * does not forward: their defaults go through {@link #findByTokenHashAndTouch}, and {@link
 * #findByTokenHash} and {@link #delete} (which are forwarded), so a wrapper that overrides those
 * sees every request and every logout. That costs the one-step paths of the store beneath; a
 * wrapper that wants them overrides {@code findAndTouch} or {@code findAndDelete} as well and
 * forwards it to {@link #delegate()}.
 */
public abstract class ForwardingSessionStore implements SessionStore {

  private final SessionStore delegate;

  /**
   * Creates a store that forwards to {@code delegate}.
   *
   * @param delegate the store that calls are forwarded to
   */
  protected ForwardingSessionStore(SessionStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Returns the store calls are forwarded to.
   *
   * @return the store calls are forwarded to
   */
  public SessionStore delegate() {
    return delegate;
  }

  @Override
  public String routingTag(String principal) {
    return delegate.routingTag(principal);
  }

  @Override
  public String sessionCookieTag(String sessionId) {
    return delegate.sessionCookieTag(sessionId);
  }

  @Override
  public boolean create(SessionRecord session, long principalGeneration) {
    return delegate.create(session, principalGeneration);
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return delegate.findByTokenHash(tokenHash);
  }

  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    return delegate.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis);
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return delegate.findById(sessionId);
  }

  @Override
  public boolean touch(String sessionId, long nowMillis) {
    return delegate.touch(sessionId, nowMillis);
  }

  @Override
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    return delegate.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis);
  }

  @Override
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    return delegate.rotate(sessionId, expectedTokenHash, replacement, principalGeneration);
  }

  @Override
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    return delegate.updateAttributes(sessionId, expectedPrincipal, puts, removals);
  }

  @Override
  public boolean delete(String sessionId) {
    return delegate.delete(sessionId);
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    return delegate.findByPrincipal(principal, nowMillis);
  }

  @Override
  public long principalGeneration(String principal) {
    return delegate.principalGeneration(principal);
  }

  @Override
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    return delegate.revokePrincipal(principal, keepSessionIds, newGeneration);
  }

  @Override
  public long revokeAll() {
    return delegate.revokeAll();
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    return delegate.purgeExpired(nowMillis, limit);
  }

  @Override
  public OptionalLong sessionCount() {
    return delegate.sessionCount();
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
