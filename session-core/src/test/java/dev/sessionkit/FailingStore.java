// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A store whose backend is down: every call fails the way a driver would. */
final class FailingStore implements SessionStore, RememberMeStore {

  private static IllegalStateException down() {
    return new IllegalStateException("connection refused");
  }

  @Override
  public boolean create(SessionRecord session, long principalGeneration) {
    throw down();
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    throw down();
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    throw down();
  }

  @Override
  public boolean touch(String sessionId, long nowMillis) {
    throw down();
  }

  @Override
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    throw down();
  }

  @Override
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    throw down();
  }

  @Override
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    throw down();
  }

  @Override
  public boolean delete(String sessionId) {
    throw down();
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    throw down();
  }

  @Override
  public long principalGeneration(String principal) {
    throw down();
  }

  @Override
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    throw down();
  }

  @Override
  public long revokeAll() {
    throw down();
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    throw down();
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    throw down();
  }

  @Override
  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    throw down();
  }

  @Override
  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    throw down();
  }

  @Override
  public boolean deleteSeries(TokenHash selectorHash) {
    throw down();
  }

  @Override
  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    throw down();
  }

  @Override
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    throw down();
  }

  @Override
  public long revokeAllSeries() {
    throw down();
  }

  @Override
  public int purgeExpiredSeries(long nowMillis, int limit) {
    throw down();
  }
}
