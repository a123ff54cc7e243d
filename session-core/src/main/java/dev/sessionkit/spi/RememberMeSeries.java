// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;

/**
 * One remember-me series as stored: the persistent login of one device. Immutable; changes are
 * named transitions ({@link #rotated}, {@link #confirmed}) that return a new value.
 *
 * <p>A remember-me token is {@code selector.validator}. Neither is stored: the series is keyed by
 * the SHA-256 of the selector ({@link #selectorHash()}) and keeps the SHA-256 of the current
 * validator, so a reader of the store can neither sign in nor present a selector (OWASP ASVS
 * 7.2.3 / 11.2.4). The series belongs to a device, not to a session: {@link #latestSessionId()}
 * is the session it started last, and ending an older session leaves the series alone.
 *
 * <p>Unknown outcomes: a rotation is not {@link #rotationConfirmed() confirmed} until the new
 * session was stored and handed to the application. An unconfirmed rotation may never have reached
 * the browser (the store call timed out after it was applied), so the validator it replaced is
 * accepted again after the grace period instead of being taken for theft.
 *
 * @param selectorHash SHA-256 of the public selector: the key of the series
 * @param principal the user the series signs in
 * @param validatorHash SHA-256 of the current validator
 * @param previousValidatorHash SHA-256 of the validator replaced last, or {@code null}
 * @param previousValidUntil end of the grace period of the previous validator, epoch milliseconds
 * @param rotationConfirmed whether the last rotation is known to have completed
 * @param createdAt when the series was issued (at an interactive login), epoch milliseconds
 * @param expiresAt when the series ends, epoch milliseconds; use never extends it
 * @param lastUsedAt the last time the series started a session ({@code createdAt} until then)
 * @param latestSessionId the session this series started or was issued with last, or {@code null}
 * @param generation the principal's {@link SessionStore#principalGeneration revocation generation}
 *     when the series was issued (raised by a force logout that kept it); a series whose
 *     generation is below the principal's current one was revoked
 */
public record RememberMeSeries(
    TokenHash selectorHash,
    String principal,
    TokenHash validatorHash,
    TokenHash previousValidatorHash,
    long previousValidUntil,
    boolean rotationConfirmed,
    long createdAt,
    long expiresAt,
    long lastUsedAt,
    String latestSessionId,
    long generation) {

  /**
   * Checks that the required fields are present.
   *
   * @param selectorHash SHA-256 of the public selector: the key of the series
   * @param principal the user the series signs in
   * @param validatorHash SHA-256 of the current validator
   * @param previousValidatorHash SHA-256 of the validator replaced last, or {@code null}
   * @param previousValidUntil end of the grace period of the previous validator, epoch milliseconds
   * @param rotationConfirmed whether the last rotation is known to have completed
   * @param createdAt when the series was issued (at an interactive login), epoch milliseconds
   * @param expiresAt when the series ends, epoch milliseconds; use never extends it
   * @param lastUsedAt the last time the series started a session ({@code createdAt} until then)
   * @param latestSessionId the session this series started or was issued with last, or {@code null}
   * @param generation the principal's {@link SessionStore#principalGeneration revocation
   *     generation} when the series was issued (raised by a force logout that kept it); a series
   *     whose generation is below the principal's current one was revoked
   */
  public RememberMeSeries {
    Objects.requireNonNull(selectorHash, "selectorHash");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(validatorHash, "validatorHash");
  }

  /**
   * Returns a new series issued at {@code nowMillis}, lasting {@code lifetimeMillis}.
   *
   * @param selectorHash the SHA-256 hash of the remember-me selector
   * @param principal the principal (the user's id)
   * @param validatorHash the SHA-256 hash of the remember-me validator
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param lifetimeMillis how long the series lives, milliseconds
   * @param sessionId the public session id
   * @param generation the principal's revocation generation
   * @return a new series issued at {@code nowMillis}, lasting {@code lifetimeMillis}
   */
  public static RememberMeSeries issue(TokenHash selectorHash, String principal,
      TokenHash validatorHash, long nowMillis, long lifetimeMillis, String sessionId,
      long generation) {
    return new RememberMeSeries(selectorHash, principal, validatorHash, null, 0L, true, nowMillis,
        Lifetime.saturatedAdd(nowMillis, lifetimeMillis), nowMillis, sessionId, generation);
  }

  /**
   * Returns whether the series has ended at {@code nowMillis}.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether the series has ended at {@code nowMillis}
   */
  public boolean isExpired(long nowMillis) {
    return nowMillis >= expiresAt;
  }

  /**
   * Returns the series after a use at {@code nowMillis} that presented {@code presentedHash}: the
   * validator becomes {@code newValidatorHash}, the presented one stays acceptable until {@code
   * graceUntilMillis} (parallel requests), the rotation is unconfirmed, and {@code sessionId} is
   * the latest session.
   *
   * @param presentedHash the SHA-256 hash of the validator that was presented (it becomes the
   *     previous one)
   * @param newValidatorHash the SHA-256 hash of the new validator
   * @param graceUntilMillis end of the replaced credential's grace period, epoch milliseconds
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param sessionId the public session id
   * @return the series after a use at {@code nowMillis} that presented {@code presentedHash}
   */
  public RememberMeSeries rotated(TokenHash presentedHash, TokenHash newValidatorHash,
      long graceUntilMillis, long nowMillis, String sessionId) {
    return new RememberMeSeries(selectorHash, principal, newValidatorHash, presentedHash,
        graceUntilMillis, false, createdAt, expiresAt, nowMillis, sessionId, generation);
  }

  /**
   * Returns the series with its last rotation confirmed.
   *
   * @return the series with its last rotation confirmed
   */
  public RememberMeSeries confirmed() {
    return new RememberMeSeries(selectorHash, principal, validatorHash, previousValidatorHash,
        previousValidUntil, true, createdAt, expiresAt, lastUsedAt, latestSessionId, generation);
  }

  /**
   * Returns the series with its generation raised to at least {@code atLeast}.
   *
   * @param atLeast the lowest generation the result has
   * @return the series with its generation raised to at least {@code atLeast}
   */
  public RememberMeSeries withGenerationAtLeast(long atLeast) {
    return atLeast <= generation ? this
        : new RememberMeSeries(selectorHash, principal, validatorHash, previousValidatorHash,
            previousValidUntil, rotationConfirmed, createdAt, expiresAt, lastUsedAt,
            latestSessionId, atLeast);
  }

  /** Never prints a hash: with a selector, anyone could end every session of the principal. */
  @Override
  public String toString() {
    return "RememberMeSeries[principal=" + principal + ", createdAt=" + createdAt + ", expiresAt="
        + expiresAt + ", lastUsedAt=" + lastUsedAt + ", latestSessionId=" + latestSessionId
        + ", generation=" + generation + ", rotationConfirmed=" + rotationConfirmed + "]";
  }
}
