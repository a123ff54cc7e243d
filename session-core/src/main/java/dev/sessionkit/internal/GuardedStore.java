package dev.sessionkit.internal;

import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Wraps a store so that every failure surfaces as a {@link SessionStoreException}, whatever the
 * store throws, and so that a store answering {@code null} cannot be mistaken for an answer. An
 * {@link AttributeCodecException} (a value that cannot be stored) passes through unchanged.
 */
public final class GuardedStore implements SessionStore {

  private final SessionStore delegate;

  public GuardedStore(SessionStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "store");
  }

  /** Returns the wrapped store. */
  public SessionStore delegate() {
    return delegate;
  }

  private <T> T call(String operation, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (SessionStoreException | AttributeCodecException e) {
      throw e; // a value the codec refuses is the caller's mistake, not a store failure
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      throw new SessionStoreException("session store failed in " + operation + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    if (result == null) {
      throw new SessionStoreException("session store answered null to " + operation);
    }
    return result;
  }

  @Override
  public void create(SessionRecord session) {
    call("create", () -> {
      delegate.create(session);
      return Boolean.TRUE;
    });
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return call("findByTokenHash", () -> delegate.findByTokenHash(tokenHash));
  }

  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long now,
      long minInterval) {
    return call("findByTokenHashAndTouch",
        () -> delegate.findByTokenHashAndTouch(tokenHash, now, minInterval));
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return call("findById", () -> delegate.findById(sessionId));
  }

  @Override
  public boolean touch(String sessionId, long lastAccessedAt) {
    return call("touch", () -> delegate.touch(sessionId, lastAccessedAt));
  }

  @Override
  public boolean replaceMetadata(String sessionId, TokenHash expected, SessionRecord replacement) {
    return call("replaceMetadata", () -> delegate.replaceMetadata(sessionId, expected, replacement));
  }

  @Override
  public boolean updateAttributes(String sessionId, Map<String, Object> puts, Set<String> removals) {
    return call("updateAttributes", () -> delegate.updateAttributes(sessionId, puts, removals));
  }

  @Override
  public boolean delete(String sessionId) {
    return call("delete", () -> delegate.delete(sessionId));
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long now) {
    return call("findByPrincipal", () -> delegate.findByPrincipal(principal, now));
  }

  @Override
  public List<String> deleteByPrincipal(String principal, Set<String> keepSessionIds) {
    return call("deleteByPrincipal", () -> delegate.deleteByPrincipal(principal, keepSessionIds));
  }

  @Override
  public List<ExpiredSession> purgeExpired(long now, int limit) {
    return call("purgeExpired", () -> delegate.purgeExpired(now, limit));
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    call("createSeries", () -> {
      delegate.createSeries(series);
      return Boolean.TRUE;
    });
  }

  @Override
  public Optional<RememberMeSeries> findSeries(String selector) {
    return call("findSeries", () -> delegate.findSeries(selector));
  }

  @Override
  public boolean rotateSeries(String selector, TokenHash expectedValidatorHash,
      TokenHash newValidatorHash, long graceUntil, long now) {
    return call("rotateSeries", () -> delegate.rotateSeries(selector, expectedValidatorHash,
        newValidatorHash, graceUntil, now));
  }

  @Override
  public boolean deleteSeries(String selector) {
    return call("deleteSeries", () -> delegate.deleteSeries(selector));
  }

  @Override
  public int deleteSeriesByPrincipal(String principal, Set<String> keepSelectors) {
    return call("deleteSeriesByPrincipal",
        () -> delegate.deleteSeriesByPrincipal(principal, keepSelectors));
  }

  @Override
  public int purgeExpiredSeries(long now, int limit) {
    return call("purgeExpiredSeries", () -> delegate.purgeExpiredSeries(now, limit));
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
