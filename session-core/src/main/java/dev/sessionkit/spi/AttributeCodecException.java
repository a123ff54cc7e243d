// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/**
 * An attribute value could not be encoded (not serializable) or decoded (corrupt bytes, or a class
 * outside the allow-list). A store that meets undecodable attributes treats the session as absent
 * and removes it.
 */
public final class AttributeCodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the attribute, never its bytes. */
  public AttributeCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
