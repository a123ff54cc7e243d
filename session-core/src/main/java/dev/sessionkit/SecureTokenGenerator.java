// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One {@link SecureRandom} per thread, read {@value #BUFFER_BYTES} bytes at a time, so that
 * concurrent logins do not queue on a single lock and a token does not pay a whole DRBG call.
 *
 * <h2>Where the bytes come from</h2>
 *
 * <p>Each thread gets its own DRBG ({@code SecureRandom.getInstance("DRBG")}: NIST SP 800-90A
 * Hash_DRBG with SHA-256 in the JDK's default configuration), seeded from the operating system's
 * entropy source when the thread first draws, and reseeded as the JDK's DRBG does (its {@code
 * securerandom.drbg.config}); where DRBG is unavailable, a plain {@code new SecureRandom()}. The
 * JDK's default {@code SecureRandom} on Linux (NativePRNG) mixes every call under one global lock,
 * so a shared instance does not scale past one thread.
 *
 * <h2>The buffer</h2>
 *
 * <p>A DRBG generate call has a fixed cost (several SHA-256 computations and the state update)
 * whatever its length; a token needs 32 bytes and an id 12. So each thread asks its DRBG for
 * {@value #BUFFER_BYTES} bytes at once and hands them out in order, each byte once: the same
 * generator and seed, the same output stream, fewer calls. Bytes are cleared from the buffer as
 * they are handed out, so the buffer never holds a secret already issued, only the next ones (as
 * the DRBG's own state determines them anyway). A request larger than the buffer goes to the DRBG
 * directly.
 *
 * <p>Both thread locals hold JDK types only ({@link SecureRandom}, {@link ByteBuffer}), so a web
 * application's redeploy leaves no class of ours pinned by a container thread. Thread-safe: every
 * thread has its own generator and buffer.
 */
final class SecureTokenGenerator implements TokenGenerator {

  /** The shared instance. */
  static final SecureTokenGenerator INSTANCE = new SecureTokenGenerator();

  /** Bytes drawn from the DRBG per call: sixteen 32-byte tokens. */
  static final int BUFFER_BYTES = 512;

  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(SecureTokenGenerator::newRandom);
  /** Unread DRBG output between position and limit; empty at first, so the first draw fills it. */
  static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER_BYTES).limit(0));

  private SecureTokenGenerator() {}

  @Override
  public void nextBytes(byte[] bytes) {
    if (bytes.length > BUFFER_BYTES) {
      RANDOM.get().nextBytes(bytes);
      return;
    }
    ByteBuffer buffer = BUFFER.get();
    if (buffer.remaining() < bytes.length) {
      byte[] array = buffer.array();
      RANDOM.get().nextBytes(array);
      buffer.clear();
    }
    int from = buffer.position();
    buffer.get(bytes);
    Arrays.fill(buffer.array(), from, buffer.position(), (byte) 0);
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
