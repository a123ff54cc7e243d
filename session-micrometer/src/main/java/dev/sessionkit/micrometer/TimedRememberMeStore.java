// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.micrometer;

import dev.sessionkit.micrometer.StoreCallTimers.Operation;
import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.TokenHash;
import java.util.Optional;
import java.util.Set;

/** A remember-me store that times every call of the store it wraps. Thread-safe if that one is. */
final class TimedRememberMeStore extends ForwardingRememberMeStore {

  private final StoreCallTimers timers;

  TimedRememberMeStore(RememberMeStore delegate, StoreCallTimers timers) {
    super(delegate);
    this.timers = timers;
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    timers.time(Operation.CREATE_SERIES, () -> super.createSeries(series));
  }

  @Override
  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    return timers.time(Operation.FIND_SERIES, () -> super.findSeries(selectorHash));
  }

  @Override
  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    return timers.time(Operation.REPLACE_SERIES,
        () -> super.replaceSeries(replacement, expectedValidatorHash));
  }

  @Override
  public boolean deleteSeries(TokenHash selectorHash) {
    return timers.time(Operation.DELETE_SERIES, () -> super.deleteSeries(selectorHash));
  }

  @Override
  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    return timers.time(Operation.DELETE_SERIES_IF_LATEST,
        () -> super.deleteSeriesIfLatest(selectorHash, sessionId));
  }

  @Override
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    return timers.time(Operation.REVOKE_SERIES,
        () -> super.revokeSeries(principal, keepSelectorHashes, keptGeneration));
  }

  @Override
  public long revokeAllSeries() {
    return timers.time(Operation.REVOKE_ALL_SERIES, super::revokeAllSeries);
  }

  @Override
  public int purgeExpiredSeries(long nowMillis, int limit) {
    return timers.time(Operation.PURGE_EXPIRED_SERIES,
        () -> super.purgeExpiredSeries(nowMillis, limit));
  }
}
