package dev.sessionkit.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract and the JDBC store's tests on MariaDB (127.0.0.1:3306). */
class MariaDbJdbcSessionStoreTest extends JdbcSessionStoreTestBase {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.MARIADB);

  @Override
  protected Database db() {
    return DB;
  }
}
