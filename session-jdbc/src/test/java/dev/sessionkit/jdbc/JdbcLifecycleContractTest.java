// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.LifecycleContract;
import java.sql.SQLException;

/**
 * The lifecycle invariants (a {@code SessionManager} over the store, under fixed interleavings,
 * injected faults and a bounded stress run) on one database, on emptied tables; a subclass per
 * database supplies it as a {@link Database} extension.
 */
abstract class JdbcLifecycleContractTest extends LifecycleContract {

  /** The database and tables of the concrete test class. */
  protected abstract Database db();

  @Override
  protected Stores createStores() {
    try {
      db().clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return Stores.of(db().store());
  }
}
