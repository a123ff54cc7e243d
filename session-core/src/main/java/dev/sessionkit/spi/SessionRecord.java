// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One stored session, as a {@link SessionStore} keeps it, and the full {@link SessionView} of it.
 * Immutable; changes are named transitions ({@link #accessed}, {@link #rotated}, {@link #authenticated}, {@link
 * #withAttributes}) that return a new record.
 *
 * <p>The parts group what changes together:
 *
 * <ul>
 *   <li>identity: the public {@link #id()}, the {@link #tokenHash()} of the current token, and the
 *       {@link #previousToken()} kept for a short grace after a rotation;
 *   <li>{@link Authentication}: absent ({@code null}) for an anonymous session;
 *   <li>{@link Lifetime}: creation, last access, idle timeout and absolute deadline;
 *   <li>{@link ClientInfo}: address and user agent as the application gave them;
 *   <li>attributes: the application's values (never {@code null} values).
 * </ul>
 *
 * @param id public session id: a short random handle, safe to log and to show to the user
 * @param tokenHash SHA-256 of the session's current token; the token itself is never stored
 * @param previousToken the token replaced at the last rotation, or {@code null}
 * @param authentication who is signed in, or {@code null} for an anonymous session
 * @param lifetime the session's times
 * @param client the client's address and user agent ({@link ClientInfo#NONE} when unknown)
 * @param attributes the session's attributes (copied into an immutable map)
 */
public record SessionRecord(
    String id,
    TokenHash tokenHash,
    PreviousToken previousToken,
    Authentication authentication,
    Lifetime lifetime,
    ClientInfo client,
    Map<String, Object> attributes) implements SessionView {

  /**
   * Validates the fields and copies the attributes into an immutable map.
   *
   * @param id public session id: a short random handle, safe to log and to show to the user
   * @param tokenHash SHA-256 of the session's current token; the token itself is never stored
   * @param previousToken the token replaced at the last rotation, or {@code null}
   * @param authentication who is signed in, or {@code null} for an anonymous session
   * @param lifetime the session's times
   * @param client the client's address and user agent ({@link ClientInfo#NONE} when unknown)
   * @param attributes the session's attributes (copied into an immutable map)
   */
  public SessionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(client, "client");
    attributes = Map.copyOf(attributes);
  }

  /**
   * Returns a new anonymous session without attributes.
   *
   * @param id the public session id
   * @param tokenHash the SHA-256 hash of the session token
   * @param lifetime its times
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @return a new anonymous session without attributes
   */
  public static SessionRecord anonymous(String id, TokenHash tokenHash, Lifetime lifetime,
      ClientInfo client) {
    return new SessionRecord(id, tokenHash, null, null, lifetime, client, Map.of());
  }

  /**
   * Returns a new authenticated session without attributes.
   *
   * @param id the public session id
   * @param tokenHash the SHA-256 hash of the session token
   * @param authentication who authenticated, when and how
   * @param lifetime its times
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @return a new authenticated session without attributes
   */
  public static SessionRecord authenticated(String id, TokenHash tokenHash,
      Authentication authentication, Lifetime lifetime, ClientInfo client) {
    Objects.requireNonNull(authentication, "authentication");
    return new SessionRecord(id, tokenHash, null, authentication, lifetime, client, Map.of());
  }

  /**
   * Returns whether the session belongs to an authenticated principal.
   *
   * @return whether the session belongs to an authenticated principal
   */
  public boolean isAuthenticated() {
    return authentication != null;
  }

  /**
   * Returns the principal, or {@code null} for an anonymous session.
   *
   * @return the principal, or {@code null} for an anonymous session
   */
  public String principal() {
    return authentication == null ? null : authentication.principal();
  }

  /**
   * Returns the selector hash of the device's remember-me series, or {@code null}.
   *
   * @return the selector hash of the device's remember-me series, or {@code null}
   */
  public TokenHash rememberMeSeries() {
    return authentication == null ? null : authentication.rememberMeSeries();
  }

  /**
   * Returns {@link Lifetime#expiresAt()}.
   *
   * @return {@link Lifetime#expiresAt()}
   */
  public long expiresAt() {
    return lifetime.expiresAt();
  }

  /**
   * Returns {@link Lifetime#isExpired(long)}.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return {@link Lifetime#isExpired(long)}
   */
  public boolean isExpired(long nowMillis) {
    return lifetime.isExpired(nowMillis);
  }

  /** Returns {@code true} if the words are those of {@link #tokenHash()}. */
  @Override
  public boolean hasCurrentToken(long w0, long w1, long w2, long w3) {
    return tokenHash.hasWords(w0, w1, w2, w3);
  }

  /** Returns {@link Lifetime#createdAt()}. */
  @Override
  public long createdAt() {
    return lifetime.createdAt();
  }

  /** Returns {@link Lifetime#lastAccessedAt()}. */
  @Override
  public long lastAccessedAt() {
    return lifetime.lastAccessedAt();
  }

  /** Returns {@link Lifetime#idleTimeout()}. */
  @Override
  public long idleTimeout() {
    return lifetime.idleTimeout();
  }

  /** Returns {@link Lifetime#absoluteDeadline()}. */
  @Override
  public long absoluteDeadline() {
    return lifetime.absoluteDeadline();
  }

  /** Returns this record. */
  @Override
  public SessionRecord toRecord() {
    return this;
  }

  /**
   * Returns whether {@code hash} is the current token's hash (or the previous one's).
   *
   * @param hash a token hash
   * @return whether {@code hash} is the current token's hash (or the previous one's)
   */
  public boolean hasToken(TokenHash hash) {
    return tokenHash.equals(hash) || (previousToken != null && previousToken.hash().equals(hash));
  }

  /**
   * Returns whether {@code hash} resolves to this session at {@code nowMillis}: it is the current
   * token hash, or the previous one within its renewal grace ({@link PreviousToken#resolvesAt}).
   *
   * @param hash a token hash
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether {@code hash} resolves to this session at {@code nowMillis}
   */
  public boolean resolvesBy(TokenHash hash, long nowMillis) {
    return tokenHash.equals(hash)
        || (previousToken != null && previousToken.hash().equals(hash)
            && previousToken.resolvesAt(nowMillis));
  }

  /**
   * Returns this record with an access recorded at {@code nowMillis} (never earlier).
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return this record with an access recorded at {@code nowMillis} (never earlier)
   */
  public SessionRecord accessed(long nowMillis) {
    Lifetime next = lifetime.accessed(nowMillis);
    return next == lifetime ? this
        : new SessionRecord(id, tokenHash, previousToken, authentication, next, client, attributes);
  }

  /**
   * Returns this record with a new token: the current one becomes the {@link #previousToken()},
   * valid as {@code cause} allows until {@code graceUntilMillis}. Everything else stays.
   *
   * @param newTokenHash the SHA-256 hash of the new token
   * @param cause why the token is replaced: what the previous one still allows
   * @param graceUntilMillis end of the replaced credential's grace period, epoch milliseconds
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return this record with a new token
   */
  public SessionRecord rotated(TokenHash newTokenHash, PreviousToken.Rotation cause,
      long graceUntilMillis, long nowMillis) {
    return new SessionRecord(id, newTokenHash,
        new PreviousToken(tokenHash, graceUntilMillis, cause), authentication,
        lifetime.accessed(nowMillis), client, attributes);
  }

  /**
   * Returns this record after a login from it: a new token (the current one kept as a {@link
   * PreviousToken.Rotation#LOGIN} previous token), the new authentication, a lifetime whose
   * absolute deadline counts from the login, and the client as now seen. Attributes stay.
   *
   * @param newTokenHash the SHA-256 hash of the new token
   * @param newAuthentication who authenticated, when and how
   * @param absoluteTimeoutMillis the absolute timeout, milliseconds
   * @param newClient the client that logged in
   * @param graceUntilMillis end of the replaced credential's grace period, epoch milliseconds
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return this record after a login from it
   */
  public SessionRecord authenticated(TokenHash newTokenHash, Authentication newAuthentication,
      long absoluteTimeoutMillis, ClientInfo newClient, long graceUntilMillis, long nowMillis) {
    Objects.requireNonNull(newAuthentication, "newAuthentication");
    return new SessionRecord(id, newTokenHash,
        new PreviousToken(tokenHash, graceUntilMillis, PreviousToken.Rotation.LOGIN),
        newAuthentication, lifetime.authenticatedAt(nowMillis, absoluteTimeoutMillis),
        newClient, attributes);
  }

  /**
   * Returns this record with {@code newAttributes}.
   *
   * @param newAttributes the attributes, by name
   * @return this record with {@code newAttributes}
   */
  public SessionRecord withAttributes(Map<String, Object> newAttributes) {
    return new SessionRecord(id, tokenHash, previousToken, authentication, lifetime, client,
        newAttributes);
  }

  /**
   * Returns this record with {@code newLifetime}.
   *
   * @param newLifetime the new times
   * @return this record with {@code newLifetime}
   */
  public SessionRecord withLifetime(Lifetime newLifetime) {
    return new SessionRecord(id, tokenHash, previousToken, authentication, newLifetime, client,
        attributes);
  }

  /** Never prints a token hash or attribute values. */
  @Override
  public String toString() {
    return "SessionRecord[id=" + id + ", " + authentication + ", " + lifetime + ", attributes="
        + attributes.keySet() + "]";
  }
}
