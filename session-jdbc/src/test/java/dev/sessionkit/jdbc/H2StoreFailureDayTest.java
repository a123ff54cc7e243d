// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.StoreFailureDayContract;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StoreFailureDayContract} over the JDBC store on H2, on emptied tables. */
class H2StoreFailureDayTest extends StoreFailureDayContract {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.H2);

  @Override
  protected Stores createStores() {
    try {
      DB.clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return Stores.of(DB.store());
  }
}
