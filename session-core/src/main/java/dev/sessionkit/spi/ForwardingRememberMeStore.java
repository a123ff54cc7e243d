// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RememberMeStore} that passes every call to another store: a base for wrappers that
 * override only the calls they change. Thread-safe if the delegate is.
 */
public abstract class ForwardingRememberMeStore implements RememberMeStore {

  private final RememberMeStore delegate;

  /**
   * Creates a store that forwards to {@code delegate}.
   *
   * @param delegate the store that calls are forwarded to
   */
  protected ForwardingRememberMeStore(RememberMeStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Returns the store calls are forwarded to.
   *
   * @return the store calls are forwarded to
   */
  public RememberMeStore delegate() {
    return delegate;
  }

  @Override
  public String seriesRoutingTag(String principal) {
    return delegate.seriesRoutingTag(principal);
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    delegate.createSeries(series);
  }

  @Override
  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    return delegate.findSeries(selectorHash);
  }

  @Override
  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    return delegate.replaceSeries(replacement, expectedValidatorHash);
  }

  @Override
  public boolean deleteSeries(TokenHash selectorHash) {
    return delegate.deleteSeries(selectorHash);
  }

  @Override
  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    return delegate.deleteSeriesIfLatest(selectorHash, sessionId);
  }

  @Override
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    return delegate.revokeSeries(principal, keepSelectorHashes, keptGeneration);
  }

  @Override
  public long revokeAllSeries() {
    return delegate.revokeAllSeries();
  }

  @Override
  public int purgeExpiredSeries(long nowMillis, int limit) {
    return delegate.purgeExpiredSeries(nowMillis, limit);
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
