package dev.sessionkit.servlet.testapp;

import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** A real in-memory store that throws SessionStoreException on every call while switched off. */
public final class FailingStore implements SessionStore {

  private final InMemorySessionStore delegate = InMemorySessionStore.create();
  private final AtomicBoolean failing = new AtomicBoolean();

  /** Makes every call fail (true) or pass (false). */
  public void failing(boolean value) {
    failing.set(value);
  }

  private <T> T call(Supplier<T> action) {
    if (failing.get()) {
      throw new SessionStoreException("test store is down");
    }
    return action.get();
  }

  @Override
  public void create(SessionRecord session) {
    call(() -> {
      delegate.create(session);
      return null;
    });
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return call(() -> delegate.findByTokenHash(tokenHash));
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return call(() -> delegate.findById(sessionId));
  }

  @Override
  public boolean touch(String sessionId, long lastAccessedAt) {
    return call(() -> delegate.touch(sessionId, lastAccessedAt));
  }

  @Override
  public boolean replaceMetadata(String sessionId, TokenHash expected, SessionRecord replacement) {
    return call(() -> delegate.replaceMetadata(sessionId, expected, replacement));
  }

  @Override
  public boolean updateAttributes(String sessionId, Map<String, Object> puts, Set<String> removals) {
    return call(() -> delegate.updateAttributes(sessionId, puts, removals));
  }

  @Override
  public boolean delete(String sessionId) {
    return call(() -> delegate.delete(sessionId));
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long now) {
    return call(() -> delegate.findByPrincipal(principal, now));
  }

  @Override
  public List<String> deleteByPrincipal(String principal, Set<String> keep) {
    return call(() -> delegate.deleteByPrincipal(principal, keep));
  }

  @Override
  public List<ExpiredSession> purgeExpired(long now, int limit) {
    return call(() -> delegate.purgeExpired(now, limit));
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    call(() -> {
      delegate.createSeries(series);
      return null;
    });
  }

  @Override
  public Optional<RememberMeSeries> findSeries(String selector) {
    return call(() -> delegate.findSeries(selector));
  }

  @Override
  public boolean rotateSeries(String selector, TokenHash expected, TokenHash next, long graceUntil,
      long now) {
    return call(() -> delegate.rotateSeries(selector, expected, next, graceUntil, now));
  }

  @Override
  public boolean deleteSeries(String selector) {
    return call(() -> delegate.deleteSeries(selector));
  }

  @Override
  public int deleteSeriesByPrincipal(String principal, Set<String> keep) {
    return call(() -> delegate.deleteSeriesByPrincipal(principal, keep));
  }

  @Override
  public int purgeExpiredSeries(long now, int limit) {
    return call(() -> delegate.purgeExpiredSeries(now, limit));
  }
}
