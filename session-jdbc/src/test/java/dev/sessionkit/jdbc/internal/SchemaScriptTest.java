// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.jdbc.SqlDialect;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaScriptTest {

  @Test
  void splitsTheScriptIntoStatementsWithThePrefixInPlace() {
    List<String> postgres = SchemaScript.statements(SqlDialect.POSTGRESQL, new Tables("app_"));
    assertThat(postgres).hasSize(9).allSatisfy(s -> assertThat(s)
        .startsWith("CREATE ").doesNotContain("--", ";", "sessionkit_"));
    assertThat(postgres.get(0)).startsWith("CREATE TABLE IF NOT EXISTS app_sessions (");
    assertThat(postgres.get(8)).startsWith("CREATE TABLE IF NOT EXISTS app_principals (");
    assertThat(SchemaScript.statements(SqlDialect.H2, new Tables("app_"))).hasSize(9);
    // MySQL has no CREATE INDEX IF NOT EXISTS: its indexes are declared in the tables.
    assertThat(SchemaScript.statements(SqlDialect.MARIADB, new Tables("app_"))).hasSize(4)
        .allSatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS app_"));
  }

  @Test
  void theDefaultPrefixLeavesTheShippedScriptAsItIs() {
    String script = SchemaScript.text(SqlDialect.H2, new Tables(Tables.DEFAULT_PREFIX));
    assertThat(script).startsWith("-- SPDX-License-Identifier: Apache-2.0\n"
        + "-- Sessionkit JDBC session store: schema for H2 2.x.")
        .contains("sessionkit_sessions_token_hash_uk UNIQUE (token_hash)");
  }
}
