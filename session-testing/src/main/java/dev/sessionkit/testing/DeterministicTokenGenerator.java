// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.TokenGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TokenGenerator} whose bytes follow from a seed, so that a test that fails with one
 * token fails with the same token when run again.
 *
 * <p><strong>Never use it in production:</strong> anyone who knows or guesses the seed can compute
 * every token, session id and remember-me secret it produces. It exists for tests only, and lives in
 * the test artifact so that production code cannot reach it by accident.
 *
 * <pre>{@code
 * SessionManager manager = SessionManager.builder()
 *     .tokenGenerator(DeterministicTokenGenerator.seeded(42))
 *     .clock(MutableClock.at(Instant.parse("2026-01-01T00:00:00Z")))
 *     .build();
 * }</pre>
 *
 * <p>Call {@code n} (counting from 0) fills its array with {@code SHA-256(seed, n, 0) ||
 * SHA-256(seed, n, 1) || ...}, cut to length: two generators with the same seed produce the same
 * bytes for the same sequence of calls, and concurrent callers each get distinct bytes. Safe for
 * concurrent use (lock-free: an atomic call counter).
 */
public final class DeterministicTokenGenerator implements TokenGenerator {

  private final long seed;
  private final AtomicLong calls = new AtomicLong();

  private DeterministicTokenGenerator(long seed) {
    this.seed = seed;
  }

  /**
   * Returns a generator whose bytes follow from {@code seed}.
   *
   * @param seed any value; equal seeds give equal bytes
   * @return a generator whose bytes follow from {@code seed}
   */
  public static DeterministicTokenGenerator seeded(long seed) {
    return new DeterministicTokenGenerator(seed);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    long call = calls.getAndIncrement();
    MessageDigest sha256 = sha256();
    int filled = 0;
    for (long block = 0; filled < bytes.length; block++) {
      sha256.update(longBytes(seed));
      sha256.update(longBytes(call));
      sha256.update(longBytes(block));
      byte[] digest = sha256.digest();
      int n = Math.min(digest.length, bytes.length - filled);
      System.arraycopy(digest, 0, bytes, filled, n);
      filled += n;
    }
  }

  /** Never prints the seed: with it, every token this generator made can be recomputed. */
  @Override
  public String toString() {
    return "DeterministicTokenGenerator[calls=" + calls.get() + "]";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] longBytes(long value) {
    byte[] out = new byte[Long.BYTES];
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }
}
