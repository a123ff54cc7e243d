// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.util.Locale;
import java.util.Objects;

/**
 * The databases the {@link JdbcSessionStore} speaks to. The store detects the dialect from the
 * connection's metadata unless the configuration states it.
 */
public enum SqlDialect {

  /** PostgreSQL 10 or later. */
  POSTGRESQL("postgresql"),

  /** MariaDB 10.6 or later, and MySQL 8.0 or later (both InnoDB). */
  MARIADB("mariadb"),

  /** H2 2.x, embedded or in-memory (tests, demos, single-server apps). */
  H2("h2");

  private final String id;

  SqlDialect(String id) {
    this.id = id;
  }

  /**
   * Returns the class-path resource that holds this dialect's schema script, with the default
   * table prefix {@code sessionkit_}; for example {@code dev/sessionkit/jdbc/schema-postgresql.sql}.
   * Give it to a migration tool (Flyway, Liquibase) or a DBA when the application may not run DDL.
   *
   * @return the class-path resource that holds this dialect's schema script, with the default
   *     table prefix {@code sessionkit_}
   */
  public String schemaResource() {
    return "dev/sessionkit/jdbc/schema-" + id + ".sql";
  }

  /**
   * Returns the dialect named {@code name}: {@code postgresql} (or {@code postgres}), {@code
   * mariadb} (or {@code mysql}) or {@code h2}, in any case.
   *
   * @param name {@code postgresql}, {@code mariadb}, {@code mysql} or {@code h2}, in any case
   * @return the dialect named {@code name}
   * @throws IllegalArgumentException for any other name; the message lists the accepted ones
   */
  public static SqlDialect fromName(String name) {
    Objects.requireNonNull(name, "dialect name");
    switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "postgresql":
      case "postgres":
        return POSTGRESQL;
      case "mariadb":
      case "mysql":
        return MARIADB;
      case "h2":
        return H2;
      default:
        throw new IllegalArgumentException("unknown SQL dialect '" + name
            + "': use postgresql, mariadb (also for MySQL) or h2");
    }
  }
}
