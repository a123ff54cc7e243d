// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.jdbc.JdbcSessionStore;
import dev.sessionkit.spi.ClientInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * The per-request path against the local PostgreSQL (127.0.0.1:5432, database {@code test}), one
 * client thread over one kept-open connection:
 *
 * <ul>
 *   <li>{@code primaryKeySelect}: a bare {@code SELECT} of one row of the sessions table by its
 *       primary key, the least any database-backed session store does per request;
 *   <li>{@code primaryKeyUpdate}: a bare {@code UPDATE} of one row's last access by its primary
 *       key (auto-commit), the least a request that records its access does: its commit waits
 *       for the write-ahead log, which a read does not;
 *   <li>{@code sessionkitResolve}: {@code SessionManager.resolve(token)} on {@link
 *       JdbcSessionStore} among 10^4 live sessions; with {@code touch=every} every request records
 *       its access, with {@code touch=default} at most once a second. Either way it is one
 *       statement (a data-modifying CTE; counted by {@code JdbcSessionStoreTestBase}).
 * </ul>
 *
 * <p>The tables live under a random prefix per trial and are dropped at the end.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar JdbcPathBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class JdbcPathBenchmark {

  static final int SESSIONS = 10_000;
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** How often a resolve records the access: on {@code every} request, or the {@code default}. */
  @Param({"every", "default"})
  public String touch;

  Connection connection;
  JdbcSessionStore store;
  SessionManager manager;
  String[] tokens;
  String[] ids;
  String primaryKeySelect;
  String primaryKeyUpdate;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    setUp(SESSIONS);
  }

  void setUp(int count) throws SQLException {
    connection = DriverManager.getConnection(URL);
    String prefix = "skjmh" + UUID.randomUUID().toString().substring(0, 8) + "_";
    store = JdbcSessionStore.builder(kept(connection)).tablePrefix(prefix).build();
    store.createSchema();
    SessionConfig.Builder config = SessionConfig.builder();
    if (touch.equals("every")) {
      config.touchInterval(Duration.ZERO);
    }
    manager = SessionManager.builder().config(config.build()).store(store).build();
    tokens = new String[count];
    ids = new String[count];
    for (int i = 0; i < count; i++) {
      var issued = manager.authenticate("user" + (i % 1000), ClientInfo.NONE, false);
      tokens[i] = issued.token();
      ids[i] = issued.session().id();
    }
    primaryKeySelect = "SELECT session_id, last_accessed_at FROM " + store.sessionsTable()
        + " WHERE session_id = ?";
    primaryKeyUpdate = "UPDATE " + store.sessionsTable() + " SET last_accessed_at = ?"
        + " WHERE session_id = ?";
    try (Statement s = connection.createStatement()) {
      s.execute("ANALYZE " + store.sessionsTable());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String table : new String[] {store.attributesTable(), store.sessionsTable(),
          store.rememberMeSeriesTable(), store.principalsTable()}) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    connection.close();
  }

  @Benchmark
  @Threads(1)
  public long primaryKeySelect() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(primaryKeySelect)) {
      ps.setString(1, ids[ThreadLocalRandom.current().nextInt(ids.length)]);
      try (ResultSet rows = ps.executeQuery()) {
        return rows.next() ? rows.getLong(2) : -1;
      }
    }
  }

  @Benchmark
  @Threads(1)
  public int primaryKeyUpdate() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(primaryKeyUpdate)) {
      ps.setLong(1, System.currentTimeMillis());
      ps.setString(2, ids[ThreadLocalRandom.current().nextInt(ids.length)]);
      return ps.executeUpdate();
    }
  }

  @Benchmark
  @Threads(1)
  public Optional<Session> sessionkitResolve() {
    return manager.resolve(tokens[ThreadLocalRandom.current().nextInt(tokens.length)]);
  }

  /** A DataSource that hands out {@code connection} and ignores {@code close()}: one client. */
  static DataSource kept(Connection connection) {
    Connection unclosable = (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            return null;
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          return switch (method.getName()) {
            case "getConnection" -> unclosable;
            case "toString" -> "one kept PostgreSQL connection";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
          };
        });
  }
}
