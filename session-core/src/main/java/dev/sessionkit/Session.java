// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
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
 * attributes keep each other's writes) and are visible in this snapshot too. It never exposes the
 * token.
 *
 * <p>A value changed in place (a list taken with {@link #getAttribute} and added to) is written
 * back by {@link #saveChanges()}, as the configured {@link SaveMode} says; the servlet filter calls
 * it before the response commits and when the request ends.
 *
 * <p>Safe for use by several threads, though a snapshot does not see other requests' writes.
 */
public final class Session {

  private final SessionManager manager;
  private final AttributeChanges changes;
  private volatile SessionRecord record;

  Session(SessionManager manager, SessionRecord record) {
    this.manager = manager;
    this.record = record;
    this.changes = new AttributeChanges(manager.config().saveMode());
  }

  /**
   * Returns the public session id: a short handle that is safe to log and show the user.
   *
   * @return the public session id
   */
  public String id() {
    return record.id();
  }

  /**
   * Returns the authenticated principal, or empty for an anonymous session.
   *
   * @return the authenticated principal, or empty for an anonymous session
   */
  public Optional<String> principal() {
    return Optional.ofNullable(record.principal());
  }

  /**
   * Returns whether a principal is signed in.
   *
   * @return whether a principal is signed in
   */
  public boolean isAuthenticated() {
    return record.principal() != null;
  }

  /**
   * Returns when the session was created.
   *
   * @return when the session was created
   */
  public Instant createdAt() {
    return Instant.ofEpochMilli(record.lifetime().createdAt());
  }

  /**
   * Returns the last recorded access (recorded at most once per touch interval).
   *
   * @return the last recorded access (recorded at most once per touch interval)
   */
  public Instant lastAccessedAt() {
    return Instant.ofEpochMilli(record.lifetime().lastAccessedAt());
  }

  /**
   * Returns when the session ends unless it is used again: the earlier of both deadlines.
   *
   * @return when the session ends unless it is used again
   */
  public Instant expiresAt() {
    return Instant.ofEpochMilli(record.expiresAt());
  }

  /**
   * Returns when the session ends however active it is.
   *
   * @return when the session ends however active it is
   */
  public Instant absoluteExpiresAt() {
    return Instant.ofEpochMilli(record.lifetime().absoluteDeadline());
  }

  /**
   * Returns this session's idle timeout: the configured one, unless {@link #setIdleTimeout}
   * changed it. A session without one ({@link #hasIdleTimeout()} false) returns {@code
   * Duration.ofMillis(Long.MAX_VALUE)}.
   *
   * @return this session's idle timeout
   */
  public Duration idleTimeout() {
    return Duration.ofMillis(record.lifetime().idleTimeout());
  }

  /**
   * Returns whether this session ends after a span of inactivity (it has an idle timeout).
   *
   * @return whether this session ends after a span of inactivity (it has an idle timeout)
   */
  public boolean hasIdleTimeout() {
    return record.lifetime().hasIdleTimeout();
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
    return record.isAuthenticated()
        ? Optional.of(Instant.ofEpochMilli(record.authentication().authenticatedAt()))
        : Optional.empty();
  }

  /**
   * Returns how the principal authenticated, if the session is authenticated.
   *
   * @return how the principal authenticated, if the session is authenticated
   */
  public Optional<AuthenticationMethod> authenticationMethod() {
    return record.isAuthenticated() ? Optional.of(record.authentication().method())
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
    return record.isAuthenticated()
        ? Optional.of(Instant.ofEpochMilli(record.authentication().interactiveAt()))
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
    return record.isAuthenticated()
        && record.authentication().isInteractiveWithin(maxAgeMillis, manager.clock().millis());
  }

  /**
   * Returns whether a remember-me token started this session (the user was not present).
   *
   * @return whether a remember-me token started this session (the user was not present)
   */
  public boolean isRemembered() {
    return record.isAuthenticated()
        && record.authentication().method() == AuthenticationMethod.REMEMBER_ME;
  }

  /**
   * Returns whether this session's device is remembered: a remember-me series was issued at its
   * login or started it. Logging out ends that series too.
   *
   * @return whether this session's device is remembered
   */
  public boolean hasRememberMe() {
    return record.rememberMeSeries() != null;
  }

  /**
   * Returns the client address recorded when the session was authenticated or created.
   *
   * @return the client address recorded when the session was authenticated or created
   */
  public Optional<String> clientAddress() {
    return record.client().address();
  }

  /**
   * Returns the user agent recorded when the session was authenticated or created.
   *
   * @return the user agent recorded when the session was authenticated or created
   */
  public Optional<String> userAgent() {
    return record.client().userAgent();
  }

  /**
   * Returns the attribute's value if present and of the key's type.
   *
   * @param <T> the type of the attribute's values
   * @param key the typed key
   * @return the attribute's value if present and of the key's type
   */
  public <T> Optional<T> get(AttributeKey<T> key) {
    Map<String, Object> attributes = record.attributes();
    Object value = attributes.get(key.name());
    changes.read(key.name(), value, attributes);
    return key.type().isInstance(value) ? Optional.of(key.type().cast(value)) : Optional.empty();
  }

  /**
   * Returns the attribute's value, if present.
   *
   * @param name the attribute's name
   * @return the attribute's value, if present
   */
  public Optional<Object> getAttribute(String name) {
    Map<String, Object> attributes = record.attributes();
    Object value = attributes.get(name);
    changes.read(name, value, attributes);
    return Optional.ofNullable(value);
  }

  /**
   * Returns the names of the attributes (an immutable snapshot).
   *
   * @return the names of the attributes (an immutable snapshot)
   */
  public Set<String> attributeNames() {
    return record.attributes().keySet();
  }

  /**
   * Returns all attributes (an immutable snapshot).
   *
   * @return all attributes (an immutable snapshot)
   */
  public Map<String, Object> attributes() {
    Map<String, Object> attributes = record.attributes();
    changes.readAll(attributes);
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
    changes.written(Map.of(name, value), Set.of());
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
    changes.written(Map.of(), Set.of(name));
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
    changes.written(p, r);
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
    Map<String, Object> changed = changes.changed(record.attributes());
    if (changed.isEmpty()) {
      return Set.of();
    }
    manager.updateAttributes(this, changed, Set.of());
    changes.saved();
    return Set.copyOf(changed.keySet());
  }

  /** This session is {@code earlier} rotated: watch the values that one saw. */
  void continueFrom(Session earlier) {
    changes.continueFrom(earlier.changes);
  }

  SessionRecord record() {
    return record;
  }

  void record(SessionRecord newRecord) {
    this.record = newRecord;
  }

  @Override
  public String toString() {
    return "Session[id=" + record.id() + ", principal=" + record.principal() + ", expiresAt="
        + expiresAt() + "]";
  }
}
