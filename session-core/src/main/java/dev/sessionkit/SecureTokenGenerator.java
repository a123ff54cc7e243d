// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One {@link SecureRandom} per thread (a JDK type, so a redeploy leaks nothing), so that concurrent logins do not queue on a single lock.
 *
 * <p>The JDK's default SecureRandom on Linux (NativePRNG) mixes every call under one global lock;
 * a shared instance therefore does not scale past one thread. Each thread here gets its own DRBG
 * (NIST SP 800-90A Hash_DRBG with SHA-256, seeded from the operating system), falling back to a
 * plain {@code new SecureRandom()} where DRBG is unavailable.
 */
final class SecureTokenGenerator implements TokenGenerator {

  /** The shared instance. */
  static final SecureTokenGenerator INSTANCE = new SecureTokenGenerator();

  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(SecureTokenGenerator::newRandom);

  private SecureTokenGenerator() {}

  @Override
  public void nextBytes(byte[] bytes) {
    RANDOM.get().nextBytes(bytes);
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  @Override
  public String toString() {
    return "TokenGenerator.secure()";
  }
}
