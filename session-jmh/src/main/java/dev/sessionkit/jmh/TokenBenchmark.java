// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.TokenGenerator;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token generation: Sessionkit's {@link TokenGenerator#secure()} (one DRBG per thread) plus
 * base64url, which is what the manager does for every new token (32 random bytes, base64url
 * without padding: 43 characters), against the common alternative of one {@code new
 * SecureRandom()} shared by all threads (on Linux, NativePRNG, which mixes every call under one
 * lock). Both sides encode with the same JDK {@code Base64} encoder, so the difference is the
 * generator. Run at 1 and 2 threads: the per-thread generator should scale, the shared one should
 * not.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar TokenBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TokenBenchmark {

  /** Bytes of randomness in a session token. */
  static final int TOKEN_BYTES = 32;

  /** One {@code new SecureRandom()} for all threads. */
  @State(Scope.Benchmark)
  public static class Shared {
    final SecureRandom random = new SecureRandom();
  }

  /** Sessionkit's token generation, 1 thread. */
  @Benchmark
  @Threads(1)
  public String sessionkitSecure_1t() {
    return sessionkitToken();
  }

  /** Sessionkit's token generation, 2 threads. */
  @Benchmark
  @Threads(2)
  public String sessionkitSecure_2t() {
    return sessionkitToken();
  }

  /** A shared {@code new SecureRandom()}, 1 thread. */
  @Benchmark
  @Threads(1)
  public String sharedSecureRandom_1t(Shared shared) {
    return shared(shared);
  }

  /** A shared {@code new SecureRandom()}, 2 threads. */
  @Benchmark
  @Threads(2)
  public String sharedSecureRandom_2t(Shared shared) {
    return shared(shared);
  }

  /** Returns a new token as the manager makes it, from {@link TokenGenerator#secure()}. */
  static String sessionkitToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    TokenGenerator.secure().nextBytes(bytes);
    return Fixtures.BASE64URL.encodeToString(bytes);
  }

  private static String shared(Shared shared) {
    byte[] bytes = new byte[TOKEN_BYTES];
    shared.random.nextBytes(bytes);
    return Fixtures.BASE64URL.encodeToString(bytes);
  }
}
