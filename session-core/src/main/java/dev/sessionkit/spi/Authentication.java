// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;

/**
 * Who a session belongs to and how they proved it: the part of a {@link SessionRecord} that an
 * anonymous session does not have. Immutable.
 *
 * @param principal the authenticated user's id (1 to 256 characters)
 * @param authenticatedAt when the principal authenticated, epoch milliseconds; a remember-me
 *     resume counts as an authentication of its own kind ({@link #method()})
 * @param method how the principal authenticated
 * @param rememberMeSeries the {@link RememberMeSeries#selectorHash() selector hash} of the
 *     remember-me series of this session's device (issued at its login or used to start it), or
 *     {@code null}
 */
public record Authentication(String principal, long authenticatedAt, AuthenticationMethod method,
    TokenHash rememberMeSeries) {

  /** Checks that the principal and method are present. */
  public Authentication {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(method, "method");
  }

  /** Returns this authentication linked to the series with {@code selectorHash} (or none). */
  public Authentication withRememberMeSeries(TokenHash selectorHash) {
    return new Authentication(principal, authenticatedAt, method, selectorHash);
  }

  /** Never prints the series' selector hash. */
  @Override
  public String toString() {
    return "Authentication[principal=" + principal + ", authenticatedAt=" + authenticatedAt
        + ", method=" + method + ", rememberMe=" + (rememberMeSeries != null) + "]";
  }
}
