// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.jdbc.SqlDialect;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Chooses the {@link SqlDialect} from a connection's metadata, refusing other databases. */
public final class DialectDetector {

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

  private DialectDetector() {}

  /**
   * Returns the dialect of the database described by {@code metadata}.
   *
   * @throws IllegalArgumentException if the database or its version is not supported
   */
  public static SqlDialect detect(DatabaseMetaData metadata) throws SQLException {
    String product = String.valueOf(metadata.getDatabaseProductName());
    String version = String.valueOf(metadata.getDatabaseProductVersion());
    return detect(product, version);
  }

  /** Returns the dialect of database {@code product} at {@code version} (metadata strings). */
  static SqlDialect detect(String product, String version) {
    String name = product.strip();
    if (name.equalsIgnoreCase("PostgreSQL")) {
      return require(SqlDialect.POSTGRESQL, product, version, 10, 0);
    }
    if (name.equalsIgnoreCase("MariaDB")
        || name.equalsIgnoreCase("MySQL") && version.contains("MariaDB")) {
      // MySQL drivers see MariaDB's version behind a "5.5.5-" compatibility prefix.
      String own = version.startsWith("5.5.5-") ? version.substring(6) : version;
      return require(SqlDialect.MARIADB, "MariaDB", own, 10, 6);
    }
    if (name.equalsIgnoreCase("MySQL")) {
      return require(SqlDialect.MARIADB, product, version, 8, 0);
    }
    if (name.equalsIgnoreCase("H2")) {
      return require(SqlDialect.H2, product, version, 2, 0);
    }
    throw unsupported(product, version);
  }

  private static SqlDialect require(SqlDialect dialect, String product, String version,
      int major, int minor) {
    Matcher m = VERSION.matcher(version);
    if (!m.find()) {
      throw unsupported(product, version);
    }
    int actualMajor = Integer.parseInt(m.group(1));
    int actualMinor = Integer.parseInt(m.group(2));
    if (actualMajor < major || actualMajor == major && actualMinor < minor) {
      throw new IllegalArgumentException("the JDBC session store needs " + product + " "
          + major + "." + minor + " or later, but the database is " + product + " " + version);
    }
    return dialect;
  }

  private static IllegalArgumentException unsupported(String product, String version) {
    return new IllegalArgumentException("unsupported database '" + product + " " + version
        + "': the JDBC session store supports PostgreSQL 10+, MariaDB 10.6+, MySQL 8.0+ and H2 2.x");
  }
}
