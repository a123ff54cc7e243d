package dev.sessionkit.jdbc;

import dev.sessionkit.jdbc.internal.DialectDetector;
import dev.sessionkit.jdbc.internal.JdbcExecutor;
import dev.sessionkit.jdbc.internal.SchemaScript;
import dev.sessionkit.jdbc.internal.SeriesTable;
import dev.sessionkit.jdbc.internal.SessionTable;
import dev.sessionkit.jdbc.internal.Sql;
import dev.sessionkit.jdbc.internal.Tables;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link SessionStore} in a relational database, over any {@link DataSource}: PostgreSQL,
 * MariaDB/MySQL or H2. Sessions survive a restart and are shared by every app server that uses
 * the same database.
 *
 * <pre>{@code
 * JdbcSessionStore store = JdbcSessionStore.builder(dataSource)   // your pooled DataSource
 *     .codec(JavaSerializationCodec.builder().allow("com.example.shop.*").build())
 *     .build();                                                   // detects the dialect
 * store.createSchema();                                           // idempotent
 * SessionManager sessions = SessionManager.builder().store(store).build();
 * }</pre>
 *
 * <h2>Tables</h2>
 *
 * <p>Three tables, named with a prefix ({@code sessionkit_} by default): {@code sessions} (one row
 * per session, keyed by the public session id, with a unique token hash), {@code
 * session_attributes} (one row per attribute: session id, name, encoded value) and {@code
 * remember_me_series}. {@link #createSchema()} creates them; the same scripts ship in the jar
 * ({@link SqlDialect#schemaResource()}) for migration tools. Indexes make lookups by token hash,
 * principal and expiry index scans.
 *
 * <h2>Concurrency</h2>
 *
 * <p>Every operation is one statement or one short transaction. Attributes are rows of their own,
 * written by upsert or delete of just the names that change, so two app servers that change
 * different attributes of one session at once never lose a write (the same attribute: the last
 * write wins). A remember-me rotation is a conditional {@code UPDATE ... WHERE validator_hash = ?}:
 * of two racing uses of one validator exactly one wins; the {@link dev.sessionkit.SessionManager}
 * answers the loser {@code RECENTLY_ROTATED} (no session, no theft alarm), just as it answers a
 * replaced validator within its grace period. Force logout and purge are set-based {@code DELETE}s;
 * a purge locks and deletes at most {@link Builder#purgeBatchSize} sessions per transaction,
 * skipping rows that another server's purge holds, so a large backlog never holds one long lock.
 * Deadlocks and serialization failures reported by the database are retried a few times.
 *
 * <h2>Safety</h2>
 *
 * <p>The store keeps token hashes only, never a token or a validator. Attribute values pass
 * through an {@link AttributeCodec} (default: {@link AttributeCodec#defaultCodec()}, Java
 * serialization read through an allow-list). A session whose stored attributes cannot be decoded
 * (corrupt bytes, a class outside the allow-list) is treated as absent: the store deletes it and
 * logs a warning with its session id. Every failure surfaces as a {@link
 * dev.sessionkit.SessionStoreException} whose message names the operation and never a token hash.
 *
 * <p>The store reads no clock: every time comes from the caller. {@link #close()} does nothing;
 * the DataSource belongs to the caller. Instances are safe for concurrent use.
 */
public final class JdbcSessionStore implements SessionStore {

  private final JdbcExecutor executor;
  private final SqlDialect dialect;
  private final Tables tables;
  private final SessionTable sessions;
  private final SeriesTable series;

  private JdbcSessionStore(Builder b, SqlDialect dialect) {
    this.executor = new JdbcExecutor(b.dataSource);
    this.dialect = dialect;
    this.tables = new Tables(b.tablePrefix);
    Sql sql = new Sql(tables, dialect);
    this.sessions = new SessionTable(executor, sql, b.codec, b.purgeBatchSize);
    this.series = new SeriesTable(executor, sql, b.purgeBatchSize);
  }

  /** Returns a builder for a store over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Returns the dialect in use (stated or detected). */
  public SqlDialect dialect() {
    return dialect;
  }

  /** Returns the table prefix. */
  public String tablePrefix() {
    return tables.prefix();
  }

  /** Returns the name of the sessions table. */
  public String sessionsTable() {
    return tables.sessions();
  }

  /** Returns the name of the session attributes table. */
  public String attributesTable() {
    return tables.attributes();
  }

  /** Returns the name of the remember-me series table. */
  public String rememberMeSeriesTable() {
    return tables.series();
  }

  /** Returns the schema script this store's {@link #createSchema()} runs, with its prefix. */
  public String schemaScript() {
    return SchemaScript.text(dialect, tables);
  }

  /**
   * Creates the tables and indexes if they do not exist; running it again changes nothing. The
   * database user needs the right to create tables; where it has not, run {@link #schemaScript()}
   * (or the shipped script) as an administrator instead.
   *
   * @throws dev.sessionkit.SessionStoreException if the database refuses
   */
  public void createSchema() {
    List<String> statements = SchemaScript.statements(dialect, tables);
    executor.statement("createSchema", c -> {
      try (Statement statement = c.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
      }
      return null;
    });
  }

  @Override
  public void create(SessionRecord session) {
    sessions.create(session);
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return sessions.findByTokenHash(tokenHash);
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return sessions.findById(sessionId);
  }

  @Override
  public boolean touch(String sessionId, long lastAccessedAt) {
    return sessions.touch(sessionId, lastAccessedAt);
  }

  @Override
  public boolean replaceMetadata(String sessionId, TokenHash expectedTokenHash,
      SessionRecord replacement) {
    return sessions.replaceMetadata(sessionId, expectedTokenHash, replacement);
  }

  @Override
  public boolean updateAttributes(String sessionId, Map<String, Object> puts,
      Set<String> removals) {
    return sessions.updateAttributes(sessionId, puts, removals);
  }

  @Override
  public boolean delete(String sessionId) {
    return sessions.delete(sessionId);
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long now) {
    return sessions.findByPrincipal(principal, now);
  }

  @Override
  public List<String> deleteByPrincipal(String principal, Set<String> keepSessionIds) {
    return sessions.deleteByPrincipal(principal, keepSessionIds);
  }

  @Override
  public List<ExpiredSession> purgeExpired(long now, int limit) {
    return sessions.purgeExpired(now, limit);
  }

  @Override
  public void createSeries(RememberMeSeries value) {
    series.create(value);
  }

  @Override
  public Optional<RememberMeSeries> findSeries(String selector) {
    return series.find(selector);
  }

  @Override
  public boolean rotateSeries(String selector, TokenHash expectedValidatorHash,
      TokenHash newValidatorHash, long graceUntil, long now) {
    return series.rotate(selector, expectedValidatorHash, newValidatorHash, graceUntil, now);
  }

  @Override
  public boolean deleteSeries(String selector) {
    return series.delete(selector);
  }

  @Override
  public int deleteSeriesByPrincipal(String principal, Set<String> keepSelectors) {
    return series.deleteByPrincipal(principal, keepSelectors);
  }

  @Override
  public int purgeExpiredSeries(long now, int limit) {
    return series.purgeExpired(now, limit);
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

    private final DataSource dataSource;
    private SqlDialect dialect;
    private String tablePrefix = Tables.DEFAULT_PREFIX;
    private AttributeCodec codec = AttributeCodec.defaultCodec();
    private int purgeBatchSize = DEFAULT_PURGE_BATCH_SIZE;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * States the dialect (default: detected from the connection's metadata when {@link #build()}
     * runs). A stated dialect lets the store be built while the database is down.
     */
    public Builder dialect(SqlDialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * Sets the prefix of the table, constraint and index names (default {@code sessionkit_}): at
     * most 30 lower-case letters, digits and underscores, or empty.
     */
    public Builder tablePrefix(String value) {
      this.tablePrefix = new Tables(value).prefix();
      return this;
    }

    /** Sets the attribute codec (default: {@link AttributeCodec#defaultCodec()}). */
    public Builder codec(AttributeCodec value) {
      this.codec = Objects.requireNonNull(value, "codec");
      return this;
    }

    /**
     * Sets how many expired sessions (or series) a purge locks and deletes per transaction
     * (default 500, 1 to 10 000).
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
     * @throws IllegalArgumentException if the database is not supported
     * @throws dev.sessionkit.SessionStoreException if the database cannot be reached to detect it
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
