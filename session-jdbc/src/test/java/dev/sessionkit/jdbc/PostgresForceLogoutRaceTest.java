// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.ForceLogoutRaceContract;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ForceLogoutRaceContract} over the JDBC store on Postgres, on emptied tables. */
class PostgresForceLogoutRaceTest extends ForceLogoutRaceContract {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.POSTGRESQL);

  @Override
  protected Stores createStores() {
    try {
      DB.clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return Stores.of(DB.store());
  }

  @Override
  protected int maxCall() {
    return 1; // a network database: park at the first call of each operation only
  }
}
