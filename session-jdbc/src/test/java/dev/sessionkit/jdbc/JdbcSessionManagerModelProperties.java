package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import java.sql.SQLException;

/**
 * The model test (random sequences of manager operations checked against a reference model) over
 * the JDBC store on one database, on tables emptied for each sequence; a subclass per database
 * supplies it. It runs on H2 and PostgreSQL (about 30 s each). Not on MariaDB, where its 300
 * sequences take 80 s because every commit waits for the disk; the dialect's SQL is covered there
 * by the contract suites and the lifecycle invariants.
 */
abstract class JdbcSessionManagerModelProperties extends SessionManagerModelContract {

  /** The database and tables of the concrete test class. */
  protected abstract Database db();

  @Override
  protected Stores createStores() {
    try {
      db().clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return Stores.of(db().store());
  }
}
