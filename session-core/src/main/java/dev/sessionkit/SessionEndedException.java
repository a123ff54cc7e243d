// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

/**
 * The session this call needed has ended (logged out, timed out, revoked), or the principal was
 * signed out everywhere while the call ran. A subclass of {@link IllegalStateException}, so that
 * code written against {@code HttpSession} (which throws that type on an invalidated session) keeps
 * its meaning. The application's answer is "start again": show the sign-in page, never a 500.
 *
 * <p>Messages name the public session id at most, never a token.
 */
public class SessionEndedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that says which session ended.
   *
   * @param message what went wrong, naming the operation; never a token or hash
   */
  public SessionEndedException(String message) {
    super(message);
  }
}
