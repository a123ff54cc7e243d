package dev.sessionkit.jmh;

import dev.sessionkit.TokenGenerator;
import dev.sessionkit.internal.Tokens;
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
 * base64url, exactly what the manager does for every new token, against the common alternative of
 * one {@code new SecureRandom()} shared by all threads (on Linux, NativePRNG, which mixes every
 * call under one lock). Run at 1 and 2 threads: the per-thread generator should scale, the shared
 * one should not.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar TokenBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TokenBenchmark {

  /** One {@code new SecureRandom()} for all threads. */
  @State(Scope.Benchmark)
  public static class Shared {
    final SecureRandom random = new SecureRandom();
  }

  /** Sessionkit's token generation, 1 thread. */
  @Benchmark
  @Threads(1)
  public String sessionkitSecure_1t() {
    return Tokens.newToken(TokenGenerator.secure());
  }

  /** Sessionkit's token generation, 2 threads. */
  @Benchmark
  @Threads(2)
  public String sessionkitSecure_2t() {
    return Tokens.newToken(TokenGenerator.secure());
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

  private static String shared(Shared shared) {
    byte[] bytes = new byte[32];
    shared.random.nextBytes(bytes);
    return Fixtures.BASE64URL.encodeToString(bytes);
  }
}
