package dev.sessionkit.spi;

import java.util.Objects;

/**
 * One remember-me series as stored: the public selector, the hash of the current validator, and
 * the hash of the validator it replaced (harmless during a short grace window). Immutable.
 *
 * <p>A remember-me token is {@code selector.validator}; only the SHA-256 of the validator is ever
 * stored. Times are epoch milliseconds; the series is live while {@code now < expiresAt}.
 *
 * @param selector public lookup key of the series (random, 16 base64url characters)
 * @param principal the user the series signs in
 * @param validatorHash SHA-256 of the current validator
 * @param previousValidatorHash SHA-256 of the validator replaced last, or {@code null}
 * @param previousValidUntil end of the grace window of the previous validator
 * @param createdAt when the series was issued (at an interactive login)
 * @param expiresAt when the series ends; use never extends it
 * @param lastUsedAt last time the series started a session ({@code createdAt} until then)
 */
public record RememberMeSeries(
    String selector,
    String principal,
    TokenHash validatorHash,
    TokenHash previousValidatorHash,
    long previousValidUntil,
    long createdAt,
    long expiresAt,
    long lastUsedAt) {

  /** Checks that the required fields are present. */
  public RememberMeSeries {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(validatorHash, "validatorHash");
  }

  /** Returns whether the series has ended at {@code now}. */
  public boolean isExpired(long now) {
    return now >= expiresAt;
  }

  /** Returns the series after a rotation from the current validator to {@code newHash}. */
  public RememberMeSeries rotated(TokenHash newHash, long graceUntil, long now) {
    return new RememberMeSeries(selector, principal, newHash, validatorHash, graceUntil, createdAt,
        expiresAt, now);
  }

  /**
   * Never prints the validator hashes, nor the selector: with the selector, anyone could present a
   * wrong validator and so end every session of the principal (theft response).
   */
  @Override
  public String toString() {
    return "RememberMeSeries[principal=" + principal + ", createdAt="
        + createdAt + ", expiresAt=" + expiresAt + ", lastUsedAt=" + lastUsedAt + "]";
  }
}
