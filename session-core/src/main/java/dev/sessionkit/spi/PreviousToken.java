// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;

/**
 * The token a session had before its last rotation, kept for a short grace period so that the
 * browser's own parallel requests, sent before the new cookie arrived, do not sign the user out.
 *
 * <p>What the previous token still allows depends on why it was replaced ({@link #cause()}):
 * after a {@link Rotation#RENEWAL} it resolves to the session until {@link #validUntil()}; after a
 * {@link Rotation#LOGIN} it never resolves (that would undo the fixation defence) and only lets a
 * second, parallel login of the same principal from the same browser land in this session.
 *
 * @param hash SHA-256 of the replaced token
 * @param validUntil end of the grace period, epoch milliseconds (exclusive)
 * @param cause why the token was replaced
 */
public record PreviousToken(TokenHash hash, long validUntil, Rotation cause) {

  /** Why a session's token was replaced. */
  public enum Rotation {
    /** {@code renew}: a privilege change of the same principal; the old token keeps resolving. */
    RENEWAL,
    /** A login from this session: the old token never resolves again. */
    LOGIN
  }

  /**
   * Checks that the hash and cause are present.
   *
   * @param hash SHA-256 of the replaced token
   * @param validUntil end of the grace period, epoch milliseconds (exclusive)
   * @param cause why the token was replaced
   */
  public PreviousToken {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(cause, "cause");
  }

  /**
   * Returns whether the grace period still runs at {@code nowMillis}.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether the grace period still runs at {@code nowMillis}
   */
  public boolean isInGrace(long nowMillis) {
    return nowMillis < validUntil;
  }

  /**
   * Returns whether this token resolves to its session at {@code nowMillis}.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return whether this token resolves to its session at {@code nowMillis}
   */
  public boolean resolvesAt(long nowMillis) {
    return cause == Rotation.RENEWAL && isInGrace(nowMillis);
  }

  /** Never prints the hash. */
  @Override
  public String toString() {
    return "PreviousToken[cause=" + cause + ", validUntil=" + validUntil + "]";
  }
}
