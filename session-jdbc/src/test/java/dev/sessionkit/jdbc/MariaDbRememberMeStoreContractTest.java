// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The remember-me store contract on MariaDB (127.0.0.1:3306). */
class MariaDbRememberMeStoreContractTest extends JdbcRememberMeStoreContractTest {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.MARIADB);

  @Override
  protected Database db() {
    return DB;
  }
}
