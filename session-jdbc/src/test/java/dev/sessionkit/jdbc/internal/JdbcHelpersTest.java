// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.SessionStoreException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class JdbcHelpersTest {

  @Test
  void credentialsAndParametersAreCutFromUrlsInMessages() {
    assertThat(DriverManagerDataSource.redact(
        "jdbc:postgresql://db.example:5432/app?user=app&password=hunter2"))
        .isEqualTo("jdbc:postgresql://db.example:5432/app");
    assertThat(DriverManagerDataSource.redact("jdbc:h2:mem:x;USER=sa;PASSWORD=hunter2"))
        .isEqualTo("jdbc:h2:mem:x");
    assertThat(DriverManagerDataSource.redact("jdbc:mysql://app:hunter2@db.example/app"))
        .isEqualTo("jdbc:mysql://db.example/app");
  }

  @Test
  void constraintViolationsAreReportedWithoutTheDriversMessage() {
    SQLException duplicate = new SQLException(
        "duplicate key value violates unique constraint; Key (token_hash)=(\\x5f3a...)", "23505");
    SessionStoreException e = JdbcExecutor.failure("create", duplicate);
    assertThat(e).hasMessage("JDBC session store failed in create (SQLState 23505, error 0):"
        + " a database constraint was violated").hasNoCause();

    SQLException down = new SQLException("Connection refused", "08001");
    assertThat(JdbcExecutor.failure("touch", down)).hasCause(down)
        .hasMessage("JDBC session store failed in touch (SQLState 08001, error 0)");
  }

  @Test
  void deadlocksAndSerializationFailuresAreRetried() {
    assertThat(JdbcExecutor.isTransient(new SQLException("deadlock", "40P01"))).isTrue();
    assertThat(JdbcExecutor.isTransient(new SQLException("deadlock", "40001", 1213))).isTrue();
    SQLException batch = new SQLException("batch failed", "HY000");
    batch.setNextException(new SQLException("serialization", "40001"));
    assertThat(JdbcExecutor.isTransient(batch)).isTrue();
    assertThat(JdbcExecutor.isTransient(new SQLException("syntax", "42601"))).isFalse();
  }
}
