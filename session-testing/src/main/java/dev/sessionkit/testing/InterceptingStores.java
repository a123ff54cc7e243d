// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Forwarding stores that pass every SPI call, named by its {@link Operation}, through an {@link
 * Interceptor}: the common machinery of {@link FaultInjectingStore} and {@link InterleavingStore}.
 * {@code close()} passes straight through.
 */
final class InterceptingStores {

  /** What a wrapper does around each SPI call. Implementations must be thread-safe. */
  interface Interceptor {

    /**
     * Runs {@code call} (the delegate's method), or not, and returns its result or throws.
     *
     * @param operation which SPI method is called
     * @param call calls the delegate; returns {@code null} for a {@code void} method
     */
    <T> T around(Operation operation, Supplier<T> call);
  }

  private InterceptingStores() {}

  /** Returns a session store that calls {@code delegate} through {@code interceptor}. */
  static ForwardingSessionStore sessions(SessionStore delegate, Interceptor interceptor) {
    return new Sessions(delegate, interceptor);
  }

  /** Returns a remember-me store that calls {@code delegate} through {@code interceptor}. */
  static ForwardingRememberMeStore rememberMe(RememberMeStore delegate, Interceptor interceptor) {
    return new RememberMe(delegate, interceptor);
  }

  private static final class Sessions extends ForwardingSessionStore {
    private final Interceptor in;

    Sessions(SessionStore delegate, Interceptor interceptor) {
      super(delegate);
      this.in = Objects.requireNonNull(interceptor, "interceptor");
    }

    @Override
    public boolean create(SessionRecord session, long principalGeneration) {
      return in.around(Operation.SESSION_CREATE,
          () -> super.create(session, principalGeneration));
    }

    @Override
    public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
      return in.around(Operation.SESSION_FIND_BY_TOKEN_HASH, () -> super.findByTokenHash(tokenHash));
    }

    @Override
    public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
        long minIntervalMillis) {
      return in.around(Operation.SESSION_FIND_AND_TOUCH,
          () -> super.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis));
    }

    /** The same operation as {@link #findByTokenHashAndTouch}, forwarded as the store's own. */
    @Override
    public SessionView findAndTouch(long w0, long w1, long w2, long w3, String routingTag,
        long nowMillis, long minIntervalMillis) {
      return in.around(Operation.SESSION_FIND_AND_TOUCH, () -> delegate().findAndTouch(w0, w1, w2,
          w3, routingTag, nowMillis, minIntervalMillis));
    }

    /** Logout's call, forwarded as the store's own (one operation, not a find and a delete). */
    @Override
    public SessionView findAndDelete(long w0, long w1, long w2, long w3, String routingTag,
        long nowMillis) {
      return in.around(Operation.SESSION_FIND_AND_DELETE, () -> delegate().findAndDelete(w0, w1,
          w2, w3, routingTag, nowMillis));
    }

    @Override
    public Optional<SessionRecord> findById(String sessionId) {
      return in.around(Operation.SESSION_FIND_BY_ID, () -> super.findById(sessionId));
    }

    @Override
    public boolean touch(String sessionId, long nowMillis) {
      return in.around(Operation.SESSION_TOUCH, () -> super.touch(sessionId, nowMillis));
    }

    @Override
    public boolean rotate(String sessionId, TokenHash expectedTokenHash,
        SessionRecord replacement, long principalGeneration) {
      return in.around(Operation.SESSION_ROTATE,
          () -> super.rotate(sessionId, expectedTokenHash, replacement, principalGeneration));
    }

    @Override
    public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
      return in.around(Operation.SESSION_SET_IDLE_TIMEOUT,
          () -> super.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis));
    }

    @Override
    public boolean updateAttributes(String sessionId, String expectedPrincipal,
        Map<String, Object> puts, Set<String> removals) {
      return in.around(Operation.SESSION_UPDATE_ATTRIBUTES,
          () -> super.updateAttributes(sessionId, expectedPrincipal, puts, removals));
    }

    @Override
    public boolean delete(String sessionId) {
      return in.around(Operation.SESSION_DELETE, () -> super.delete(sessionId));
    }

    @Override
    public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
      return in.around(Operation.SESSION_FIND_BY_PRINCIPAL,
          () -> super.findByPrincipal(principal, nowMillis));
    }

    @Override
    public long principalGeneration(String principal) {
      return in.around(Operation.PRINCIPAL_GENERATION, () -> super.principalGeneration(principal));
    }

    @Override
    public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
        long newGeneration) {
      return in.around(Operation.SESSION_REVOKE_PRINCIPAL,
          () -> super.revokePrincipal(principal, keepSessionIds, newGeneration));
    }

    @Override
    public long revokeAll() {
      return in.around(Operation.SESSION_REVOKE_ALL, super::revokeAll);
    }

    @Override
    public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
      return in.around(Operation.SESSION_PURGE, () -> super.purgeExpired(nowMillis, limit));
    }

    @Override
    public OptionalLong sessionCount() {
      return in.around(Operation.SESSION_COUNT, super::sessionCount);
    }

    @Override
    public void ping() {
      in.around(Operation.SESSION_PING, () -> {
        super.ping();
        return null;
      });
    }
  }

  private static final class RememberMe extends ForwardingRememberMeStore {
    private final Interceptor in;

    RememberMe(RememberMeStore delegate, Interceptor interceptor) {
      super(delegate);
      this.in = Objects.requireNonNull(interceptor, "interceptor");
    }

    @Override
    public void createSeries(RememberMeSeries series) {
      in.around(Operation.SERIES_CREATE, () -> {
        super.createSeries(series);
        return null;
      });
    }

    @Override
    public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
      return in.around(Operation.SERIES_FIND, () -> super.findSeries(selectorHash));
    }

    @Override
    public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
      return in.around(Operation.SERIES_REPLACE,
          () -> super.replaceSeries(replacement, expectedValidatorHash));
    }

    @Override
    public boolean deleteSeries(TokenHash selectorHash) {
      return in.around(Operation.SERIES_DELETE, () -> super.deleteSeries(selectorHash));
    }

    @Override
    public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
      return in.around(Operation.SERIES_DELETE_IF_LATEST,
          () -> super.deleteSeriesIfLatest(selectorHash, sessionId));
    }

    @Override
    public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
        long keptGeneration) {
      return in.around(Operation.SERIES_REVOKE_PRINCIPAL,
          () -> super.revokeSeries(principal, keepSelectorHashes, keptGeneration));
    }

    @Override
    public long revokeAllSeries() {
      return in.around(Operation.SERIES_REVOKE_ALL, super::revokeAllSeries);
    }

    @Override
    public int purgeExpiredSeries(long nowMillis, int limit) {
      return in.around(Operation.SERIES_PURGE, () -> super.purgeExpiredSeries(nowMillis, limit));
    }
  }
}
