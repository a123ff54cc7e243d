// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.RedisSessionStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request path against the local Redis (127.0.0.1:6379), one client thread:
 *
 * <ul>
 *   <li>{@code roundTripFloor}: one Lettuce {@code GET} of a short key, the cost of any one round
 *       trip on this machine;
 *   <li>{@code sessionkitResolve}: {@code SessionManager.resolve(token)} on {@link
 *       RedisSessionStore} among 10^4 live sessions; with {@code touch=every} every request records
 *       its access, with {@code touch=default} at most once a second. Either way it is one
 *       round trip (one {@code EVALSHA}; counted by {@code RedisSessionStoreTest}).
 * </ul>
 *
 * <p>Spring Session's {@code RedisSessionRepository} is not run here: it needs a Spring Data Redis
 * connection factory, which this project's Lettuce 7 does not match without a Spring container.
 * Its per-request work is separate commands (its {@code findById} reads the session hash, its
 * {@code save} writes the changed last-access time and resets the expiry; the indexed repository
 * adds its expiration bookkeeping): 4 commands per request by our count, against
 * Sessionkit's 1, and each is at least one {@code roundTripFloor} unless pipelined.
 *
 * <p>Keys live under a random prefix per trial and are removed at the end.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar RedisPathBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RedisPathBenchmark {

  static final int SESSIONS = 10_000;

  /** How often a resolve records the access: on {@code every} request, or the {@code default}. */
  @Param({"every", "default"})
  public String touch;

  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> commands;
  private RedisSessionStore store;
  private SessionManager manager;
  private String prefix;
  private String[] tokens;

  @Setup(Level.Trial)
  public void setUp() {
    client = RedisClient.create("redis://127.0.0.1:6379");
    connection = client.connect();
    commands = connection.sync();
    prefix = "sessionkit-jmh:" + UUID.randomUUID() + ":";
    commands.set(prefix + "floor", "x");
    store = RedisSessionStore.builder().uri("redis://127.0.0.1:6379").keyPrefix(prefix).build();
    SessionConfig.Builder config = SessionConfig.builder();
    if (touch.equals("every")) {
      config.touchInterval(Duration.ZERO);
    }
    manager = SessionManager.builder().config(config.build()).store(store).build();
    tokens = new String[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
      tokens[i] = manager.authenticate("user" + (i % 1000), ClientInfo.NONE, false).token();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = commands.scan(cursor,
          ScanArgs.Builder.matches(prefix + "*").limit(1000));
      if (!page.getKeys().isEmpty()) {
        commands.unlink(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
    store.close();
    connection.close();
    client.shutdown();
  }

  @Benchmark
  @Threads(1)
  public String roundTripFloor() {
    return commands.get(prefix + "floor");
  }

  @Benchmark
  @Threads(1)
  public Optional<Session> sessionkitResolve() {
    return manager.resolve(tokens[ThreadLocalRandom.current().nextInt(SESSIONS)]);
  }
}
