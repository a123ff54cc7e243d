package dev.sessionkit;

import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Wrappers that make every store failure surface as a {@link SessionStoreException}, whatever the
 * store throws, and that refuse a {@code null} answer instead of mistaking it for one. An {@link
 * AttributeCodecException} (a value that cannot be stored) passes through unchanged: it is the
 * caller's mistake, not a store failure. A virtual machine error is rethrown as it is.
 *
 * <p>Each call is written out with a try block rather than a shared lambda helper: the JIT does not
 * always remove a capturing lambda, which would cost an allocation on every request.
 */
final class GuardedStores {

  private GuardedStores() {}

  static RuntimeException failure(String operation, Throwable e) {
    if (e instanceof SessionStoreException s) {
      return s;
    }
    if (e instanceof AttributeCodecException c) {
      return c;
    }
    if (e instanceof VirtualMachineError v) {
      throw v;
    }
    return new SessionStoreException("session store failed in " + operation + " ("
        + e.getClass().getSimpleName() + ")", e);
  }

  static <T> T answer(String operation, T result) {
    if (result == null) {
      throw new SessionStoreException("session store answered null to " + operation);
    }
    return result;
  }

  /** The guard of a {@link SessionStore}. */
  static final class Sessions extends ForwardingSessionStore {

    Sessions(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public boolean create(SessionRecord session, long principalGeneration) {
      try {
        return super.create(session, principalGeneration);
      } catch (RuntimeException | Error e) {
        throw failure("create", e);
      }
    }

    @Override
    public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
      Optional<SessionRecord> result;
      try {
        result = super.findByTokenHash(tokenHash);
      } catch (RuntimeException | Error e) {
        throw failure("findByTokenHash", e);
      }
      return answer("findByTokenHash", result);
    }

    @Override
    public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
        long minIntervalMillis) {
      Optional<SessionRecord> result;
      try {
        result = super.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis);
      } catch (RuntimeException | Error e) {
        throw failure("findByTokenHashAndTouch", e);
      }
      return answer("findByTokenHashAndTouch", result);
    }

    @Override
    public Optional<SessionRecord> findById(String sessionId) {
      Optional<SessionRecord> result;
      try {
        result = super.findById(sessionId);
      } catch (RuntimeException | Error e) {
        throw failure("findById", e);
      }
      return answer("findById", result);
    }

    @Override
    public boolean touch(String sessionId, long nowMillis) {
      try {
        return super.touch(sessionId, nowMillis);
      } catch (RuntimeException | Error e) {
        throw failure("touch", e);
      }
    }

    @Override
    public boolean rotate(String sessionId, TokenHash expectedTokenHash,
        SessionRecord replacement, long principalGeneration) {
      try {
        return super.rotate(sessionId, expectedTokenHash, replacement, principalGeneration);
      } catch (RuntimeException | Error e) {
        throw failure("rotate", e);
      }
    }

    @Override
    public boolean updateAttributes(String sessionId, Map<String, Object> puts,
        Set<String> removals) {
      try {
        return super.updateAttributes(sessionId, puts, removals);
      } catch (RuntimeException | Error e) {
        throw failure("updateAttributes", e);
      }
    }

    @Override
    public boolean delete(String sessionId) {
      try {
        return super.delete(sessionId);
      } catch (RuntimeException | Error e) {
        throw failure("delete", e);
      }
    }

    @Override
    public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
      List<SessionRecord> result;
      try {
        result = super.findByPrincipal(principal, nowMillis);
      } catch (RuntimeException | Error e) {
        throw failure("findByPrincipal", e);
      }
      return answer("findByPrincipal", result);
    }

    @Override
    public long principalGeneration(String principal) {
      try {
        return super.principalGeneration(principal);
      } catch (RuntimeException | Error e) {
        throw failure("principalGeneration", e);
      }
    }

    @Override
    public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
        long newGeneration) {
      List<String> result;
      try {
        result = super.revokePrincipal(principal, keepSessionIds, newGeneration);
      } catch (RuntimeException | Error e) {
        throw failure("revokePrincipal", e);
      }
      return answer("revokePrincipal", result);
    }

    @Override
    public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
      List<ExpiredSession> result;
      try {
        result = super.purgeExpired(nowMillis, limit);
      } catch (RuntimeException | Error e) {
        throw failure("purgeExpired", e);
      }
      return answer("purgeExpired", result);
    }
  }

  /** The guard of a {@link RememberMeStore}. */
  static final class RememberMe extends ForwardingRememberMeStore {

    RememberMe(RememberMeStore delegate) {
      super(delegate);
    }

    @Override
    public void createSeries(RememberMeSeries series) {
      try {
        super.createSeries(series);
      } catch (RuntimeException | Error e) {
        throw failure("create series", e);
      }
    }

    @Override
    public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
      Optional<RememberMeSeries> result;
      try {
        result = super.findSeries(selectorHash);
      } catch (RuntimeException | Error e) {
        throw failure("find series", e);
      }
      return answer("find series", result);
    }

    @Override
    public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
      try {
        return super.replaceSeries(replacement, expectedValidatorHash);
      } catch (RuntimeException | Error e) {
        throw failure("replace series", e);
      }
    }

    @Override
    public boolean deleteSeries(TokenHash selectorHash) {
      try {
        return super.deleteSeries(selectorHash);
      } catch (RuntimeException | Error e) {
        throw failure("delete series", e);
      }
    }

    @Override
    public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
      try {
        return super.deleteSeriesIfLatest(selectorHash, sessionId);
      } catch (RuntimeException | Error e) {
        throw failure("deleteIfLatest series", e);
      }
    }

    @Override
    public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
        long keptGeneration) {
      try {
        return super.revokeSeries(principal, keepSelectorHashes, keptGeneration);
      } catch (RuntimeException | Error e) {
        throw failure("revokePrincipal series", e);
      }
    }

    @Override
    public int purgeExpiredSeries(long nowMillis, int limit) {
      try {
        return super.purgeExpiredSeries(nowMillis, limit);
      } catch (RuntimeException | Error e) {
        throw failure("purgeExpired series", e);
      }
    }
  }
}
