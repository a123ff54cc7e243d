// SPDX-License-Identifier: Apache-2.0

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
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Wrappers that make every store failure surface as a {@link SessionStoreException}, whatever the
 * store throws, and that refuse a {@code null} answer instead of mistaking it for one. An {@link
 * AttributeCodecException} (a value that cannot be stored) passes through unchanged: it is the
 * caller's mistake, not a store failure. A virtual machine error is rethrown as it is.
 *
 * <p>The calls of the per-request path ({@code findByTokenHash}, {@code findByTokenHashAndTouch},
 * {@code findAndTouch}, {@code touch}) and logout's {@code findAndDelete} are written out with a
 * try block: the JIT does not always remove a capturing lambda, which would cost an allocation on
 * every request. The others share {@link #call}.
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

  /** Runs a call that is not on the per-request path, guarded; a capturing lambda is fine here. */
  static <T> T call(String operation, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (RuntimeException | Error e) {
      throw failure(operation, e);
    }
    return answer(operation, result);
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
      return call("create", () -> super.create(session, principalGeneration));
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

    /** Forwards to the store's own {@code findAndTouch} (not through this guard's other calls). */
    @Override
    public SessionView findAndTouch(long w0, long w1, long w2, long w3, String routingTag,
        long nowMillis, long minIntervalMillis) {
      try {
        return delegate().findAndTouch(w0, w1, w2, w3, routingTag, nowMillis, minIntervalMillis);
      } catch (RuntimeException | Error e) {
        throw failure("findAndTouch", e);
      }
    }

    /** Forwards to the store's own {@code findAndDelete} (not through this guard's other calls). */
    @Override
    public SessionView findAndDelete(long w0, long w1, long w2, long w3, String routingTag,
        long nowMillis) {
      try {
        return delegate().findAndDelete(w0, w1, w2, w3, routingTag, nowMillis);
      } catch (RuntimeException | Error e) {
        throw failure("findAndDelete", e);
      }
    }

    @Override
    public Optional<SessionRecord> findById(String sessionId) {
      return call("findById", () -> super.findById(sessionId));
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
    public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
      return call("setIdleTimeout", () -> super.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis));
    }

    @Override
    public boolean rotate(String sessionId, TokenHash expectedTokenHash,
        SessionRecord replacement, long principalGeneration) {
      return call("rotate",
          () -> super.rotate(sessionId, expectedTokenHash, replacement, principalGeneration));
    }

    @Override
    public boolean updateAttributes(String sessionId, String expectedPrincipal,
        Map<String, Object> puts, Set<String> removals) {
      return call("updateAttributes", () -> super.updateAttributes(sessionId, expectedPrincipal, puts, removals));
    }

    @Override
    public boolean delete(String sessionId) {
      return call("delete", () -> super.delete(sessionId));
    }

    @Override
    public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
      return call("findByPrincipal", () -> super.findByPrincipal(principal, nowMillis));
    }

    @Override
    public long principalGeneration(String principal) {
      return call("principalGeneration", () -> super.principalGeneration(principal));
    }

    @Override
    public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
        long newGeneration) {
      return call("revokePrincipal",
          () -> super.revokePrincipal(principal, keepSessionIds, newGeneration));
    }

    @Override
    public long revokeAll() {
      return call("revokeAll", super::revokeAll);
    }

    @Override
    public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
      return call("purgeExpired", () -> super.purgeExpired(nowMillis, limit));
    }
  }

  /** The guard of a {@link RememberMeStore}. */
  static final class RememberMe extends ForwardingRememberMeStore {

    RememberMe(RememberMeStore delegate) {
      super(delegate);
    }

    @Override
    public void createSeries(RememberMeSeries series) {
      call("create series", () -> {
        super.createSeries(series);
        return Boolean.TRUE;
      });
    }

    @Override
    public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
      return call("find series", () -> super.findSeries(selectorHash));
    }

    @Override
    public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
      return call("replace series", () -> super.replaceSeries(replacement, expectedValidatorHash));
    }

    @Override
    public boolean deleteSeries(TokenHash selectorHash) {
      return call("delete series", () -> super.deleteSeries(selectorHash));
    }

    @Override
    public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
      return call("deleteIfLatest series",
          () -> super.deleteSeriesIfLatest(selectorHash, sessionId));
    }

    @Override
    public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
        long keptGeneration) {
      return call("revokePrincipal series",
          () -> super.revokeSeries(principal, keepSelectorHashes, keptGeneration));
    }

    @Override
    public long revokeAllSeries() {
      return call("revokeAll series", super::revokeAllSeries);
    }

    @Override
    public int purgeExpiredSeries(long nowMillis, int limit) {
      return call("purgeExpired series", () -> super.purgeExpiredSeries(nowMillis, limit));
    }
  }
}
