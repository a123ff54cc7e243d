// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.SessionManager;
import dev.sessionkit.StoreHealth;
import dev.sessionkit.jdbc.internal.DriverManagerDataSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store check of a JDBC store whose database does not answer: a closed port. */
class JdbcStoreCheckDownTest {

  @Test
  void aDatabaseOnAClosedPortIsDown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    JdbcSessionStore store = JdbcSessionStore.builder(new DriverManagerDataSource(
            "jdbc:postgresql://127.0.0.1:" + closedPort + "/test?user=postgres&connectTimeout=2",
            null, null))
        .dialect(SqlDialect.POSTGRESQL)      // nothing is read at build time
        .build();

    StoreHealth health = SessionManager.builder().store(store).build()
        .checkStore(Duration.ofSeconds(10));

    assertThat(health.up()).isFalse();
    assertThat(health.detail()).startsWith("SessionStoreException: ").contains("findById");
  }
}
