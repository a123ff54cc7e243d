package dev.sessionkit.jdbc.internal;

import dev.sessionkit.SessionStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs the store's work on a connection from the {@link DataSource}: as a single statement or as
 * one short transaction, retried when the database aborts it as a deadlock or serialization
 * failure (the aborted attempt left nothing behind), with every failure turned into a {@link
 * SessionStoreException}.
 *
 * <p>Messages say which operation failed and the SQLState. The driver's exception is attached as
 * the cause, except for constraint violations (SQLState class 23), whose driver messages may quote
 * key values such as a token hash.
 */
public final class JdbcExecutor {

  /** Attempts of a unit of work that the database aborts as a deadlock or serialization failure. */
  static final int MAX_ATTEMPTS = 5;

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work; throws what the driver throws. */
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public JdbcExecutor(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
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
        throw failure(operation, e);
      }
    }
  }

  private <T> T once(Work<T> work, boolean transactional) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
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
      if ("40001".equals(state) || "40P01".equals(state) || "90131".equals(state)) {
        return true;
      }
      if (x.getCause() instanceof SQLException cause && cause != x && isTransient(cause)) {
        return true;
      }
    }
    return false;
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
