// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SessionManagerModelContract;
import java.sql.SQLException;

/**
 * The model test (random sequences of manager operations checked against a reference model) over
 * the JDBC store on one database, on tables emptied for each sequence; a subclass per database
 * supplies it. The module's {@code junit-platform.properties} sets the number of sequences: every
 * step commits, and on MariaDB a commit waits for the disk.
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
