// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC store's own tests on H2, in-process (always runs). */
class H2JdbcSessionStoreTest extends JdbcSessionStoreTestBase {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.H2);

  @Override
  protected Database db() {
    return DB;
  }
}
