// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC store's own tests on PostgreSQL (127.0.0.1:5432). */
class PostgresJdbcSessionStoreTest extends JdbcSessionStoreTestBase {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.POSTGRESQL);

  @Override
  protected Database db() {
    return DB;
  }
}
