// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.jdbc.internal.DialectDetector;
import dev.sessionkit.jdbc.internal.JdbcExecutor;
import dev.sessionkit.jdbc.internal.SchemaCheck;
import dev.sessionkit.jdbc.internal.SchemaCreation;
import dev.sessionkit.jdbc.internal.SchemaScript;
import dev.sessionkit.jdbc.internal.SeriesTable;
import dev.sessionkit.jdbc.internal.SessionTable;
import dev.sessionkit.jdbc.internal.Sql;
import dev.sessionkit.jdbc.internal.Tables;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link SessionStore} and {@link RememberMeStore} in a relational database, over any {@link
 * DataSource}: PostgreSQL, MariaDB/MySQL or H2. Sessions and remember-me series survive a restart
 * and are shared by every app server that uses the same database.
 *
 * <pre>{@code
 * JdbcSessionStore store = JdbcSessionStore.builder(dataSource)   // your pooled DataSource
 *     .codec(JavaSerializationCodec.builder().allow("com.example.shop.*").build())
 *     .build();                                                   // detects the dialect
 * store.createSchema();                                           // idempotent
 * SessionManager sessions = SessionManager.builder().store(store).build(); // both SPIs
 * }</pre>
 *
 * <h2>Tables</h2>
 *
 * <p>Four tables, named with a prefix ({@code sessionkit_} by default): {@code sessions} (one row
 * per session, keyed by the public session id, with a unique current token hash and the previous
 * token hash of its last rotation), {@code session_attributes} (one row per attribute: session
 * id, name, encoded value), {@code remember_me_series} (keyed by the SHA-256 of the selector) and
 * {@code principals} (each principal's revocation generation). {@link #createSchema()} creates
 * them; the same scripts ship in the jar ({@link SqlDialect#schemaResource()}) for migration tools.
 * Indexes make lookups by either token hash, by principal and by expiry index scans.
 *
 * <p>Tables of an earlier Sessionkit layout under the same prefix are refused with a message that
 * says what to do (drop them or choose another prefix): by {@link #createSchema()} and {@link
 * #verifySchema()} at start, and by any operation that the database rejects for a missing column.
 *
 * <h2>Concurrency</h2>
 *
 * <p>Every operation is one statement or one short transaction. Attributes are rows of their own,
 * written by upsert or delete of just the names that change, so two app servers that change
 * different attributes of one session at once never lose a write (the same attribute: the last
 * write wins). Rotations are compare-and-set {@code UPDATE}s on the stored token hash, and a
 * remember-me use is a conditional {@code UPDATE ... WHERE validator_hash = ?}: of two racing uses
 * of one validator exactly one wins.
 *
 * <p>The revocation fence: a login, resume or rotation that makes a session newly belong to a
 * principal, and a force logout of that principal, each lock the principal's row in {@code
 * principals} first, in one transaction, so they run one after the other; the force logout raises
 * the generation and deletes the sessions, the login compares the generation before it writes.
 * Finding and touching a session never reads that table. Force logout and purge are set-based
 * {@code DELETE}s; a purge locks and deletes at most {@link Builder#purgeBatchSize} sessions per
 * transaction, skipping rows that another server's purge holds, so a large backlog never holds one
 * long lock. Deadlocks and serialization failures reported by the database, after which nothing of
 * the attempt remains, are retried a few times; no other failure is retried, because a statement
 * whose answer was lost may have been applied.
 *
 * <h2>Safety</h2>
 *
 * <p>The store keeps hashes only: of tokens, of remember-me selectors and of validators, never
 * the values themselves. Attribute values pass through an {@link AttributeCodec} (default: {@link
 * AttributeCodec#defaultCodec()}, Java serialization read through an allow-list). A session whose
 * stored attributes cannot be decoded (corrupt bytes, a class outside the allow-list) is treated
 * as absent: the store deletes it and logs a warning with its session id. Every failure surfaces
 * as a {@link SessionStoreException} whose message names the operation and never a hash.
 *
 * <p>The store reads no clock: every time comes from the caller. {@link #close()} leaves a
 * DataSource given to the builder alone (it belongs to the caller); a store that {@link
 * JdbcSessionStoreFactory} created from a JDBC URL releases the driver it found there. Instances are safe for concurrent use.
 */
public final class JdbcSessionStore implements SessionStore, RememberMeStore {

  private final JdbcExecutor executor;
  private final SqlDialect dialect;
  private final Tables tables;
  private final SchemaCheck schemaCheck;
  private final SessionTable sessions;
  private final SeriesTable series;
  private final AutoCloseable owned;

  private JdbcSessionStore(Builder b, SqlDialect dialect) {
    this.dialect = dialect;
    this.owned = b.owned;
    this.tables = new Tables(b.tablePrefix);
    this.schemaCheck = new SchemaCheck(tables, dialect);
    DataSource dataSource = b.dataSource;
    this.executor = new JdbcExecutor(dataSource, () -> diagnose(dataSource),
        b.queryTimeoutSeconds);
    Sql sql = new Sql(tables, dialect);
    this.sessions = new SessionTable(executor, sql, b.codec, b.purgeBatchSize);
    this.series = new SeriesTable(executor, sql, b.purgeBatchSize);
  }

  /**
   * Returns a builder for a store over {@code dataSource}.
   *
   * @param dataSource where the connections come from; the store never closes it
   * @return a builder for a store over {@code dataSource}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Returns the dialect in use (stated or detected).
   *
   * @return the dialect in use (stated or detected)
   */
  public SqlDialect dialect() {
    return dialect;
  }

  /**
   * Returns the table prefix.
   *
   * @return the table prefix
   */
  public String tablePrefix() {
    return tables.prefix();
  }

  /**
   * Returns the name of the sessions table.
   *
   * @return the name of the sessions table
   */
  public String sessionsTable() {
    return tables.sessions();
  }

  /**
   * Returns the name of the session attributes table.
   *
   * @return the name of the session attributes table
   */
  public String attributesTable() {
    return tables.attributes();
  }

  /**
   * Returns the name of the remember-me series table.
   *
   * @return the name of the remember-me series table
   */
  public String rememberMeSeriesTable() {
    return tables.series();
  }

  /**
   * Returns the name of the principals table (the revocation generations).
   *
   * @return the name of the principals table (the revocation generations)
   */
  public String principalsTable() {
    return tables.principals();
  }

  /**
   * Releases what the store itself opened: nothing for a DataSource given to the builder; for a
   * store that {@link JdbcSessionStoreFactory} created from a JDBC URL, the registration of a
   * driver found in the application's class loader. Harmless to call twice.
   */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new SessionStoreException("JDBC session store: closing its data source failed", e);
      }
    }
  }

  /**
   * Returns the schema script this store's {@link #createSchema()} runs, with its prefix.
   *
   * @return the schema script this store's {@link #createSchema()} runs, with its prefix
   */
  public String schemaScript() {
    return SchemaScript.text(dialect, tables);
  }

  /**
   * Creates the tables and indexes if they do not exist; running it again changes nothing, and
   * several app servers may run it at the same moment (a lock on PostgreSQL and MariaDB, a retry
   * of the idempotent script everywhere). The
   * database user needs the right to create tables; where it has not, run {@link #schemaScript()}
   * (or the shipped script) as an administrator instead.
   *
   * @throws SessionStoreException if the prefix's tables have the layout of an earlier Sessionkit
   *     version (the message says what to do: drop them, or use another table prefix), or the
   *     database refuses
   */
  public void createSchema() {
    List<String> statements = SchemaScript.statements(dialect, tables);
    Optional<String> earlier = executor.statement("createSchema", schemaCheck::earlierLayout);
    if (earlier.isPresent()) {
      throw new SessionStoreException("JDBC session store cannot create its schema: "
          + earlier.get());
    }
    // no query timeout: a server waits (bounded by the lock's own timeout) for another that is
    // creating the same tables
    SchemaCreation.run(executor.withoutQueryTimeout(), dialect, tables, statements);
  }

  /**
   * Checks that the tables exist with this version's layout: for applications whose tables an
   * administrator creates, to fail at start rather than at the first request.
   *
   * @throws SessionStoreException if a table is missing or has the layout of an earlier version
   *     (the message says what to do), or the database cannot be reached
   */
  public void verifySchema() {
    Optional<String> problem = executor.statement("verifySchema", schemaCheck::problem);
    if (problem.isPresent()) {
      throw new SessionStoreException("JDBC session store cannot use its tables: "
          + problem.get());
    }
  }

  /** Explains a statement refused for an unknown name, if the tables are the cause. */
  private Optional<String> diagnose(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return schemaCheck.problem(c);
    } catch (SQLException | RuntimeException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ sessions

  @Override
  public boolean create(SessionRecord session, long principalGeneration) {
    return sessions.create(session, principalGeneration);
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return sessions.findByTokenHash(tokenHash);
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return sessions.findById(sessionId);
  }

  /**
   * The per-request path: on PostgreSQL one statement (a data-modifying CTE that touches the
   * session and reads it with its attributes); elsewhere two, the lookup and a conditional touch.
   */
  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    return sessions.findsAndTouchesInOneStatement()
        ? sessions.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis)
        : SessionStore.super.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis);
  }

  @Override
  public boolean touch(String sessionId, long nowMillis) {
    return sessions.touch(sessionId, nowMillis);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A {@code principalGeneration} of {@link Long#MAX_VALUE} admits any generation, so such a
   * rotation skips the fence's lock.
   */
  @Override
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    return sessions.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis);
  }

  @Override
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    return sessions.rotate(sessionId, expectedTokenHash, replacement, principalGeneration);
  }

  @Override
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    return sessions.updateAttributes(sessionId, expectedPrincipal, puts, removals);
  }

  @Override
  public boolean delete(String sessionId) {
    return sessions.delete(sessionId);
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    return sessions.findByPrincipal(principal, nowMillis);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The JDBC store keeps a row for every principal that ever signed in (the row that logins and
   * force logouts lock), not only for revoked ones.
   */
  @Override
  public long principalGeneration(String principal) {
    return sessions.principalGeneration(principal);
  }

  @Override
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    return sessions.revokePrincipal(principal, keepSessionIds, newGeneration);
  }

  /** One transaction: every principal's generation raised, every session deleted. */
  @Override
  public long revokeAll() {
    return sessions.revokeAll();
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    return sessions.purgeExpired(nowMillis, limit);
  }

  // ------------------------------------------------------------------ remember-me series

  @Override
  public void createSeries(RememberMeSeries value) {
    series.create(value);
  }

  @Override
  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    return series.find(selectorHash);
  }

  @Override
  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    return series.replace(replacement, expectedValidatorHash);
  }

  @Override
  public boolean deleteSeries(TokenHash selectorHash) {
    return series.delete(selectorHash);
  }

  @Override
  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    return series.deleteIfLatest(selectorHash, sessionId);
  }

  @Override
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    return series.revoke(principal, keepSelectorHashes, keptGeneration);
  }

  @Override
  public long revokeAllSeries() {
    return series.revokeAll();
  }

  @Override
  public int purgeExpiredSeries(long nowMillis, int limit) {
    return series.purgeExpired(nowMillis, limit);
  }

  @Override
  public String toString() {
    return "JdbcSessionStore[dialect=" + dialect + ", tablePrefix=" + tables.prefix() + "]";
  }

  /** Builds a {@link JdbcSessionStore}. Not thread-safe. */
  public static final class Builder {

    /** Default number of sessions (or series) a purge deletes per transaction. */
    public static final int DEFAULT_PURGE_BATCH_SIZE = 500;

    /** Largest purge batch accepted. */
    public static final int MAX_PURGE_BATCH_SIZE = 10_000;

    /** Default query timeout of every statement of the store: 5 seconds. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

    /** Largest query timeout accepted: 10 minutes. */
    public static final Duration MAX_QUERY_TIMEOUT = Duration.ofMinutes(10);

    private final DataSource dataSource;
    private SqlDialect dialect;
    private String tablePrefix = Tables.DEFAULT_PREFIX;
    private AttributeCodec codec = AttributeCodec.defaultCodec();
    private int purgeBatchSize = DEFAULT_PURGE_BATCH_SIZE;
    private int queryTimeoutSeconds = (int) DEFAULT_QUERY_TIMEOUT.toSeconds();
    private AutoCloseable owned;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * States the dialect (default: detected from the connection's metadata when {@link #build()}
     * runs). A stated dialect lets the store be built while the database is down.
     *
     * @param value the database's dialect
     * @return this builder
     */
    public Builder dialect(SqlDialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * Sets the prefix of the table, constraint and index names (default {@code sessionkit_}): at
     * most 30 lower-case letters, digits and underscores, or empty.
     *
     * @param value at most 30 lower-case letters, digits and underscores, or empty
     * @return this builder
     */
    public Builder tablePrefix(String value) {
      this.tablePrefix = new Tables(value).prefix();
      return this;
    }

    /**
     * Sets the query timeout of every statement the store runs ({@link
     * java.sql.Statement#setQueryTimeout}; default 5 s, whole seconds, rounded up; {@link
     * Duration#ZERO} for none). A statement that waits longer (a row lock held by another
     * transaction, a stalled database) is cancelled by the driver and the call fails with a
     * {@link dev.sessionkit.spi.SessionStoreException}, so a stalled database holds a request
     * (503 through the servlet filter) for at most this long, not for as long as it stalls.
     * Creating the schema has no timeout (a server waits for another that is creating the same
     * tables). A connection pool's own timeouts (to get a connection, the socket's) still apply.
     *
     * @param value the timeout; zero for none; at most 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if negative or over 10 minutes
     */
    public Builder queryTimeout(Duration value) {
      Objects.requireNonNull(value, "queryTimeout");
      if (value.isNegative() || value.compareTo(MAX_QUERY_TIMEOUT) > 0) {
        throw new IllegalArgumentException("queryTimeout must be between 0 and "
            + MAX_QUERY_TIMEOUT + ": " + value);
      }
      this.queryTimeoutSeconds = (int) (value.toSeconds() + (value.getNano() > 0 ? 1 : 0));
      return this;
    }

    /** Makes {@link JdbcSessionStore#close()} close {@code resource} (the factory's data source). */
    Builder closing(AutoCloseable resource) {
      this.owned = resource;
      return this;
    }

    /**
     * Sets the attribute codec (default: {@link AttributeCodec#defaultCodec()}).
     *
     * @param value the codec of attribute values
     * @return this builder
     */
    public Builder codec(AttributeCodec value) {
      this.codec = Objects.requireNonNull(value, "codec");
      return this;
    }

    /**
     * Sets how many expired sessions (or series) a purge locks and deletes per transaction
     * (default 500, 1 to 10 000).
     *
     * @param value rows per purge transaction; at least 1
     * @return this builder
     */
    public Builder purgeBatchSize(int value) {
      if (value < 1 || value > MAX_PURGE_BATCH_SIZE) {
        throw new IllegalArgumentException("purgeBatchSize must be 1 to " + MAX_PURGE_BATCH_SIZE
            + ": " + value);
      }
      this.purgeBatchSize = value;
      return this;
    }

    /**
     * Returns the store. Without a stated dialect this opens one connection to read the
     * database's name and version.
     *
     * @return the store
     * @throws IllegalArgumentException if the database is not supported
     * @throws SessionStoreException if the database cannot be reached to detect it
     */
    public JdbcSessionStore build() {
      SqlDialect chosen = dialect != null ? dialect : detect();
      return new JdbcSessionStore(this, chosen);
    }

    private SqlDialect detect() {
      return new JdbcExecutor(dataSource).statement("detect the SQL dialect",
          c -> DialectDetector.detect(c.getMetaData()));
    }
  }
}
