// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.sql.SQLException;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The model test over the JDBC store on MariaDB (127.0.0.1:3306). */
class MariaDbSessionManagerModelProperties extends JdbcSessionManagerModelProperties {

  private static final Database DB = new Database(TestDatabase.MARIADB);

  @BeforeContainer
  static void createTables() throws SQLException {
    DB.createTables();
  }

  @AfterContainer
  static void dropTables() throws SQLException {
    DB.dropTables();
  }

  @Override
  protected Database db() {
    return DB;
  }
}
