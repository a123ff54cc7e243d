// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

/**
 * A login was refused because its principal already holds the configured maximum number of
 * sessions and the policy is {@link SessionCapPolicy#REFUSE_NEW}.
 */
public final class SessionLimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The configured maximum of sessions per principal. */
  private final int limit;

  /**
   * Creates the exception for a principal that reached {@code limit} sessions.
   *
   * @param limit the configured maximum of sessions per principal
   */
  public SessionLimitExceededException(int limit) {
    super("the principal already has the maximum of " + limit
        + " sessions (max-sessions-per-user); log out of another session first");
    this.limit = limit;
  }

  /**
   * Returns the configured maximum number of sessions per principal.
   *
   * @return the configured maximum number of sessions per principal
   */
  public int limit() {
    return limit;
  }
}
