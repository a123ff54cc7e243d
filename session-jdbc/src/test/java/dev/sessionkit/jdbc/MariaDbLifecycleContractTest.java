// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle invariants over the JDBC store on MariaDB (127.0.0.1:3306). */
class MariaDbLifecycleContractTest extends JdbcLifecycleContractTest {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.MARIADB);

  @Override
  protected Database db() {
    return DB;
  }
}
