// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.jdbc.internal;

import dev.sessionkit.jdbc.SqlDialect;
import dev.sessionkit.spi.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Several app servers start at once against an empty database (a rolling deploy, two nodes of a
 * test) and each runs the schema script. "CREATE ... IF NOT EXISTS" is not safe against itself:
 * PostgreSQL checks for the name, then inserts into its catalog, and of two sessions doing so at
 * the same moment one fails with a duplicate key on pg_type; H2 fails with "object already
 * exists". So the script runs
 *
 *   - on PostgreSQL in one transaction that first takes a transaction-scoped advisory lock keyed
 *     by the table prefix (pg_advisory_xact_lock): the servers run the script one after the
 *     other, and the later ones find every object there (DDL is transactional, so the lock is held
 *     until the tables are visible);
 *   - on MariaDB/MySQL under a named lock (GET_LOCK, released at the end; DDL commits at once
 *     there, so the lock spans the whole script);
 *   - on H2, which has no such lock, as is.
 *
 * On every database a failed run is retried after a short random pause, rerunning the whole
 * (idempotent) script: a run can only fail because another server created an object in the same
 * moment, and each such failure means one more object exists, so a run succeeds after at most as
 * many attempts as the script has statements. A real refusal (no right to create tables) fails
 * every attempt and is reported with the last failure.
 */

/** Runs the schema script so that app servers starting at once all succeed. */
public final class SchemaCreation {

  private static final Logger LOG =
      LoggerFactory.getLogger("dev.sessionkit.jdbc.JdbcSessionStore");

  /** Seconds a MariaDB server waits for another one that is creating the schema. */
  static final int LOCK_TIMEOUT_SECONDS = 60;

  private SchemaCreation() {}

  /**
   * Runs {@code statements} (the dialect's schema script with {@code tables}' prefix).
   *
   * @throws SessionStoreException if the database refuses the script on every attempt
   */
  public static void run(JdbcExecutor executor, SqlDialect dialect, Tables tables,
      List<String> statements) {
    int attempts = statements.size() + 1;
    for (int attempt = 1; ; attempt++) {
      try {
        switch (dialect) {
          case POSTGRESQL -> executor.transaction("createSchema", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
              lock.setLong(1, lockKey(tables));
              lock.execute();
            }
            execute(c, statements);
            return null;
          });
          case MARIADB -> executor.statement("createSchema", c -> {
            String name = lockName(tables);
            acquire(c, name);
            try {
              execute(c, statements);
            } finally {
              release(c, name);
            }
            return null;
          });
          default -> executor.statement("createSchema", c -> {
            execute(c, statements);
            return null;
          });
        }
        return;
      } catch (SessionStoreException e) {
        if (attempt >= attempts) {
          throw e;
        }
        LOG.debug("creating the schema with prefix '{}' failed (attempt {} of {}), probably"
            + " because another server is creating it; running the script again: {}",
            tables.prefix(), attempt, attempts, e.getMessage());
        pause(attempt);
      }
    }
  }

  private static void execute(Connection c, List<String> statements) throws SQLException {
    try (Statement statement = c.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static void acquire(Connection c, String name) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
      lock.setString(1, name);
      lock.setInt(2, LOCK_TIMEOUT_SECONDS);
      try (ResultSet row = lock.executeQuery()) {
        if (!row.next() || row.getInt(1) != 1) {
          throw new SessionStoreException("JDBC session store: gave up creating the schema after"
              + " waiting " + LOCK_TIMEOUT_SECONDS + " s for another server that holds the lock "
              + name);
        }
      }
    }
  }

  private static void release(Connection c, String name) throws SQLException {
    try (PreparedStatement unlock = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      unlock.setString(1, name);
      unlock.execute();
    }
  }

  /** The advisory lock key of a prefix: 64 bits of a hash, the same in every JVM. */
  static long lockKey(Tables tables) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(
          lockName(tables).getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        key = (key << 8) | (h[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The name of the lock (at most 64 characters, MariaDB's limit). */
  static String lockName(Tables tables) {
    return "sessionkit.schema." + tables.prefix();
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50L * Math.min(attempt, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SessionStoreException("JDBC session store: interrupted while creating the schema");
    }
  }
}
