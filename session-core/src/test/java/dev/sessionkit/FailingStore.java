package dev.sessionkit;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A store whose backend is down: every call fails the way a driver would. */
final class FailingStore implements SessionStore {

  private static IllegalStateException down() {
    return new IllegalStateException("connection refused");
  }

  @Override
  public void create(SessionRecord session) {
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
  public boolean touch(String sessionId, long lastAccessedAt) {
    throw down();
  }

  @Override
  public boolean replaceMetadata(String id, TokenHash expected, SessionRecord replacement) {
    throw down();
  }

  @Override
  public boolean updateAttributes(String id, Map<String, Object> puts, Set<String> removals) {
    throw down();
  }

  @Override
  public boolean delete(String sessionId) {
    throw down();
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long now) {
    throw down();
  }

  @Override
  public List<String> deleteByPrincipal(String principal, Set<String> keep) {
    throw down();
  }

  @Override
  public List<ExpiredSession> purgeExpired(long now, int limit) {
    throw down();
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    throw down();
  }

  @Override
  public Optional<RememberMeSeries> findSeries(String selector) {
    throw down();
  }

  @Override
  public boolean rotateSeries(String selector, TokenHash expected, TokenHash next, long graceUntil,
      long now) {
    throw down();
  }

  @Override
  public boolean deleteSeries(String selector) {
    throw down();
  }

  @Override
  public int deleteSeriesByPrincipal(String principal, Set<String> keep) {
    throw down();
  }

  @Override
  public int purgeExpiredSeries(long now, int limit) {
    throw down();
  }
}
