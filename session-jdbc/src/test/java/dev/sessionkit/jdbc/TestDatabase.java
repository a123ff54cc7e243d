// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.util.Locale;
import java.util.UUID;

/**
 * The databases the tests run on, with what differs between them in test code: the URL, a
 * set-based insert of many sessions, and how to read a query plan.
 */
enum TestDatabase {

  H2("H2 (in-process)",
      "jdbc:h2:mem:sessionkit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1") {
    @Override
    String series(int count) {
      return "SELECT X AS i, HASH('SHA-256', CAST(X AS VARCHAR)) AS h FROM SYSTEM_RANGE(1, "
          + count + ")";
    }

    @Override
    boolean scansTable(String plan, String table) {
      return plan.toUpperCase(Locale.ROOT).contains(table.toUpperCase(Locale.ROOT)
          + ".TABLESCAN");
    }
  },

  POSTGRESQL("PostgreSQL at 127.0.0.1:5432 (database test, user postgres)",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=5") {
    @Override
    String series(int count) {
      return "SELECT i, sha256(int4send(i)) AS h FROM generate_series(1, " + count + ") AS i";
    }

    @Override
    String analyze(String table) {
      return "ANALYZE " + table;
    }

    @Override
    boolean scansTable(String plan, String table) {
      return plan.contains("Seq Scan on " + table);
    }
  },

  MARIADB("MariaDB at 127.0.0.1:3306 (database test, user root)",
      "jdbc:mariadb://127.0.0.1:3306/test?user=root&connectTimeout=5000") {
    @Override
    String series(int count) {
      // The Sequence engine (on by default) provides seq_1_to_N.
      return "SELECT seq AS i, UNHEX(SHA2(seq, 256)) AS h FROM seq_1_to_" + count;
    }

    @Override
    String concat(String a, String b) {
      return "CONCAT(" + a + ", " + b + ")";
    }

    @Override
    boolean scansTable(String plan, String table) {
      // the plan as written by planText: one "table=... type=..." line per table
      return plan.contains("table=s type=ALL");
    }
  };

  final String description;
  final String url;

  TestDatabase(String description, String url) {
    this.description = description;
    this.url = url;
  }

  /** A query of {@code count} rows with a number {@code i} (1..count) and 32 distinct bytes {@code h}. */
  abstract String series(int count);

  /** The statement that refreshes the optimizer's statistics of {@code table}. */
  String analyze(String table) {
    return "ANALYZE TABLE " + table;
  }

  /** Whether {@code plan} (from EXPLAIN) reads every row of {@code table} (alias {@code s}). */
  abstract boolean scansTable(String plan, String table);

  /** String concatenation of two SQL expressions. */
  String concat(String a, String b) {
    return a + " || " + b;
  }

  /**
   * Returns one set-based statement that inserts {@code count} sessions of {@code principal}
   * with ids {@code idPrefix1..N}. Its BIGINT parameters: created, authenticated (also the
   * interactive authentication), last access, idle timeout, absolute deadline, expires at.
   */
  String bulkInsertSessions(String table, String principal, String idPrefix, int count) {
    return "INSERT INTO " + table + " (session_id, token_hash, principal, created_at,"
        + " authenticated_at, interactive_at, authentication_method, last_accessed_at,"
        + " idle_timeout, absolute_deadline, expires_at)"
        + " SELECT " + concat("'" + idPrefix + "'", "q.i") + ", q.h, '"
        + principal + "', ?, ?, ?, 'INTERACTIVE', ?, ?, ?, ? FROM (" + series(count) + ") q";
  }
}
