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

  IssuedSession(Session session, String token, RememberMeToken rememberMe) {
    this.session = Objects.requireNonNull(session);
    this.token = Objects.requireNonNull(token);
    this.rememberMe = rememberMe;
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
