// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle invariants over the JDBC store on PostgreSQL (127.0.0.1:5432). */
class PostgresLifecycleContractTest extends JdbcLifecycleContractTest {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.POSTGRESQL);

  @Override
  protected Database db() {
    return DB;
  }
}
