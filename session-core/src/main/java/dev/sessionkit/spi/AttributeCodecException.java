// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/**
 * An attribute value could not be encoded (not serializable) or decoded (corrupt bytes, or a class
 * outside the allow-list). A store that meets undecodable attributes treats the session as absent
 * and removes it.
 */
public final class AttributeCodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the message names the attribute, never its bytes.
   *
   * @param message what went wrong, naming the operation; never a token or hash
   * @param cause the underlying failure, or {@code null}
   */
  public AttributeCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
