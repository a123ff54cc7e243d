// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.jdbc.internal.DriverManagerDataSource;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.jdbc.internal.SchemaCheck;
import dev.sessionkit.jdbc.internal.Tables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's tables in one database: checks that the database is reachable (skipping the
 * class with the reason printed, or failing it when {@code CI=true}), creates the schema under a
 * table prefix unique to the class and run, and drops the tables afterwards.
 *
 * <p>The local databases may hold tables of an earlier Sessionkit layout from earlier runs (of
 * these tests, or of the demo, which uses the default prefix). This version refuses them, so
 * before it creates its schema the extension drops any such tables under the default prefix and
 * every table under its own prefix.
 */
final class Database implements BeforeAllCallback, AfterAllCallback {

  private static final Map<TestDatabase, String> UNREACHABLE = new ConcurrentHashMap<>();

  final TestDatabase kind;
  final String prefix;
  private final List<TinyPool> pools = new CopyOnWriteArrayList<>();
  private final DataSource dataSource;
  private boolean created;

  Database(TestDatabase kind) {
    this.kind = kind;
    this.prefix = "sk" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "_";
    this.dataSource = newDataSource();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    createTables();
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    dropTables();
  }

  /**
   * Checks that the database is reachable and creates the class's tables (for test engines
   * without JUnit Jupiter's extensions, such as jqwik's, which call it from a hook of their own).
   */
  void createTables() throws SQLException {
    requireReachable(kind);
    dropEarlierLayout(Tables.DEFAULT_PREFIX);
    drop(prefix);
    store().createSchema();
    created = true;
  }

  /** Drops the class's tables and closes its connections. */
  void dropTables() throws SQLException {
    if (created) {
      drop(prefix);
    }
    for (TinyPool pool : pools) {
      pool.close();
    }
  }

  /** Drops every table of the store under {@code tablePrefix}. */
  void drop(String tablePrefix) throws SQLException {
    List<String> drops = new ArrayList<>();
    for (String table : new Tables(tablePrefix).all()) {
      drops.add("DROP TABLE IF EXISTS " + table);
    }
    execute(drops.toArray(String[]::new));
  }

  /** Drops the tables under {@code tablePrefix} if they have the layout of an earlier version. */
  void dropEarlierLayout(String tablePrefix) throws SQLException {
    Tables tables = new Tables(tablePrefix);
    SqlDialect dialect = SqlDialect.valueOf(kind.name());
    boolean earlier;
    try (Connection c = dataSource.getConnection()) {
      earlier = new SchemaCheck(tables, dialect).earlierLayout(c).isPresent();
    }
    if (earlier) {
      System.out.println("session-jdbc tests: dropping the " + kind + " tables with prefix '"
          + tablePrefix + "': they have the layout of an earlier Sessionkit version");
      drop(tablePrefix);
    }
  }

  /**
   * Skips the calling test (or fails it under {@code CI=true}) if {@code kind} cannot be reached.
   */
  static void requireReachable(TestDatabase kind) {
    String reason = UNREACHABLE.computeIfAbsent(kind, Database::probe);
    if (reason.isEmpty()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("session-jdbc: " + reason + ", and CI=true requires it");
    }
    String skipped = "session-jdbc: skipping the " + kind + " tests: " + reason;
    System.out.println(skipped);
    Assumptions.abort(skipped);
  }

  private static String probe(TestDatabase kind) {
    try (Connection c = new DriverManagerDataSource(kind.url, null, null).getConnection()) {
      c.getMetaData();
      return "";
    } catch (SQLException e) {
      return kind.description + " is unreachable (" + e.getMessage() + ")";
    }
  }

  /** A new store on the class's tables, emptied first (for a contract suite's each test). */
  Stores emptiedStores() {
    try {
      clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return Stores.of(store());
  }

  /** The class's shared data source. */
  DataSource dataSource() {
    return dataSource;
  }

  /** A data source of its own: the connection pool of another app server. */
  DataSource newDataSource() {
    TinyPool pool = new TinyPool(new DriverManagerDataSource(kind.url, null, null));
    pools.add(pool);
    return pool;
  }

  /** A builder for a store on this class's tables. */
  JdbcSessionStore.Builder storeBuilder(DataSource source) {
    return JdbcSessionStore.builder(source).tablePrefix(prefix);
  }

  /** A store on this class's tables (dialect detected). */
  JdbcSessionStore store() {
    return storeBuilder(dataSource).build();
  }

  /** Empties the tables. */
  void clear() throws SQLException {
    JdbcSessionStore store = store();
    execute("DELETE FROM " + store.sessionsTable(),
        "DELETE FROM " + store.rememberMeSeriesTable(),
        "DELETE FROM " + store.principalsTable());
  }

  /** Runs statements in auto-commit mode. */
  void execute(String... statements) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
