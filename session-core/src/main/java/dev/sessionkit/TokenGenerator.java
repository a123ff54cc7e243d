// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

/**
 * The source of randomness for tokens, session ids and remember-me secrets.
 *
 * <p>The default, {@link #secure()}, gives each thread its own DRBG {@link
 * java.security.SecureRandom} seeded from the operating system (and reseeded as the JDK's DRBG
 * does), so that token generation scales across threads instead of queueing on one lock; each
 * thread reads its DRBG 512 bytes at a time and hands the bytes out in order, each once, so that a
 * 32-byte token does not pay a whole DRBG call. Tests may supply a deterministic generator, but
 * production code must not.
 *
 * <p>Implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface TokenGenerator {

  /**
   * Fills {@code bytes} with unpredictable random bytes.
   *
   * @param bytes the array to fill with random bytes
   */
  void nextBytes(byte[] bytes);

  /**
   * Returns the default generator: one SecureRandom (DRBG) per thread, read 512 bytes at a time.
   *
   * @return the default generator
   */
  static TokenGenerator secure() {
    return SecureTokenGenerator.INSTANCE;
  }
}
