package dev.sessionkit.jmh;

import dev.sessionkit.Session;
import dev.sessionkit.internal.Tokens;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.util.Optional;
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
 * The steps of Sessionkit's resolve-and-touch, one at a time, at 10^5 sessions and a random
 * session per call: where the time of {@link ResolveBenchmark} goes, to hold against {@link
 * FloorBenchmark}. Average time per call, one thread.
 *
 * <ul>
 *   <li>{@code validateToken}: the strict check of the 43-character cookie value;
 *   <li>{@code hashToken}: base64url decoding and SHA-256 into a {@code TokenHash};
 *   <li>{@code storeFindByTokenHash}: the in-memory store's lookup by hash (hashes precomputed);
 *   <li>{@code storeTouch}: the store's touch by session id (without a find before it, so it
 *       pays the lookup by id that the manager's find-then-touch skips);
 *   <li>{@code resolveAndTouch}: the whole {@code SessionManager.resolve}, touchInterval zero.
 * </ul>
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar ResolveStepsBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class ResolveStepsBenchmark {

  /** 10^5 sessions (touchInterval zero) and their token hashes. */
  @State(Scope.Benchmark)
  public static class Hashed extends LiveSessions.SessionkitEveryRequestWrites {
    TokenHash[] hashes;

    @Override
    void setUp(int count) {
      super.setUp(count);
      hashes = new TokenHash[count];
      for (int i = 0; i < count; i++) {
        hashes[i] = Tokens.hash(sessions.tokens[i]);
      }
    }
  }

  @Benchmark
  public boolean validateToken(Hashed state) {
    return Tokens.isToken(state.sessions.tokens[Fixtures.randomIndex(state.hashes.length)]);
  }

  @Benchmark
  public TokenHash hashToken(Hashed state) {
    return Tokens.hash(state.sessions.tokens[Fixtures.randomIndex(state.hashes.length)]);
  }

  @Benchmark
  public Optional<SessionRecord> storeFindByTokenHash(Hashed state) {
    return state.sessions.store.findByTokenHash(
        state.hashes[Fixtures.randomIndex(state.hashes.length)]);
  }

  @Benchmark
  public boolean storeTouch(Hashed state) {
    return state.sessions.store.touch(state.sessions.ids[Fixtures.randomIndex(state.hashes.length)],
        System.currentTimeMillis());
  }

  @Benchmark
  public Optional<Session> resolveAndTouch(Hashed state) {
    return ResolveBenchmark.resolve(state.sessions);
  }
}
