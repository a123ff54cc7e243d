// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.jdbc;

import dev.sessionkit.testing.LogSecrecyContract;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No secret in any log line at TRACE (the JDBC driver's included) on the JDBC store over
 * MariaDb: the cycle runs in its own JVM through the {@code jdbc:} store factory.
 */
class MariaDbLogSecrecyTest extends LogSecrecyContract {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.MARIADB);

  @Override
  protected Map<String, String> storeSettings() {
    return Map.of("store", DB.kind.url, "jdbc.tablePrefix", DB.prefix);
  }
}
