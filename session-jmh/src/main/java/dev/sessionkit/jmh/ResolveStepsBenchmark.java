// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.Session;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
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
 * FloorBenchmark}. Average time per call, one thread. Every step goes through public API or the
 * store SPI only, as an application or a store author could call it.
 *
 * <ul>
 *   <li>{@code decodeAndHashToken}: base64url decoding of the 43-character cookie value and
 *       SHA-256 into a {@link TokenHash}, with the JDK's {@link Base64} decoder and a per-thread
 *       {@link MessageDigest}: the same computation as the manager's. The manager decodes into a
 *       per-thread buffer instead of a new array, so this is an upper bound of its step (two
 *       small arrays more per call);
 *   <li>{@code storeFindByTokenHash}: the in-memory store's lookup by hash (hashes precomputed);
 *   <li>{@code storeFindAndTouch}: the store call that {@code resolve} makes per request: the
 *       lookup and the recorded access in one step ({@code touchInterval} zero), the hash passed
 *       as four words and the session returned as the store's own view (nothing allocated);
 *   <li>{@code storeFindByTokenHashAndTouch}: the same through the older call that takes a
 *       {@link TokenHash} and returns a {@link SessionRecord} (built from the store's slot);
 *   <li>{@code storeTouch}: the store's touch by session id (it pays the lookup by id that the
 *       find-and-touch call above skips);
 *   <li>{@code resolveAndTouch}: the whole {@code SessionManager.resolve}, {@code touchInterval}
 *       zero.
 * </ul>
 *
 * <p>Not measured on its own: the strict check of the cookie value (exactly 43 canonical base64url
 * characters) that {@code resolve} runs before it hashes. It is internal to session-core (no
 * public API exposes it), so only its share of {@code resolveAndTouch} shows it, about {@code
 * resolveAndTouch - decodeAndHashToken - storeFindAndTouch}.
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

  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  /** 10^5 sessions (touchInterval zero) and their token hashes. */
  @State(Scope.Benchmark)
  public static class Hashed extends LiveSessions.SessionkitEveryRequestWrites {
    TokenHash[] hashes;

    @Override
    void setUp(int count) {
      super.setUp(count);
      MessageDigest sha256 = sha256();
      hashes = new TokenHash[count];
      for (int i = 0; i < count; i++) {
        hashes[i] = hash(sessions.tokens[i], sha256);
      }
    }
  }

  /** One SHA-256 per benchmark thread, as the manager keeps one per thread. */
  @State(Scope.Thread)
  public static class Digest {
    final MessageDigest sha256 = sha256();

    /** Returns a new SHA-256 digest. */
    static MessageDigest newSha256() {
      return sha256();
    }
  }

  @Benchmark
  public TokenHash decodeAndHashToken(Hashed state, Digest digest) {
    return hash(state.sessions.tokens[Fixtures.randomIndex(state.hashes.length)], digest.sha256);
  }

  @Benchmark
  public Optional<SessionRecord> storeFindByTokenHash(Hashed state) {
    return state.sessions.store.findByTokenHash(
        state.hashes[Fixtures.randomIndex(state.hashes.length)]);
  }

  @Benchmark
  public SessionView storeFindAndTouch(Hashed state) {
    TokenHash h = state.hashes[Fixtures.randomIndex(state.hashes.length)];
    return state.sessions.store.findAndTouch(h.word(0), h.word(1), h.word(2), h.word(3),
        RoutingTag.NONE, System.currentTimeMillis(), 0L);
  }

  @Benchmark
  public Optional<SessionRecord> storeFindByTokenHashAndTouch(Hashed state) {
    return state.sessions.store.findByTokenHashAndTouch(
        state.hashes[Fixtures.randomIndex(state.hashes.length)], System.currentTimeMillis(), 0L);
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

  /** Returns the token hash of {@code token}: SHA-256 of its base64url-decoded 32 bytes. */
  static TokenHash hash(String token, MessageDigest sha256) {
    return TokenHash.of(sha256.digest(BASE64URL.decode(token)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
