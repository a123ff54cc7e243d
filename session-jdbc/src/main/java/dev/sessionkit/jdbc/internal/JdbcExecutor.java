// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.spi.SessionStoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Runs the store's work on a connection from the {@link DataSource}: as a single statement or as
 * one short transaction, retried when the database aborts it as a deadlock or serialization
 * failure (the aborted attempt left nothing behind), with every failure turned into a {@link
 * SessionStoreException}.
 *
 * <p>Messages say which operation failed and the SQLState. The driver's exception is attached as
 * the cause, except for constraint violations (SQLState class 23), whose driver messages may quote
 * key values such as a token hash. A statement that the database rejects as naming an unknown
 * table or column (SQLState class 42) is explained by the {@link SchemaDiagnosis}, if it finds
 * missing tables or an earlier layout, instead of by the driver's message alone.
 *
 * <p>With a query timeout, every statement the work creates on its connection gets it ({@link
 * Statement#setQueryTimeout}): a statement that waits longer (a row lock held elsewhere, a stalled
 * database) is cancelled by the driver and the work fails with a {@link SessionStoreException},
 * instead of holding the request (and its thread) for as long as the database stalls.
 *
 * <p>Only deadlocks and serialization failures are retried: the database has then rolled the
 * whole attempt back, so running it again cannot apply anything twice. Any other failure may have
 * been applied (a commit whose answer was lost) and is reported, never retried.
 */
public final class JdbcExecutor {

  /**
   * The SQLState of a serialization failure. Work in a transaction that meets a conflict it cannot
   * resolve throws an {@link SQLException} with it: the transaction is rolled back and run again.
   */
  public static final String SERIALIZATION_FAILURE = "40001";

  /** Attempts of a unit of work that the database aborts as a deadlock or serialization failure. */
  static final int MAX_ATTEMPTS = 5;

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work; throws what the driver throws. */
    T run(Connection connection) throws SQLException;
  }

  /** Explains a statement that the database refused for its tables or columns. */
  @FunctionalInterface
  public interface SchemaDiagnosis {
    /** Returns what is wrong with the tables, if anything; never throws. */
    Optional<String> diagnose();
  }

  private final DataSource dataSource;
  private final SchemaDiagnosis diagnosis;
  private final int queryTimeoutSeconds;

  /** An executor whose failures are reported as the driver reports them, without a timeout. */
  public JdbcExecutor(DataSource dataSource) {
    this(dataSource, Optional::empty, 0);
  }

  /**
   * An executor that asks {@code diagnosis} about statements refused for unknown names.
   *
   * @param queryTimeoutSeconds the query timeout of every statement, in seconds; 0 for none
   */
  public JdbcExecutor(DataSource dataSource, SchemaDiagnosis diagnosis, int queryTimeoutSeconds) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis");
    if (queryTimeoutSeconds < 0) {
      throw new IllegalArgumentException("queryTimeoutSeconds must not be negative");
    }
    this.queryTimeoutSeconds = queryTimeoutSeconds;
  }

  /** Returns an executor on the same data source with no query timeout (schema creation). */
  public JdbcExecutor withoutQueryTimeout() {
    return queryTimeoutSeconds == 0 ? this : new JdbcExecutor(dataSource, diagnosis, 0);
  }

  /** Returns the data source. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs {@code work} in auto-commit mode (one statement, or reads). */
  public <T> T statement(String operation, Work<T> work) {
    return run(operation, work, false);
  }

  /** Runs {@code work} in one transaction, committed when it returns, rolled back if it throws. */
  public <T> T transaction(String operation, Work<T> work) {
    return run(operation, work, true);
  }

  private <T> T run(String operation, Work<T> work, boolean transactional) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work, transactional);
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          continue;
        }
        if (isUnknownName(e)) {
          Optional<String> schemaProblem = diagnosis.diagnose();
          if (schemaProblem.isPresent()) {
            throw new SessionStoreException("JDBC session store failed in " + operation + ": "
                + schemaProblem.get(), e);
          }
        }
        throw failure(operation, e);
      }
    }
  }

  private <T> T once(Work<T> work, boolean transactional) throws SQLException {
    try (Connection connection = withQueryTimeout(dataSource.getConnection())) {
      boolean autoCommit = connection.getAutoCommit();
      if (transactional && autoCommit) {
        connection.setAutoCommit(false);
      }
      try {
        T result = work.run(connection);
        if (transactional || !autoCommit) {
          connection.commit();
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        if (transactional || !autoCommit) {
          rollbackQuietly(connection, e);
        }
        throw e;
      } finally {
        if (transactional && autoCommit) {
          connection.setAutoCommit(true);
        }
      }
    }
  }

  /**
   * Returns {@code connection} as it is without a query timeout, else a view of it that sets the
   * timeout on every statement it creates.
   */
  private Connection withQueryTimeout(Connection connection) {
    if (queryTimeoutSeconds == 0) {
      return connection;
    }
    int seconds = queryTimeoutSeconds;
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof Statement statement) {
            statement.setQueryTimeout(seconds);
          }
          return result;
        });
  }

  private static void rollbackQuietly(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Returns whether the database aborted the work as a deadlock or serialization failure. */
  static boolean isTransient(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if (SERIALIZATION_FAILURE.equals(state) || "40P01".equals(state) || "90131".equals(state)) {
        return true;
      }
      if (x.getCause() instanceof SQLException cause && cause != x && isTransient(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether the database refused a statement for a name or its syntax (class 42). */
  static boolean isUnknownName(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("42");
  }

  /** Returns whether {@code e} is a constraint violation (SQLState class 23). */
  public static boolean isConstraintViolation(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if (state != null && state.startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  /** Returns the store exception for a driver failure in {@code operation}. */
  public static SessionStoreException failure(String operation, SQLException e) {
    String message = "JDBC session store failed in " + operation + " (SQLState "
        + e.getSQLState() + ", error " + e.getErrorCode() + ")";
    if (isConstraintViolation(e)) {
      return new SessionStoreException(message + ": a database constraint was violated");
    }
    return new SessionStoreException(message, e);
  }
}
