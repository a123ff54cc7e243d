// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.jdbc;

import dev.sessionkit.testing.LogSecrecyContract;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No secret in any log line at TRACE (the JDBC driver's included) on the JDBC store over
 * H2 (in-process): the cycle runs in its own JVM through the {@code jdbc:} store factory.
 */
class H2LogSecrecyTest extends LogSecrecyContract {

  @RegisterExtension
  static final Database DB = new Database(TestDatabase.H2);

  /** In-process: the cycle's JVM has a database of its own and creates its tables there. */
  @Override
  protected Map<String, String> storeSettings() {
    return Map.of("store", DB.kind.url, "jdbc.tablePrefix", DB.prefix);
  }
}
