// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/**
 * Turns attribute values into bytes and back, for stores that keep sessions outside the JVM (JDBC,
 * Redis). The default is {@link JavaSerializationCodec}, which reads only classes on its
 * allow-list.
 *
 * <p>Implementations must be safe for concurrent use.
 */
public interface AttributeCodec {

  /**
   * Encodes the value of attribute {@code name}.
   *
   * @param name the attribute's name, for error messages
   * @param value the attribute's value; not {@code null}
   * @return the bytes to store
   * @throws AttributeCodecException if the value cannot be encoded
   */
  byte[] encode(String name, Object value);

  /**
   * Decodes the value of attribute {@code name}.
   *
   * @param name the attribute's name, for error messages
   * @param bytes what {@link #encode} returned
   * @return the value, as it was encoded
   * @throws AttributeCodecException if the bytes are corrupt or name a class that is not allowed;
   *     decoding never runs code of a class that is not allowed
   */
  Object decode(String name, byte[] bytes);

  /**
   * Returns the default codec: Java serialization behind the default allow-list.
   *
   * @return the default codec
   */
  static AttributeCodec defaultCodec() {
    return JavaSerializationCodec.withDefaults();
  }
}
