// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;

/**
 * Who a session belongs to and how they proved it: the part of a {@link SessionRecord} that an
 * anonymous session does not have. Immutable.
 *
 * <p>Two times are kept apart. {@link #authenticatedAt()} is when this session's authentication
 * began (a login, or a remember-me resume); the absolute timeout counts from it. {@link
 * #interactiveAt()} is when the principal last proved who they are in person (a password, SSO, a
 * second factor) on this device: the time a step-up check ("did the user sign in within the last
 * five minutes?", OWASP ASVS 7.5.1, 7.5.3) reads. Only an interactive login sets it; a token
 * rotation, a credential change and a remember-me resume never move it forward.
 *
 * @param principal the authenticated user's id (1 to 256 characters)
 * @param authenticatedAt when this session's authentication began, epoch milliseconds; a
 *     remember-me resume counts as an authentication of its own kind ({@link #method()})
 * @param method how the principal authenticated: {@link AuthenticationMethod#REMEMBER_ME} until
 *     the user signs in interactively again in this session
 * @param interactiveAt when the principal last authenticated interactively, epoch milliseconds:
 *     for an {@link AuthenticationMethod#INTERACTIVE} session the login; for a remember-me session
 *     the issue of the device's series (the interactive login, or the credential change, that
 *     issued it), which its rotations keep
 * @param rememberMeSeries the {@link RememberMeSeries#selectorHash() selector hash} of the
 *     remember-me series of this session's device (issued at its login or used to start it), or
 *     {@code null}
 */
public record Authentication(String principal, long authenticatedAt, AuthenticationMethod method,
    long interactiveAt, TokenHash rememberMeSeries) {

  /**
   * Checks that the principal and method are present.
   *
   * @param principal the authenticated user's id (1 to 256 characters)
   * @param authenticatedAt when this session's authentication began, epoch milliseconds; a
   *     remember-me resume counts as an authentication of its own kind ({@link #method()})
   * @param method how the principal authenticated: {@link AuthenticationMethod#REMEMBER_ME} until
   *     the user signs in interactively again in this session
   * @param interactiveAt when the principal last authenticated interactively, epoch milliseconds:
   *     for an {@link AuthenticationMethod#INTERACTIVE} session the login; for a remember-me
   *     session the issue of the device's series (the interactive login, or the credential change,
   *     that issued it), which its rotations keep
   * @param rememberMeSeries the {@link RememberMeSeries#selectorHash() selector hash} of the
   *     remember-me series of this session's device (issued at its login or used to start it), or
   *     {@code null}
   */
  public Authentication {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(method, "method");
  }

  /**
   * Returns the authentication of an interactive login at {@code nowMillis} (epoch milliseconds):
   * both times are the login.
   *
   * @param principal the principal (the user's id)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param rememberMeSeries the selector hash of the series issued at this login, or {@code null}
   * @return the authentication of an interactive login at {@code nowMillis} (epoch milliseconds)
   */
  public static Authentication interactive(String principal, long nowMillis,
      TokenHash rememberMeSeries) {
    return new Authentication(principal, nowMillis, AuthenticationMethod.INTERACTIVE, nowMillis,
        rememberMeSeries);
  }

  /**
   * Returns the authentication of a remember-me resume at {@code nowMillis} from the series keyed
   * by {@code selectorHash}, which was issued at {@code seriesIssuedAt} (both epoch milliseconds):
   * that issue is the last interactive authentication the session knows of.
   *
   * @param principal the principal (the user's id)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param seriesIssuedAt when the series was issued, epoch milliseconds
   * @param selectorHash the SHA-256 hash of the remember-me selector
   * @return the authentication of a remember-me resume at {@code nowMillis} from the series keyed
   *     by {@code selectorHash}, which was issued at {@code seriesIssuedAt} (both epoch
   *     milliseconds)
   */
  public static Authentication rememberMe(String principal, long nowMillis, long seriesIssuedAt,
      TokenHash selectorHash) {
    return new Authentication(principal, nowMillis, AuthenticationMethod.REMEMBER_ME,
        seriesIssuedAt, Objects.requireNonNull(selectorHash, "selectorHash"));
  }

  /**
   * Returns whether the principal authenticated interactively less than {@code maxAgeMillis}
   * milliseconds before {@code nowMillis}: never for a remember-me session (the user need not be
   * present), whatever its series' age. A time in the future (another server's clock ahead of
   * this one, or this clock stepped back) counts as recent only while it is less than {@code
   * maxAgeMillis} ahead: a time further ahead proves no recent sign-in, and the safe answer is no
   * (the user authenticates again).
   *
   * @param maxAgeMillis the greatest accepted age of the interactive login, milliseconds
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether the principal authenticated interactively less than {@code maxAgeMillis}
   *     milliseconds before {@code nowMillis}
   */
  public boolean isInteractiveWithin(long maxAgeMillis, long nowMillis) {
    if (method != AuthenticationMethod.INTERACTIVE || maxAgeMillis <= 0) {
      return false;
    }
    return nowMillis < Lifetime.saturatedAdd(interactiveAt, maxAgeMillis)
        && interactiveAt < Lifetime.saturatedAdd(nowMillis, maxAgeMillis);
  }

  /**
   * Returns this authentication linked to the series with {@code selectorHash} (or none).
   *
   * @param selectorHash the SHA-256 hash of the remember-me selector
   * @return this authentication linked to the series with {@code selectorHash} (or none)
   */
  public Authentication withRememberMeSeries(TokenHash selectorHash) {
    return new Authentication(principal, authenticatedAt, method, interactiveAt, selectorHash);
  }

  /** Never prints the series' selector hash. */
  @Override
  public String toString() {
    return "Authentication[principal=" + principal + ", authenticatedAt=" + authenticatedAt
        + ", method=" + method + ", interactiveAt=" + interactiveAt + ", rememberMe="
        + (rememberMeSeries != null) + "]";
  }
}
