// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the store's tables from the database's metadata and says what keeps this version from
 * using them: tables of an earlier layout under the same prefix (sessions without a previous token,
 * remember-me series keyed by a selector in clear), or tables that do not exist.
 *
 * <p>An earlier layout is never migrated: its sessions and series lack what this version needs
 * (the previous token, the series' generation, a selector hash, which cannot be computed from the
 * stored data without the selector's secret-bearing cookie), so the fix is to drop the tables or to
 * use another prefix, and the message says so.
 */
public final class SchemaCheck {

  private final Tables tables;
  private final SqlDialect dialect;

  public SchemaCheck(Tables tables, SqlDialect dialect) {
    this.tables = tables;
    this.dialect = dialect;
  }

  /**
   * Returns what about the tables this version cannot use, with what to do, if they hold an earlier
   * layout.
   */
  public Optional<String> earlierLayout(Connection c) throws SQLException {
    List<String> findings = new ArrayList<>();
    Set<String> sessions = columns(c, tables.sessions());
    if (!sessions.isEmpty() && !sessions.contains("previous_token_hash")) {
      findings.add(tables.sessions() + " has no column previous_token_hash");
    } else if (!sessions.isEmpty() && !sessions.contains("interactive_at")) {
      findings.add(tables.sessions() + " has no column interactive_at");
    }
    Set<String> series = columns(c, tables.series());
    if (!series.isEmpty() && (series.contains("selector") || !series.contains("selector_hash"))) {
      findings.add(tables.series() + " keys series by a selector in clear, not by its hash");
    }
    if (findings.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("the tables with prefix '" + tables.prefix() + "' have the layout of an"
        + " earlier Sessionkit version (" + String.join("; ", findings) + "), which this version"
        + " cannot use. Drop them (DROP TABLE " + tables.attributes() + ", " + tables.sessions()
        + ", " + tables.series() + "; this ends every stored session and remember-me login) and"
        + " create the schema again, or configure another table prefix (JdbcSessionStore.Builder"
        + ".tablePrefix, or the setting jdbc.tablePrefix)");
  }

  /**
   * Returns what keeps the store from working on the tables, if anything: an earlier layout, or
   * tables that do not exist.
   */
  public Optional<String> problem(Connection c) throws SQLException {
    Optional<String> earlier = earlierLayout(c);
    if (earlier.isPresent()) {
      return earlier;
    }
    List<String> missing = new ArrayList<>();
    for (String table : tables.all()) {
      if (columns(c, table).isEmpty()) {
        missing.add(table);
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    boolean one = missing.size() == 1;
    return Optional.of("the table" + (one ? " " : "s ") + String.join(", ", missing)
        + (one ? " does not exist: create it" : " do not exist: create them") + " with"
        + " JdbcSessionStore.createSchema() (the setting jdbc.createSchema=true), or have an"
        + " administrator run the script " + dialect.schemaResource() + " with the table prefix '"
        + tables.prefix() + "'");
  }

  /** Returns the lower-case column names of {@code table}; empty if it does not exist. */
  private static Set<String> columns(Connection c, String table) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
    Set<String> columns = new HashSet<>();
    try (ResultSet rows = md.getColumns(c.getCatalog(), c.getSchema(),
        escape(name, md.getSearchStringEscape()), "%")) {
      while (rows.next()) {
        if (name.equalsIgnoreCase(rows.getString("TABLE_NAME"))) {
          columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return columns;
  }

  /** Escapes the pattern characters of a metadata search ({@code _} is one, in every name). */
  private static String escape(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_")
        .replace("%", escape + "%");
  }
}
