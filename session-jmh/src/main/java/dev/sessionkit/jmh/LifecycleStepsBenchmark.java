// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.TokenGenerator;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.security.MessageDigest;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sessionkit's login and logout step by step, at 10^5 live sessions, one thread: where the time of
 * {@link LifecycleBenchmark}'s {@code sessionkitLogin} and {@code sessionkitLogout} goes, to hold
 * against Tomcat's. Average time per call. Every step goes through public API or the store SPI.
 *
 * <ul>
 *   <li>login: {@code loginNewToken} (32 bytes of {@link TokenGenerator#secure()} + base64url),
 *       {@code loginNewId} (12 bytes + base64url), {@code loginHashToken} (base64url decoding and
 *       SHA-256 with the JDK, an upper bound of the manager's), {@code loginPrincipalGeneration}
 *       (the store read a login makes before it decides), {@code loginStoreCreate} (the store
 *       insert: slot, both indexes, the principal's entry, the expiry queue), {@code login} (the
 *       whole {@code authenticate}; its new session is removed after each call);
 *   <li>logout: {@code logoutHashToken} (as above, of a random live session's token), {@code
 *       logoutStoreFind} (the store lookup by token hash), {@code logoutStoreDelete} (the store
 *       delete by id), {@code logoutStoreFindAndDelete} (the one store call a logout makes: both
 *       in one step), {@code logout} (the whole {@code logout(token)}). The session is put back
 *       after each call, outside the measurement.
 * </ul>
 *
 * <p>What the whole call costs beyond its steps is the manager's own work (validation, events,
 * guards). Tomcat's login draws an id and indexes the session by it; it hashes nothing and keeps no
 * index by principal.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar LifecycleStepsBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class LifecycleStepsBenchmark {

  /** A session ready to be created by the store, prepared outside the measurement. */
  @State(Scope.Thread)
  public static class Create extends LiveSessions.SessionkitDefaults {
    SessionRecord fresh;
    String created;

    @Setup(Level.Invocation)
    public void prepare() {
      byte[] hash = new byte[TokenHash.LENGTH];
      TokenGenerator.secure().nextBytes(hash);
      long now = System.currentTimeMillis();
      fresh = SessionRecord.authenticated(newId(), TokenHash.of(hash),
          Authentication.interactive("alice", now, null),
          Lifetime.startingAt(now, 30 * 60_000L, 8 * 3_600_000L), ClientInfo.NONE);
    }

    @TearDown(Level.Invocation)
    public void remove() {
      if (created != null) {
        sessions.store.delete(created);
        created = null;
      }
    }
  }

  /** A random live session, put back after each invocation. */
  @State(Scope.Thread)
  public static class Pick extends LifecycleBenchmark.SessionkitLogout {
    TokenHash[] hashes;

    @Override
    void setUp(int count) {
      super.setUp(count);
      MessageDigest sha256 = ResolveStepsBenchmark.Digest.newSha256();
      hashes = new TokenHash[count];
      for (int i = 0; i < count; i++) {
        hashes[i] = ResolveStepsBenchmark.hash(sessions.tokens[i], sha256);
      }
    }
  }

  @Benchmark
  public String loginNewToken() {
    return TokenBenchmark.sessionkitToken();
  }

  @Benchmark
  public String loginNewId() {
    return newId();
  }

  @Benchmark
  public TokenHash loginHashToken(Pick state, ResolveStepsBenchmark.Digest digest) {
    return ResolveStepsBenchmark.hash(state.sessions.tokens[state.next], digest.sha256);
  }

  @Benchmark
  public long loginPrincipalGeneration(Create state) {
    return state.sessions.store.principalGeneration("alice");
  }

  @Benchmark
  public boolean loginStoreCreate(Create state) {
    boolean created = state.sessions.store.create(state.fresh, Long.MAX_VALUE);
    state.created = state.fresh.id();
    return created;
  }

  @Benchmark
  public IssuedSession login(Create state) {
    IssuedSession issued = state.sessions.manager.authenticate("alice", ClientInfo.NONE, false);
    state.created = issued.session().id();
    return issued;
  }

  @Benchmark
  public TokenHash logoutHashToken(Pick state, ResolveStepsBenchmark.Digest digest) {
    return ResolveStepsBenchmark.hash(state.sessions.tokens[state.next], digest.sha256);
  }

  @Benchmark
  public Optional<SessionRecord> logoutStoreFind(Pick state) {
    return state.sessions.store.findByTokenHash(state.hashes[state.next]);
  }

  @Benchmark
  public boolean logoutStoreDelete(Pick state) {
    return state.sessions.store.delete(state.records[state.next].id());
  }

  @Benchmark
  public SessionView logoutStoreFindAndDelete(Pick state) {
    TokenHash h = state.hashes[state.next];
    return state.sessions.store.findAndDelete(h.word(0), h.word(1), h.word(2), h.word(3),
        h.routingTag(), System.currentTimeMillis());
  }

  @Benchmark
  public boolean logout(Pick state) {
    return state.sessions.manager.logout(state.sessions.tokens[state.next]);
  }

  /** Returns a new public id as the manager makes it: 12 random bytes, base64url. */
  static String newId() {
    byte[] bytes = new byte[12];
    TokenGenerator.secure().nextBytes(bytes);
    return Fixtures.BASE64URL.encodeToString(bytes);
  }
}
