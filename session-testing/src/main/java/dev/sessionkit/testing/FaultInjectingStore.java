// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wraps a pair of stores and makes chosen operations fail, the way a real backend fails: a call
 * that throws may or may not have been applied. Tests use it to check that the code above a store
 * is right in both cases ("unknown outcomes are safe").
 *
 * <pre>{@code
 * try (FaultInjectingStore faults =
 *     new FaultInjectingStore(Stores.of(InMemorySessionStore.create()))) {
 *   SessionManager manager = SessionManager.builder().stores(faults.stores()).build();
 *   faults.failNext(Operation.SERIES_REPLACE, Fault.FAIL_AFTER_APPLYING);
 *   // the next remember-me rotation is stored, and the caller is told it failed
 * }
 * }</pre>
 *
 * <p>{@link Fault#FAIL_BEFORE_APPLYING} throws without calling the wrapped store; {@link
 * Fault#FAIL_AFTER_APPLYING} calls it, drops its result and throws. The exception is a {@link
 * SessionStoreException} whose message starts with {@code "injected fault"} and names the
 * operation. Unarmed operations pass straight through; {@code close()} always does. The wrapper
 * owns the stores it wraps: {@link #close()} closes them.
 *
 * <p>Safe for concurrent use: of several threads that call an operation armed with {@link
 * #failNext}, exactly one fails.
 */
public final class FaultInjectingStore implements AutoCloseable {

  /**
   * One method of the store SPIs ({@link SessionStore} and {@link RememberMeStore}), as the test
   * wrappers {@link FaultInjectingStore} and {@link InterleavingStore} name it. {@code close()} is
   * not an operation: it always passes through.
   */
  public enum Operation {
    /** {@link SessionStore#create}. */
    SESSION_CREATE,
    /** {@link SessionStore#findByTokenHash}. */
    SESSION_FIND_BY_TOKEN_HASH,
    /**
     * {@link SessionStore#findByTokenHashAndTouch} and {@link SessionStore#findAndTouch} (what the
     * manager calls), the per-request path.
     */
    SESSION_FIND_AND_TOUCH,
    /** {@link SessionStore#findById}. */
    SESSION_FIND_BY_ID,
    /** {@link SessionStore#touch}. */
    SESSION_TOUCH,
    /** {@link SessionStore#rotate}. */
    SESSION_ROTATE,
    /** {@link SessionStore#setIdleTimeout}. */
    SESSION_SET_IDLE_TIMEOUT,
    /** {@link SessionStore#updateAttributes}. */
    SESSION_UPDATE_ATTRIBUTES,
    /** {@link SessionStore#delete}. */
    SESSION_DELETE,
    /** {@link SessionStore#findAndDelete}, logout by token (one call of the store beneath). */
    SESSION_FIND_AND_DELETE,
    /** {@link SessionStore#findByPrincipal}. */
    SESSION_FIND_BY_PRINCIPAL,
    /** {@link SessionStore#principalGeneration}. */
    PRINCIPAL_GENERATION,
    /** {@link SessionStore#revokePrincipal}. */
    SESSION_REVOKE_PRINCIPAL,
    /** {@link SessionStore#purgeExpired}. */
    SESSION_PURGE,
    /** {@link SessionStore#sessionCount}, which only metrics call. */
    SESSION_COUNT,
    /** {@link SessionStore#ping}, which only the store check calls. */
    SESSION_PING,
    /** {@link SessionStore#revokeAll}. */
    SESSION_REVOKE_ALL,
    /** {@link RememberMeStore#createSeries}. */
    SERIES_CREATE,
    /** {@link RememberMeStore#findSeries}. */
    SERIES_FIND,
    /** {@link RememberMeStore#replaceSeries}. */
    SERIES_REPLACE,
    /** {@link RememberMeStore#deleteSeries}. */
    SERIES_DELETE,
    /** {@link RememberMeStore#deleteSeriesIfLatest}. */
    SERIES_DELETE_IF_LATEST,
    /** {@link RememberMeStore#revokeSeries}. */
    SERIES_REVOKE_PRINCIPAL,
    /** {@link RememberMeStore#purgeExpiredSeries}. */
    SERIES_PURGE,
    /** {@link RememberMeStore#revokeAllSeries}. */
    SERIES_REVOKE_ALL
  }

  /** How an armed operation fails. */
  public enum Fault {
    /** Throws without calling the wrapped store: nothing was applied. */
    FAIL_BEFORE_APPLYING,
    /** Calls the wrapped store, then throws: the change was applied but the caller cannot know. */
    FAIL_AFTER_APPLYING
  }

  /** An armed fault: how, and whether it stays armed after it fired. */
  private record Rule(Fault fault, boolean always) {}

  private final Stores delegate;
  private final ForwardingSessionStore sessions;
  private final ForwardingRememberMeStore rememberMe;
  private final Map<Operation, Rule> rules = new ConcurrentHashMap<>();
  private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);

  /**
   * Wraps {@code delegate}; nothing fails until {@link #failNext} or {@link #failAlways}.
   *
   * @param delegate the store that calls are forwarded to
   */
  public FaultInjectingStore(Stores delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    for (Operation operation : Operation.values()) {
      calls.put(operation, new AtomicLong());
    }
    InterceptingStores.Interceptor interceptor = this::call;
    this.sessions = InterceptingStores.sessions(delegate.sessions(), interceptor);
    this.rememberMe = InterceptingStores.rememberMe(delegate.rememberMe(), interceptor);
  }

  /**
   * Returns the session store whose calls fail as armed.
   *
   * @return the session store whose calls fail as armed
   */
  public ForwardingSessionStore sessions() {
    return sessions;
  }

  /**
   * Returns the remember-me store whose calls fail as armed.
   *
   * @return the remember-me store whose calls fail as armed
   */
  public ForwardingRememberMeStore rememberMe() {
    return rememberMe;
  }

  /**
   * Returns {@link #sessions()} and {@link #rememberMe()} as a pair, for a manager's builder.
   *
   * @return {@link #sessions()} and {@link #rememberMe()} as a pair, for a manager's builder
   */
  public Stores stores() {
    return new Stores(sessions, rememberMe);
  }

  /**
   * Returns the wrapped stores.
   *
   * @return the wrapped stores
   */
  public Stores delegate() {
    return delegate;
  }

  /**
   * Makes the next call of {@code operation} fail once, as {@code fault} says; replaces whatever
   * was armed for it.
   *
   * @param operation which store call
   * @param fault how the call fails
   */
  public void failNext(Operation operation, Fault fault) {
    rules.put(Objects.requireNonNull(operation, "operation"),
        new Rule(Objects.requireNonNull(fault, "fault"), false));
  }

  /**
   * Makes every call of {@code operation} fail, as {@code fault} says, until {@link #heal()};
   * replaces whatever was armed for it.
   *
   * @param operation which store call
   * @param fault how the call fails
   */
  public void failAlways(Operation operation, Fault fault) {
    rules.put(Objects.requireNonNull(operation, "operation"),
        new Rule(Objects.requireNonNull(fault, "fault"), true));
  }

  /** Disarms every fault: all calls pass through again. Call counts stay. */
  public void heal() {
    rules.clear();
  }

  /**
   * Returns how many times {@code operation} was called through this wrapper, including calls
   * that failed.
   *
   * @param operation which store call
   * @return how many times {@code operation} was called through this wrapper, including calls that
   *     failed
   */
  public long calls(Operation operation) {
    return calls.get(Objects.requireNonNull(operation, "operation")).get();
  }

  /** Closes the wrapped stores (once, when they are one object). Closing twice is harmless. */
  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultInjectingStore[armed=" + rules.keySet() + ", " + delegate + "]";
  }

  private <T> T call(Operation operation, Supplier<T> call) {
    calls.get(operation).incrementAndGet();
    Fault fault = take(operation);
    if (fault == null) {
      return call.get();
    }
    if (fault == Fault.FAIL_AFTER_APPLYING) {
      call.get();
      throw new SessionStoreException("injected fault: " + operation + " failed after it was "
          + "applied");
    }
    throw new SessionStoreException("injected fault: " + operation + " failed before it was "
        + "applied");
  }

  /** Returns the fault that this call of {@code operation} must show, or {@code null}. */
  private Fault take(Operation operation) {
    while (true) {
      Rule rule = rules.get(operation);
      if (rule == null) {
        return null;
      }
      if (rule.always() || rules.remove(operation, rule)) {
        return rule.fault();
      }
      // another thread took this one-shot fault, or it was re-armed: look again
    }
  }
}
