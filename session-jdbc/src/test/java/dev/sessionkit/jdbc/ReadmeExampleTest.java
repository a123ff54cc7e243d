// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.jdbc.internal.DriverManagerDataSource;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.JavaSerializationCodec;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Runs the JDBC example of README.md and docs/stores.md, on H2. */
class ReadmeExampleTest {

  @Test
  void theReadmeSetupWorks() {
    DataSource dataSource = new DriverManagerDataSource(
        "jdbc:h2:mem:readme-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);

    // example: jdbc-setup
    JdbcSessionStore store = JdbcSessionStore.builder(dataSource)
        .tablePrefix("sessionkit_")                   // the default
        .codec(JavaSerializationCodec.builder().allow("com.example.shop.*").build())
        .build();                                     // detects the dialect from the connection
    store.createSchema();                             // CREATE TABLE/INDEX IF NOT EXISTS: idempotent
    SessionManager sessions = SessionManager.builder().store(store).build(); // sessions and series
    // end of example

    store.createSchema();
    IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
    assertThat(store.dialect()).isEqualTo(SqlDialect.H2);
    assertThat(sessions.resolve(login.token())).isPresent();
    assertThat(sessions.sessionsOf("alice")).hasSize(1);
    assertThat(sessions.rememberMeStore()).isSameAs(store);
    assertThat(sessions.resumeRememberMe(login.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).issued()).isPresent();
    assertThat(sessions.sessionsOf("alice")).hasSize(2);
  }
}
