// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.jmh;

import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.RedisSessionStore;
import dev.sessionkit.spi.ClientInfo;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.List;
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
 * The per-request path on a Redis Cluster (the tests' local one: three primaries, three replicas,
 * 127.0.0.1:7101-7106; start it with {@code session-redis/src/test/scripts/redis-topology.sh start
 * cluster}), one client thread, beside {@link RedisPathBenchmark}'s standalone figures:
 *
 * <ul>
 *   <li>{@code roundTripFloor}: one Lettuce {@code GET} of a short key through a cluster
 *       connection (routed to the primary of its slot), the cost of any one round trip;
 *   <li>{@code sessionkitResolve}: {@code SessionManager.resolve(token)} on {@link
 *       RedisSessionStore} among 10^4 live sessions of 1000 principals spread over the buckets and
 *       so over all three primaries; one {@code EVALSHA} to the primary that the cookie's routing
 *       tag names (counted by {@code RedisClusterTest}), with {@code touch=every} recording every
 *       access, with {@code touch=default} at most once a second.
 * </ul>
 *
 * <p>Keys live under a random prefix per trial and are removed at the end.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar RedisClusterPathBenchmark}; a smoke
 * run: {@code ... RedisClusterPathBenchmark -wi 1 -i 1 -w 1s -r 1s -p touch=default}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RedisClusterPathBenchmark {

  static final int SESSIONS = 10_000;
  static final String CLUSTER = "redis-cluster://127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103";

  /** How often a resolve records the access: on {@code every} request, or the {@code default}. */
  @Param({"every", "default"})
  public String touch;

  private RedisClusterClient client;
  private StatefulRedisClusterConnection<String, String> connection;
  private RedisAdvancedClusterCommands<String, String> commands;
  private RedisSessionStore store;
  private SessionManager manager;
  private String prefix;
  private String[] tokens;

  @Setup(Level.Trial)
  public void setUp() {
    client = RedisClusterClient.create(List.of(RedisURI.create("redis://127.0.0.1:7101")));
    connection = client.connect();
    commands = connection.sync();
    prefix = "sessionkit-jmh:" + UUID.randomUUID() + ":";
    commands.set(prefix + "floor", "x");
    store = RedisSessionStore.builder().uri(CLUSTER).keyPrefix(prefix).build();
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
      for (String key : page.getKeys()) {
        commands.unlink(key);
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
