// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hardware floor: what the JDK's primitives cost, with no session library around them.
 * Sessionkit's per-request path is judged against {@link #perRequestFloor_1t}: SHA-256 of a
 * 32-byte token, a random hit in a {@code ConcurrentHashMap} of 10^5 sessions keyed by that hash,
 * a clock read and one (volatile) timestamp write. It is what any server-side session store that
 * keeps only token hashes must do at least.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar FloorBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FloorBenchmark {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** A 32-byte hash as a map key: four longs, compared field by field. */
  record HashKey(long w0, long w1, long w2, long w3) {
    static HashKey of(byte[] digest) {
      return new HashKey((long) LONGS.get(digest, 0), (long) LONGS.get(digest, 8),
          (long) LONGS.get(digest, 16), (long) LONGS.get(digest, 24));
    }

    @Override
    public int hashCode() {
      return (int) w0;
    }
  }

  /** A stored session reduced to its last-access time. */
  static final class Entry {
    volatile long lastAccessedAt;
  }

  /** Per-thread SHA-256 and DRBG, the way a careful implementation keeps them. */
  @State(Scope.Thread)
  public static class PerThread {
    MessageDigest sha256;
    SecureRandom random;

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
      sha256 = MessageDigest.getInstance("SHA-256");
      random = SecureRandom.getInstance("DRBG");
    }
  }

  /** Raw 32-byte tokens and a map of their hashes to entries. */
  abstract static class HashedTokens {
    byte[][] tokens;
    ConcurrentHashMap<HashKey, Entry> map;

    void fill(int count) throws NoSuchAlgorithmException {
      SecureRandom random = new SecureRandom();
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      tokens = new byte[count][];
      map = new ConcurrentHashMap<>();
      for (int i = 0; i < count; i++) {
        tokens[i] = new byte[32];
        random.nextBytes(tokens[i]);
        map.put(HashKey.of(sha256.digest(tokens[i])), new Entry());
      }
    }

    HashKey[] keys() throws NoSuchAlgorithmException {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      HashKey[] keys = new HashKey[tokens.length];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = HashKey.of(sha256.digest(tokens[i]));
      }
      return keys;
    }
  }

  /** 10^6 entries, for the bare lookup. */
  @State(Scope.Benchmark)
  public static class Million extends HashedTokens {
    HashKey[] keys;

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
      fill(1_000_000);
      keys = keys();
    }
  }

  /** 10^5 entries, the session count of the per-request comparisons. */
  @State(Scope.Benchmark)
  public static class Sessions extends HashedTokens {
    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
      fill(Fixtures.SESSIONS);
    }
  }

  /** 32 random bytes from a per-thread DRBG, encoded base64url: a new token. */
  @Benchmark
  public String randomTokenBase64Url(PerThread thread) {
    byte[] bytes = new byte[32];
    thread.random.nextBytes(bytes);
    return Fixtures.BASE64URL.encodeToString(bytes);
  }

  /** SHA-256 of a 32-byte token. */
  @Benchmark
  public byte[] sha256Of32Bytes(PerThread thread, Sessions sessions) {
    return thread.sha256.digest(sessions.tokens[Fixtures.randomIndex(sessions.tokens.length)]);
  }

  /** A random hit among 10^6 entries of a {@code ConcurrentHashMap} (key already hashed). */
  @Benchmark
  public Entry concurrentHashMapLookup1M(Million million) {
    return million.map.get(million.keys[Fixtures.randomIndex(million.keys.length)]);
  }

  /** The per-request floor at 10^5 sessions: hash + lookup + clock read + timestamp write. */
  @Benchmark
  @Threads(1)
  public Entry perRequestFloor_1t(PerThread thread, Sessions sessions) {
    return perRequest(thread, sessions);
  }

  /** {@link #perRequestFloor_1t} on 2 threads: how far the machine itself scales. */
  @Benchmark
  @Threads(2)
  public Entry perRequestFloor_2t(PerThread thread, Sessions sessions) {
    return perRequest(thread, sessions);
  }

  static Entry perRequest(PerThread thread, HashedTokens sessions) {
    return perRequest(thread, sessions, Fixtures.randomIndex(sessions.tokens.length));
  }

  /** The per-request floor for the session at index {@code i}. */
  static Entry perRequest(PerThread thread, HashedTokens sessions, int i) {
    byte[] token = sessions.tokens[i];
    Entry entry = sessions.map.get(HashKey.of(thread.sha256.digest(token)));
    entry.lastAccessedAt = System.currentTimeMillis();
    return entry;
  }
}
