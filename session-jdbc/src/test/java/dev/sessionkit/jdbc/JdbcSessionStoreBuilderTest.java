// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.jdbc.internal.DriverManagerDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcSessionStoreBuilderTest {

  private final DataSource h2 = new DriverManagerDataSource(
      "jdbc:h2:mem:builder-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);

  /** A data source whose connections describe themselves as {@code product} {@code version}. */
  private static DataSource reporting(String product, String version) {
    DatabaseMetaData metadata = (DatabaseMetaData) Proxy.newProxyInstance(
        DatabaseMetaData.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
        (p, m, a) -> switch (m.getName()) {
          case "getDatabaseProductName" -> product;
          case "getDatabaseProductVersion" -> version;
          default -> throw new UnsupportedOperationException(m.getName());
        });
    Connection connection = (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (p, m, a) -> switch (m.getName()) {
          case "getMetaData" -> metadata;
          case "getAutoCommit" -> true;
          case "close" -> null;
          default -> throw new UnsupportedOperationException(m.getName());
        });
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          if (m.getName().equals("getConnection")) {
            return connection;
          }
          throw new UnsupportedOperationException(m.getName());
        });
  }

  @Test
  void anUnsupportedDatabaseFailsAtStartWithAClearError() {
    assertThatThrownBy(() -> JdbcSessionStore.builder(reporting("Apache Derby", "10.17.1.0"))
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported database 'Apache Derby 10.17.1.0': the JDBC session store"
            + " supports PostgreSQL 10+, MariaDB 10.6+, MySQL 8.0+ and H2 2.x");
    assertThatThrownBy(() -> JdbcSessionStore.builder(reporting("PostgreSQL", "9.6.24")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs PostgreSQL 10.0 or later, but the database is PostgreSQL 9.6.24");
  }

  @Test
  void theDialectComesFromTheMetadataOrTheConfiguration() {
    assertThat(JdbcSessionStore.builder(reporting("MariaDB", "10.11.19-MariaDB-0+deb12u1"))
        .build().dialect()).isEqualTo(SqlDialect.MARIADB);
    assertThat(JdbcSessionStore.builder(h2).build().dialect()).isEqualTo(SqlDialect.H2);
    assertThat(JdbcSessionStore.builder(reporting("Apache Derby", "10"))
        .dialect(SqlDialect.POSTGRESQL).build().dialect()).isEqualTo(SqlDialect.POSTGRESQL);
  }

  @Test
  void settingsAreCheckedWhenSet() {
    JdbcSessionStore.Builder builder = JdbcSessionStore.builder(h2);
    assertThatThrownBy(() -> builder.tablePrefix("Sessions"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Sessions'");
    assertThatThrownBy(() -> builder.tablePrefix("x".repeat(31)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 30");
    assertThatThrownBy(() -> builder.tablePrefix("1st_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.purgeBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("purgeBatchSize must be 1 to 10000: 0");
    assertThatThrownBy(() -> builder.codec(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JdbcSessionStore.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("dataSource");
    assertThat(builder.tablePrefix("").build().sessionsTable()).isEqualTo("sessions");
  }

  @Test
  void theSchemaScriptCarriesTheConfiguredPrefix() {
    JdbcSessionStore store = JdbcSessionStore.builder(h2).tablePrefix("shop_").build();
    assertThat(store.schemaScript())
        .contains("CREATE TABLE IF NOT EXISTS shop_sessions (")
        .contains("CREATE TABLE IF NOT EXISTS shop_session_attributes (")
        .contains("CREATE TABLE IF NOT EXISTS shop_remember_me_series (")
        .contains("CREATE TABLE IF NOT EXISTS shop_principals (")
        .doesNotContain("sessionkit_");
    assertThat(store.toString()).isEqualTo("JdbcSessionStore[dialect=H2, tablePrefix=shop_]");
  }

  @Test
  void dialectNamesAreParsedWithAClearErrorForOthers() {
    assertThat(SqlDialect.fromName("PostgreSQL")).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(SqlDialect.fromName("postgres")).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(SqlDialect.fromName(" mysql ")).isEqualTo(SqlDialect.MARIADB);
    assertThat(SqlDialect.fromName("MariaDB")).isEqualTo(SqlDialect.MARIADB);
    assertThat(SqlDialect.fromName("h2")).isEqualTo(SqlDialect.H2);
    assertThatThrownBy(() -> SqlDialect.fromName("sqlite"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown SQL dialect 'sqlite': use postgresql, mariadb (also for MySQL) or h2");
  }

  @Test
  void everyDialectShipsItsSchemaScriptInTheJar() {
    for (SqlDialect dialect : SqlDialect.values()) {
      assertThat(getClass().getClassLoader().getResource(dialect.schemaResource()))
          .as(dialect.schemaResource()).isNotNull();
    }
  }
}
