// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.testing.RememberMeStoreContract;
import java.sql.SQLException;

/**
 * The remember-me store contract on one database, on emptied tables; a subclass per database
 * supplies it as a {@link Database} extension.
 */
abstract class JdbcRememberMeStoreContractTest extends RememberMeStoreContract {

  /** The database and tables of the concrete test class. */
  protected abstract Database db();

  @Override
  protected RememberMeStore createRememberMeStore() {
    try {
      db().clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return db().store();
  }
}
