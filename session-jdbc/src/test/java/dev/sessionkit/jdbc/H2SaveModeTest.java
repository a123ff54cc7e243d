// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.SaveModeContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SaveModeContract} over the JDBC store on H2. */
class H2SaveModeTest extends SaveModeContract {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.H2);

  @Override
  protected Stores createStores() {
    return DB.emptiedStores();
  }
}
