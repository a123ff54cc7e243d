// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.testing.SessionStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The session store contract on one database, on emptied tables; a subclass per database
 * supplies it as a {@link Database} extension.
 */
abstract class JdbcSessionStoreContractTest extends SessionStoreContract {

  /** The database and tables of the concrete test class. */
  protected abstract Database db();

  @Override
  protected SessionStore createStore() {
    try {
      db().clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return db().store();
  }

  @Override
  protected void corruptAttributes(SessionStore target, String sessionId) throws Exception {
    String table = ((JdbcSessionStore) target).attributesTable();
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE " + table + " SET attribute_value = ? WHERE session_id = ?")) {
      ps.setBytes(1, new byte[] {1, 2, 3});
      ps.setString(2, sessionId);
      assertThat(ps.executeUpdate()).isPositive();
    }
  }
}
