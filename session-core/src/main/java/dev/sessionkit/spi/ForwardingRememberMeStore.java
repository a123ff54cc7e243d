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

  /** Creates a store that forwards to {@code delegate}. */
  protected ForwardingRememberMeStore(RememberMeStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Returns the store calls are forwarded to. */
  public RememberMeStore delegate() {
    return delegate;
  }

  @Override
  public void create(RememberMeSeries series) {
    delegate.create(series);
  }

  @Override
  public Optional<RememberMeSeries> find(TokenHash selectorHash) {
    return delegate.find(selectorHash);
  }

  @Override
  public boolean replace(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    return delegate.replace(replacement, expectedValidatorHash);
  }

  @Override
  public boolean delete(TokenHash selectorHash) {
    return delegate.delete(selectorHash);
  }

  @Override
  public boolean deleteIfLatest(TokenHash selectorHash, String sessionId) {
    return delegate.deleteIfLatest(selectorHash, sessionId);
  }

  @Override
  public int revokePrincipal(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    return delegate.revokePrincipal(principal, keepSelectorHashes, keptGeneration);
  }

  @Override
  public int purgeExpired(long nowMillis, int limit) {
    return delegate.purgeExpired(nowMillis, limit);
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
