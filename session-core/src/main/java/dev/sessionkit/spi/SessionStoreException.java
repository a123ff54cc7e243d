// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/**
 * The session store failed: it was unreachable, timed out, or answered something it should not.
 *
 * <p>This is the one exception type through which every store failure surfaces. A failing store
 * never yields a session: callers (the servlet filter answers 503) must treat this as "no access".
 * Messages name the operation and never contain a token or a token hash.
 */
public class SessionStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what failed.
   *
   * @param message what went wrong, naming the operation; never a token or hash
   */
  public SessionStoreException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message that says what failed, and the driver's cause.
   *
   * @param message what went wrong, naming the operation; never a token or hash
   * @param cause the underlying failure, or {@code null}
   */
  public SessionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
