package dev.sessionkit.jdbc.internal;

import dev.sessionkit.jdbc.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;

/**
 * Every statement the store runs, written once for a table prefix and dialect. Only the attribute
 * upsert differs between the dialects; the rest is portable SQL (and row locks with {@code FOR
 * UPDATE [SKIP LOCKED]}, which all supported databases have).
 */
public final class Sql {

  /** The session columns read by every session query, followed by one attribute. */
  private static final String SESSION_COLUMNS = "s.session_id, s.token_hash, s.principal,"
      + " s.created_at, s.authenticated_at, s.authentication_method, s.last_accessed_at,"
      + " s.idle_timeout, s.absolute_deadline, s.remember_me_selector, s.client_address,"
      + " s.user_agent, a.attribute_name, a.attribute_value";

  private static final String SERIES_COLUMNS = "selector, principal, validator_hash,"
      + " previous_validator_hash, previous_valid_until, created_at, expires_at, last_used_at";

  final String insertSession;
  final String insertAttribute;
  final String upsertAttribute;
  final String deleteAttributesPrefix;
  final String sessionByTokenHash;
  final String sessionById;
  final String sessionsByPrincipal;
  final String sessionExists;
  final String touch;
  final String replaceMetadata;
  final String deleteSession;
  final String lockSessionsOfPrincipal;
  final String deleteSessionsPrefix;
  final String lockExpiredSessions;
  /** Whether the lock-expired queries take {@code now} twice (before the limit). */
  final boolean lockExpiredRepeatsNow;

  final String insertSeries;
  final String seriesBySelector;
  final String rotateSeries;
  final String deleteSeries;
  final String deleteSeriesOfPrincipal;
  final String lockExpiredSeries;
  final String deleteSeriesPrefix;

  public Sql(Tables tables, SqlDialect dialect) {
    String s = tables.sessions();
    String a = tables.attributes();
    String r = tables.series();

    insertSession = "INSERT INTO " + s + " (session_id, token_hash, principal, created_at,"
        + " authenticated_at, authentication_method, last_accessed_at, idle_timeout,"
        + " absolute_deadline, expires_at, remember_me_selector, client_address, user_agent)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertAttribute = "INSERT INTO " + a + " (session_id, attribute_name, attribute_value)"
        + " VALUES (?, ?, ?)";
    upsertAttribute = switch (dialect) {
      case POSTGRESQL -> insertAttribute + " ON CONFLICT (session_id, attribute_name)"
          + " DO UPDATE SET attribute_value = EXCLUDED.attribute_value";
      case MARIADB -> insertAttribute
          + " ON DUPLICATE KEY UPDATE attribute_value = VALUES(attribute_value)";
      case H2 -> "MERGE INTO " + a + " (session_id, attribute_name, attribute_value)"
          + " KEY (session_id, attribute_name) VALUES (?, ?, ?)";
    };
    deleteAttributesPrefix = "DELETE FROM " + a + " WHERE session_id = ? AND attribute_name IN ";

    String select = "SELECT " + SESSION_COLUMNS + " FROM " + s + " s LEFT JOIN " + a
        + " a ON a.session_id = s.session_id";
    sessionByTokenHash = select + " WHERE s.token_hash = ?";
    sessionById = select + " WHERE s.session_id = ?";
    sessionsByPrincipal = select + " WHERE s.principal = ? AND s.expires_at > ?"
        + " ORDER BY s.session_id";
    sessionExists = "SELECT 1 FROM " + s + " WHERE session_id = ?";

    // expires_at = min(lastAccess + idle, absoluteDeadline), written without overflow:
    // when absoluteDeadline - idle < lastAccess the absolute deadline comes first.
    // MariaDB and MySQL assign left to right, seeing values already assigned; every other
    // database sees the old row. So expires_at, which reads the old last_accessed_at, comes first.
    touch = "UPDATE " + s + " SET"
        + " expires_at = CASE WHEN absolute_deadline - idle_timeout < ? THEN absolute_deadline"
        + " ELSE idle_timeout + ? END,"
        + " last_accessed_at = ?"
        + " WHERE session_id = ? AND last_accessed_at < ?";
    replaceMetadata = "UPDATE " + s + " SET"
        + " expires_at = CASE WHEN last_accessed_at > ?"
        + " THEN CASE WHEN ? < last_accessed_at THEN ? ELSE last_accessed_at + ? END"
        + " ELSE ? END,"
        + " last_accessed_at = CASE WHEN last_accessed_at > ? THEN last_accessed_at ELSE ? END,"
        + " token_hash = ?, principal = ?, authenticated_at = ?, authentication_method = ?,"
        + " idle_timeout = ?, absolute_deadline = ?, remember_me_selector = ?,"
        + " client_address = ?, user_agent = ?"
        + " WHERE session_id = ? AND token_hash = ?";
    deleteSession = "DELETE FROM " + s + " WHERE session_id = ?";
    lockSessionsOfPrincipal = "SELECT session_id FROM " + s + " WHERE principal = ? FOR UPDATE";
    deleteSessionsPrefix = "DELETE FROM " + s + " WHERE session_id IN ";
    lockExpiredRepeatsNow = dialect == SqlDialect.H2;
    lockExpiredSessions = lockExpired("session_id, principal, last_accessed_at, idle_timeout,"
        + " absolute_deadline", s, "session_id");

    insertSeries = "INSERT INTO " + r + " (" + SERIES_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    seriesBySelector = "SELECT " + SERIES_COLUMNS + " FROM " + r + " WHERE selector = ?";
    // previous_validator_hash first: MariaDB and MySQL assign left to right (see above).
    rotateSeries = "UPDATE " + r + " SET previous_validator_hash = validator_hash,"
        + " validator_hash = ?, previous_valid_until = ?, last_used_at = ?"
        + " WHERE selector = ? AND validator_hash = ?";
    deleteSeries = "DELETE FROM " + r + " WHERE selector = ?";
    deleteSeriesOfPrincipal = "DELETE FROM " + r + " WHERE principal = ?";
    lockExpiredSeries = lockExpired("selector", r, "selector");
    deleteSeriesPrefix = "DELETE FROM " + r + " WHERE selector IN ";
  }

  /**
   * Returns the query that locks up to {@code ?} due rows, oldest first, skipping rows that
   * another transaction holds. H2 locks every row its WHERE clause matches before it applies the
   * limit, so there the limit is applied first, in a subquery (and the condition checked again on
   * the locked rows).
   */
  private String lockExpired(String columns, String table, String key) {
    if (lockExpiredRepeatsNow) {
      return "SELECT " + columns + " FROM " + table + " WHERE expires_at <= ? AND " + key
          + " IN (SELECT " + key + " FROM " + table + " WHERE expires_at <= ?"
          + " ORDER BY expires_at LIMIT ?) FOR UPDATE SKIP LOCKED";
    }
    return "SELECT " + columns + " FROM " + table + " WHERE expires_at <= ?"
        + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED";
  }

  /** Binds the parameters of a lock-expired query. */
  void bindLockExpired(PreparedStatement ps, long now, int limit) throws SQLException {
    int i = 1;
    ps.setLong(i++, now);
    if (lockExpiredRepeatsNow) {
      ps.setLong(i++, now);
    }
    ps.setInt(i, limit);
  }

  /** Returns {@code (?, ?, ..., ?)} with {@code count} placeholders. */
  static String placeholders(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("an IN list needs at least one value");
    }
    return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }
}
