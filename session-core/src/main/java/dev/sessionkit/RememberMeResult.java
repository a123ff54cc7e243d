// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of presenting a remember-me token: a new session, or why there is none.
 */
public final class RememberMeResult {

  /** What happened to the presented token. */
  public enum Status {
    /** The token was valid: a new session started and the validator was rotated. */
    RESUMED,
    /** Malformed, unknown or expired: the client should drop its remember-me cookie. */
    INVALID,
    /**
     * The validator was replaced moments ago (a parallel request of the same browser won the
     * rotation): nothing granted, no alarm; the client should keep its cookies.
     */
    RECENTLY_ROTATED,
    /**
     * A used validator came back after the grace window: every session and series of the
     * principal was revoked. The client should drop both cookies.
     */
    THEFT_DETECTED
  }

  private static final RememberMeResult INVALID = new RememberMeResult(Status.INVALID, null);
  private static final RememberMeResult RECENTLY_ROTATED =
      new RememberMeResult(Status.RECENTLY_ROTATED, null);
  private static final RememberMeResult THEFT = new RememberMeResult(Status.THEFT_DETECTED, null);

  private final Status status;
  private final IssuedSession issued;

  private RememberMeResult(Status status, IssuedSession issued) {
    this.status = status;
    this.issued = issued;
  }

  static RememberMeResult resumed(IssuedSession issued) {
    return new RememberMeResult(Status.RESUMED, Objects.requireNonNull(issued));
  }

  static RememberMeResult invalid() {
    return INVALID;
  }

  static RememberMeResult recentlyRotated() {
    return RECENTLY_ROTATED;
  }

  static RememberMeResult theft() {
    return THEFT;
  }

  /**
   * Returns what happened.
   *
   * @return what happened
   */
  public Status status() {
    return status;
  }

  /**
   * Returns the new session and tokens, when {@link Status#RESUMED}.
   *
   * @return the new session and tokens, when {@link Status#RESUMED}
   */
  public Optional<IssuedSession> issued() {
    return Optional.ofNullable(issued);
  }

  @Override
  public String toString() {
    return "RememberMeResult[" + status + (issued == null ? "" : ", " + issued) + "]";
  }
}
