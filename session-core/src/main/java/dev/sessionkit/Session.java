// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A live session as seen by the application: its metadata and its attributes.
 *
 * <p>A {@code Session} is a snapshot taken when it was resolved; attribute writes go through to
 * the store at once (only the changed attribute, so that concurrent requests that change different
 * attributes keep each other's writes) and are visible in this snapshot too. The one exception is
 * the last access (and so {@link #expiresAt()}): on a store that answers with a view of its own
 * state (the in-memory store) it may show an access that a parallel request recorded later, never
 * an earlier one than this session's own resolve recorded. It never exposes the token.
 *
 * <p>A value changed in place (a list taken with {@link #getAttribute} and added to) is written
 * back by {@link #saveChanges()}, as the configured {@link SaveMode} says; the servlet filter calls
 * it before the response commits and when the request ends.
 *
 * <p>Safe for use by several threads, though a snapshot does not see other requests' writes.
 */
public final class Session {

  private static final VarHandle VIEW;
  private static final VarHandle CHANGES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      VIEW = lookup.findVarHandle(Session.class, "view", SessionView.class);
      CHANGES = lookup.findVarHandle(Session.class, "changes", AttributeChanges.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SessionManager manager;
  /**
   * What the store answered (a record, or on the request path a lighter view of the store's own
   * state, so that a resolve allocates only this object and its Optional); a record once {@link
   * #record()} or a write needed one.
   */
  private volatile SessionView view;
  /** Made on the first attribute access: a request that never reads one allocates nothing more. */
  private volatile AttributeChanges changes;

  Session(SessionManager manager, SessionView view) {
    this.manager = manager;
    this.view = view;
  }

  /**
   * Returns the public session id: a short handle that is safe to log and show the user.
   *
   * @return the public session id
   */
  public String id() {
    return view.id();
  }

  /**
   * Returns the authenticated principal, or empty for an anonymous session.
   *
   * @return the authenticated principal, or empty for an anonymous session
   */
  public Optional<String> principal() {
    return Optional.ofNullable(view.principal());
  }

  /**
   * Returns whether a principal is signed in.
   *
   * @return whether a principal is signed in
   */
  public boolean isAuthenticated() {
    return view.principal() != null;
  }

  /**
   * Returns when the session was created.
   *
   * @return when the session was created
   */
  public Instant createdAt() {
    return Instant.ofEpochMilli(view.createdAt());
  }

  /**
   * Returns the last recorded access (recorded at most once per touch interval): the one this
   * session's resolve recorded, or a later one (see the class comment).
   *
   * @return the last recorded access (recorded at most once per touch interval)
   */
  public Instant lastAccessedAt() {
    return Instant.ofEpochMilli(view.lastAccessedAt());
  }

  /**
   * Returns when the session ends unless it is used again: the earlier of both deadlines.
   *
   * @return when the session ends unless it is used again
   */
  public Instant expiresAt() {
    return Instant.ofEpochMilli(view.expiresAt());
  }

  /**
   * Returns when the session ends however active it is.
   *
   * @return when the session ends however active it is
   */
  public Instant absoluteExpiresAt() {
    return Instant.ofEpochMilli(view.absoluteDeadline());
  }

  /**
   * Returns this session's idle timeout: the configured one, unless {@link #setIdleTimeout}
   * changed it. A session without one ({@link #hasIdleTimeout()} false) returns {@code
   * Duration.ofMillis(Long.MAX_VALUE)}.
   *
   * @return this session's idle timeout
   */
  public Duration idleTimeout() {
    return Duration.ofMillis(view.idleTimeout());
  }

  /**
   * Returns whether this session ends after a span of inactivity (it has an idle timeout).
   *
   * @return whether this session ends after a span of inactivity (it has an idle timeout)
   */
  public boolean hasIdleTimeout() {
    return view.idleTimeout() != Lifetime.NO_IDLE_TIMEOUT;
  }

  /**
   * Sets this session's own idle timeout, in the store at once: the session then ends after {@code
   * idleTimeout} without a request, or at its absolute deadline, whichever comes first (the
   * absolute timeout bounds it, OWASP ASVS 7.3.2). A zero or negative duration removes the idle
   * timeout: the absolute deadline alone ends the session (as {@code
   * HttpSession.setMaxInactiveInterval} with a value of 0 or less). Renewals and logins of this
   * session keep the value; a fresh session starts with the configured one. Precision is
   * milliseconds.
   *
   * @param idleTimeout the new idle timeout; zero or negative for none
   * @throws IllegalArgumentException if a positive {@code idleTimeout} is not longer than {@link
   *     SessionConfig#touchInterval()} (accesses are recorded once per touch interval, so a
   *     session in use would end)
   * @throws SessionEndedException if the session has ended
   * @throws dev.sessionkit.spi.SessionStoreException if the store fails
   */
  public void setIdleTimeout(Duration idleTimeout) {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    long millis;
    if (idleTimeout.isZero() || idleTimeout.isNegative()) {
      millis = Lifetime.NO_IDLE_TIMEOUT;
    } else {
      try {
        millis = Math.max(1, idleTimeout.toMillis());
      } catch (ArithmeticException tooLong) {
        millis = Lifetime.NO_IDLE_TIMEOUT; // longer than any absolute deadline
      }
    }
    manager.setIdleTimeout(this, millis);
  }

  /**
   * Returns when the principal authenticated, if the session is authenticated.
   *
   * @return when the principal authenticated, if the session is authenticated
   */
  public Optional<Instant> authenticatedAt() {
    return view.isAuthenticated()
        ? Optional.of(Instant.ofEpochMilli(view.authentication().authenticatedAt()))
        : Optional.empty();
  }

  /**
   * Returns how the principal authenticated, if the session is authenticated.
   *
   * @return how the principal authenticated, if the session is authenticated
   */
  public Optional<AuthenticationMethod> authenticationMethod() {
    return view.isAuthenticated() ? Optional.of(view.authentication().method())
        : Optional.empty();
  }

  /**
   * Returns when the principal last authenticated interactively (a password, SSO, a second
   * factor) on this device: the login of an interactive session; for a session that a remember-me
   * token started, the issue of its series. Token rotations ({@link SessionManager#renew}, a
   * credential change) and remember-me resumes never move it forward. Empty when anonymous.
   *
   * @return when the principal last authenticated interactively (a password, SSO, a second factor)
   *     on this device
   */
  public Optional<Instant> lastInteractiveAuthentication() {
    return view.isAuthenticated()
        ? Optional.of(Instant.ofEpochMilli(view.authentication().interactiveAt()))
        : Optional.empty();
  }

  /**
   * Returns whether the principal authenticated interactively less than {@code maxAge} ago, by
   * the manager's clock: the step-up check before a sensitive change (a password, an e-mail
   * address, a second factor; OWASP ASVS 7.5.1, 7.5.3). Always {@code false} for an anonymous
   * session and for one a remember-me token started, however recent, until the user signs in
   * again in it ({@link SessionManager#authenticate(Session, String, dev.sessionkit.spi.ClientInfo,
   * boolean)} with the same principal rotates the session and records the new time).
   *
   * <pre>{@code
   * if (!session.authenticatedInteractivelyWithin(Duration.ofMinutes(5))) {
   *   // ask for the password again, then sessions.authenticate(session, user, client, false)
   * }
   * }</pre>
   *
   * @param maxAge how recent the interactive authentication must be; zero or negative is never
   * @return whether the principal authenticated interactively less than {@code maxAge} ago, by the
   *     manager's clock
   */
  public boolean authenticatedInteractivelyWithin(Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) {
      return false;
    }
    long maxAgeMillis = maxAge.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0
        ? Long.MAX_VALUE : maxAge.toMillis();
    return view.isAuthenticated()
        && view.authentication().isInteractiveWithin(maxAgeMillis, manager.clock().millis());
  }

  /**
   * Returns whether a remember-me token started this session (the user was not present).
   *
   * @return whether a remember-me token started this session (the user was not present)
   */
  public boolean isRemembered() {
    return view.isAuthenticated()
        && view.authentication().method() == AuthenticationMethod.REMEMBER_ME;
  }

  /**
   * Returns whether this session's device is remembered: a remember-me series was issued at its
   * login or started it. Logging out ends that series too.
   *
   * @return whether this session's device is remembered
   */
  public boolean hasRememberMe() {
    return view.rememberMeSeries() != null;
  }

  /**
   * Returns the client address recorded when the session was authenticated or created.
   *
   * @return the client address recorded when the session was authenticated or created
   */
  public Optional<String> clientAddress() {
    return view.client().address();
  }

  /**
   * Returns the user agent recorded when the session was authenticated or created.
   *
   * @return the user agent recorded when the session was authenticated or created
   */
  public Optional<String> userAgent() {
    return view.client().userAgent();
  }

  /**
   * Returns the attribute's value if present and of the key's type.
   *
   * @param <T> the type of the attribute's values
   * @param key the typed key
   * @return the attribute's value if present and of the key's type
   */
  public <T> Optional<T> get(AttributeKey<T> key) {
    Map<String, Object> attributes = view.attributes();
    Object value = attributes.get(key.name());
    changes().read(key.name(), value, attributes);
    return key.type().isInstance(value) ? Optional.of(key.type().cast(value)) : Optional.empty();
  }

  /**
   * Returns the attribute's value, if present.
   *
   * @param name the attribute's name
   * @return the attribute's value, if present
   */
  public Optional<Object> getAttribute(String name) {
    Map<String, Object> attributes = view.attributes();
    Object value = attributes.get(name);
    changes().read(name, value, attributes);
    return Optional.ofNullable(value);
  }

  /**
   * Returns the names of the attributes (an immutable snapshot).
   *
   * @return the names of the attributes (an immutable snapshot)
   */
  public Set<String> attributeNames() {
    return view.attributes().keySet();
  }

  /**
   * Returns all attributes (an immutable snapshot).
   *
   * @return all attributes (an immutable snapshot)
   */
  public Map<String, Object> attributes() {
    Map<String, Object> attributes = view.attributes();
    changes().readAll(attributes);
    return attributes;
  }

  /**
   * Sets an attribute and writes it to the store.
   *
   * @param <T> the type of the attribute's values
   * @param key the typed key
   * @param value the new value; not {@code null}
   * @throws SessionEndedException if the session has ended
   * @throws dev.sessionkit.spi.SessionStoreException if the store fails
   */
  public <T> void put(AttributeKey<T> key, T value) {
    Objects.requireNonNull(key, "key");
    putAttribute(key.name(), key.type().cast(value));
  }

  /**
   * Sets (or, for a {@code null} value, removes) an attribute and writes it to the store.
   *
   * @param name the attribute's name
   * @param value the new value; not {@code null}
   * @throws SessionEndedException if the session has ended
   * @throws dev.sessionkit.spi.SessionStoreException if the store fails
   */
  public void putAttribute(String name, Object value) {
    AttributeKey.checkName(name);
    if (value == null) {
      removeAttribute(name);
      return;
    }
    manager.updateAttributes(this, Map.of(name, value), Set.of());
    changes().written(Map.of(name, value), Set.of());
  }

  /**
   * Removes an attribute.
   *
   * @param key the typed key
   */
  public void remove(AttributeKey<?> key) {
    removeAttribute(key.name());
  }

  /**
   * Removes an attribute and writes the removal to the store.
   *
   * @param name the attribute's name
   * @throws SessionEndedException if the session has ended
   */
  public void removeAttribute(String name) {
    AttributeKey.checkName(name);
    manager.updateAttributes(this, Map.of(), Set.of(name));
    changes().written(Map.of(), Set.of(name));
  }

  /**
   * Applies several attribute changes in one store write: {@code puts} (values must not be null)
   * and {@code removals}.
   *
   * @param puts attributes to write, by name
   * @param removals names of the attributes to remove
   * @throws SessionEndedException if the session has ended
   */
  public void updateAttributes(Map<String, ?> puts, Set<String> removals) {
    puts.keySet().forEach(AttributeKey::checkName);
    removals.forEach(AttributeKey::checkName);
    Map<String, Object> p = Map.copyOf(puts);
    Set<String> r = Set.copyOf(removals);
    manager.updateAttributes(this, p, r);
    changes().written(p, r);
  }

  /**
   * Writes back the attribute values changed in place since this session was resolved (or since
   * the last call), as {@link SessionConfig#saveMode()} says: only the attributes whose serialized
   * form changed, in one store write that leaves every other attribute as stored, so concurrent
   * requests that change other attributes keep their writes. Call it when a unit of work ends; the
   * servlet filter calls it for every request.
   *
   * @return the names of the attributes written back (empty: nothing changed)
   * @throws SessionEndedException if the session has ended (nothing is written)
   * @throws dev.sessionkit.spi.SessionStoreException if the store fails
   */
  public Set<String> saveChanges() {
    AttributeChanges changes = this.changes;
    if (changes == null) {
      return Set.of(); // no value was seen, so none was changed in place
    }
    Map<String, Object> changed = changes.changed(view.attributes());
    if (changed.isEmpty()) {
      return Set.of();
    }
    manager.updateAttributes(this, changed, Set.of());
    changes.saved();
    return Set.copyOf(changed.keySet());
  }

  /** This session is {@code earlier} rotated: watch the values that one saw. */
  void continueFrom(Session earlier) {
    AttributeChanges seen = earlier.changes;
    if (seen != null) {
      changes().continueFrom(seen);
    }
  }

  private AttributeChanges changes() {
    AttributeChanges c = changes;
    if (c == null) {
      c = new AttributeChanges(manager.config().saveMode());
      if (!CHANGES.compareAndSet(this, null, c)) {
        c = changes;
      }
    }
    return c;
  }

  /** Returns the session as a record (the view made into one, once). */
  SessionRecord record() {
    SessionView v = view;
    if (v instanceof SessionRecord r) {
      return r;
    }
    SessionRecord r = v.toRecord();
    return VIEW.compareAndSet(this, v, r) ? r : record();
  }

  void record(SessionRecord newRecord) {
    this.view = newRecord;
  }

  @Override
  public String toString() {
    return "Session[id=" + view.id() + ", principal=" + view.principal() + ", expiresAt="
        + expiresAt() + "]";
  }
}
