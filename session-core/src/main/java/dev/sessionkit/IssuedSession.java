// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.util.Objects;
import java.util.Optional;

/**
 * A session together with the new secrets to send to the client: the session token and, when
 * remember-me was asked for or used, a remember-me token. Returned by every operation that issues
 * a token (start, authenticate, renew, remember-me resume). {@link #toString()} never prints a
 * secret.
 */
public final class IssuedSession {

  private final Session session;
  private final String token;
  private final RememberMeToken rememberMe;
  private final boolean continued;

  IssuedSession(Session session, String token, RememberMeToken rememberMe) {
    this(session, token, rememberMe, false);
  }

  IssuedSession(Session session, String token, RememberMeToken rememberMe, boolean continued) {
    this.session = Objects.requireNonNull(session);
    this.token = Objects.requireNonNull(token);
    this.rememberMe = rememberMe;
    this.continued = continued;
  }

  /**
   * Returns whether the session is the one the call was given, with a new token (a login that
   * rotated it, a renewal, a credential change), rather than a new session. A login on a store
   * that {@linkplain dev.sessionkit.spi.SessionStore#routingTag routes} (Redis) may move an
   * anonymous session to a new id: it is still the same session, with its attributes, and this
   * returns {@code true}.
   *
   * @return whether the call rotated the session it was given instead of starting a new one
   */
  public boolean continuesSession() {
    return continued;
  }

  /**
   * Returns the session.
   *
   * @return the session
   */
  public Session session() {
    return session;
  }

  /**
   * Returns the session token to put in the session cookie. Never log it.
   *
   * @return the session token to put in the session cookie
   */
  public String token() {
    return token;
  }

  /**
   * Returns the new remember-me token, if one was issued.
   *
   * @return the new remember-me token, if one was issued
   */
  public Optional<RememberMeToken> rememberMe() {
    return Optional.ofNullable(rememberMe);
  }

  /** Never prints a secret. */
  @Override
  public String toString() {
    return "IssuedSession[" + session + ", token=redacted"
        + (rememberMe == null ? "" : ", rememberMe=" + rememberMe) + "]";
  }
}
