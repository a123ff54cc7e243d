// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.time.Instant;
import java.util.Objects;

/**
 * A remember-me credential to hand to the client in a persistent cookie: {@code
 * selector.validator}. Only a hash of the validator is stored. {@link #toString()} never prints it.
 */
public final class RememberMeToken {

  private final String value;
  private final Instant expiresAt;

  RememberMeToken(String value, Instant expiresAt) {
    this.value = Objects.requireNonNull(value);
    this.expiresAt = Objects.requireNonNull(expiresAt);
  }

  /**
   * Returns the secret value to put in the cookie. Never log it.
   *
   * @return the secret value to put in the cookie
   */
  public String value() {
    return value;
  }

  /**
   * Returns when the series ends; the cookie's Max-Age should end then too.
   *
   * @return when the series ends
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "RememberMeToken[expiresAt=" + expiresAt + ", value=redacted]";
  }
}
