// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a session, delivered to every {@link SessionListener}. Carries the
 * public session id and the principal, never a token or validator.
 */
public final class SessionEvent {

  /** The kinds of event. */
  public enum Type {
    /** A session was created (anonymous, by login, or by remember-me). */
    CREATED,
    /** A principal authenticated: a new session, or the rotation of an anonymous one. */
    AUTHENTICATED,
    /** The session's token was renewed (privilege change); the data stayed. */
    RENEWED,
    /** The session ended by a timeout; {@link #reason()} says which. */
    EXPIRED,
    /** The user logged out of the session. */
    LOGGED_OUT,
    /** The session was ended by force: log out others, log out all, revoke, cap, or theft. */
    REVOKED,
    /** A remember-me token started the session. */
    REMEMBER_ME_USED,
    /** A used remember-me validator was presented again; every session of the principal ended. */
    REMEMBER_ME_THEFT,
    /**
     * Every session and remember-me series of one principal was ended by {@link
     * SessionManager#logoutAll} (an account disabled, an administrator's action); a {@link
     * #REVOKED} event for each session ended precedes it. Carries the principal, no session id.
     */
    LOGGED_OUT_EVERYWHERE,
    /**
     * Every session and remember-me series in the store was ended by {@link
     * SessionManager#logoutEveryone} (after a breach). Carries neither a principal nor a session
     * id; no event per session is sent.
     */
    EVERYONE_LOGGED_OUT,
    /**
     * One client address presented more unknown session tokens, forged remember-me values or
     * malformed cookies than the configured threshold within the window: someone may be guessing
     * tokens. Carries the {@link #clientAddress()}, neither a principal nor a session id. Fired by
     * the servlet filter's guessing detection ({@link SessionManager#reportGuessing}).
     */
    TOKEN_GUESSING
  }

  private final Type type;
  private final String sessionId;
  private final String principal;
  private final Instant at;
  private final EndReason reason;
  private final String clientAddress;

  /**
   * Creates an event without a client address.
   *
   * @param type what happened
   * @param sessionId the public session id, or {@code null} for an event about a principal only
   *     (remember-me theft)
   * @param principal the principal, or {@code null} for an anonymous session
   * @param at when it happened, by the manager's clock
   * @param reason why the session ended, or {@code null} for an event that ends nothing
   */
  public SessionEvent(Type type, String sessionId, String principal, Instant at, EndReason reason) {
    this(type, sessionId, principal, at, reason, null);
  }

  /**
   * Creates an event.
   *
   * @param type what happened
   * @param sessionId the public session id, or {@code null} for an event about a principal only
   *     (remember-me theft)
   * @param principal the principal, or {@code null} for an anonymous session
   * @param at when it happened, by the manager's clock
   * @param reason why the session ended, or {@code null} for an event that ends nothing
   * @param clientAddress the address of the client concerned (see {@link #clientAddress()}), or
   *     {@code null}
   */
  public SessionEvent(Type type, String sessionId, String principal, Instant at, EndReason reason,
      String clientAddress) {
    this.type = Objects.requireNonNull(type, "type");
    this.sessionId = sessionId;
    this.principal = principal;
    this.at = Objects.requireNonNull(at, "at");
    this.reason = reason;
    this.clientAddress = clientAddress;
  }

  /**
   * Returns what happened.
   *
   * @return what happened
   */
  public Type type() {
    return type;
  }

  /**
   * Returns the public id of the session concerned, if the event concerns one session.
   *
   * @return the public id of the session concerned, if the event concerns one session
   */
  public Optional<String> sessionId() {
    return Optional.ofNullable(sessionId);
  }

  /**
   * Returns the principal, if the session was authenticated.
   *
   * @return the principal, if the session was authenticated
   */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /**
   * Returns when it happened, by the manager's clock.
   *
   * @return when it happened, by the manager's clock
   */
  public Instant at() {
    return at;
  }

  /**
   * Returns why the session ended, for EXPIRED, LOGGED_OUT and REVOKED events.
   *
   * @return why the session ended, for EXPIRED, LOGGED_OUT and REVOKED events
   */
  public Optional<EndReason> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * Returns the address of the client concerned, if known: for an event about one session, the
   * address recorded with it ({@link Session#clientAddress()}); for {@link Type#REMEMBER_ME_THEFT}
   * and {@link Type#TOKEN_GUESSING}, the client that presented the token. Behind a proxy it is
   * what the container reports as the remote address (configure its forwarded-header support).
   * Empty for {@link Type#REVOKED} events of a force logout (the store reports only ids) and for
   * administrative events.
   *
   * @return the address of the client concerned, if known
   */
  public Optional<String> clientAddress() {
    return Optional.ofNullable(clientAddress);
  }

  @Override
  public String toString() {
    return "SessionEvent[" + type + ", sessionId=" + sessionId + ", principal=" + principal
        + ", at=" + at + (reason == null ? "" : ", reason=" + reason)
        + (clientAddress == null ? "" : ", clientAddress=" + clientAddress) + "]";
  }
}
