// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.jdbc.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;

/**
 * Every statement the store runs, written once for a table prefix and dialect. The upserts (of an
 * attribute, of a principal's row) and the lookup by token hash differ between the dialects; the
 * rest is portable SQL (and row locks with {@code FOR UPDATE [SKIP LOCKED]}, which all supported
 * databases have).
 */
public final class Sql {

  /**
   * The session columns read by every session query, followed by one attribute; {@link
   * SessionRows} reads them by these positions.
   */
  static final String SESSION_COLUMNS = "s.session_id, s.token_hash, s.previous_token_hash,"
      + " s.previous_valid_until, s.previous_cause, s.principal, s.authenticated_at,"
      + " s.authentication_method, s.interactive_at, s.remember_me_series, s.created_at,"
      + " s.last_accessed_at,"
      + " s.idle_timeout, s.absolute_deadline, s.client_address, s.user_agent,"
      + " a.attribute_name, a.attribute_value";

  /** The series columns, in the order {@link SeriesTable} binds and reads them. */
  static final String SERIES_COLUMNS = "selector_hash, principal, validator_hash,"
      + " previous_validator_hash, previous_valid_until, rotation_confirmed, created_at,"
      + " expires_at, last_used_at, latest_session_id, generation";

  final String insertSession;
  final String insertAttribute;
  final String upsertAttribute;
  final String deleteAttributesPrefix;
  final String sessionByTokenHash;
  final String sessionById;
  final String sessionsByPrincipal;
  final String sessionExists;
  /**
   * The session row, locked until the end of the transaction, if its principal is the given one
   * ({@link PrincipalMatch#OF_PRINCIPAL}) or it is anonymous ({@link PrincipalMatch#ANONYMOUS}):
   * the fence that keeps a view from before a login from writing into the authenticated session.
   */
  final PrincipalMatch lockSessionAsSeen;
  final String touch;
  /** The idle timeout change, applied only if the principal is still the one the caller saw. */
  final PrincipalMatch setIdleTimeout;
  /** Whether the session exists with the principal the caller saw. */
  final PrincipalMatch sessionExistsAsSeen;
  /**
   * PostgreSQL only (null elsewhere): the per-request lookup and touch in one statement, a
   * data-modifying CTE whose {@code RETURNING} value the lookup reads.
   */
  final String findAndTouch;
  /** Rotation of any stored session: to an anonymous one, or after the fence admitted it. */
  final String rotate;
  /**
   * Rotation after the fence was read: if the stored principal is the replacement's, or if the
   * fence admitted a new principal (the last parameter, 1 or 0).
   */
  final String rotateFenced;
  final String deleteSession;
  final String lockSessionsOfPrincipal;
  final String deleteSessionsPrefix;
  final String lockExpiredSessions;
  /** Whether the lock-expired queries take {@code now} twice (before the limit). */
  final boolean lockExpiredRepeatsNow;

  /** The three statements of revokeAll, in order: raise every generation, then delete. */
  final String raiseEveryGeneration;
  final String deleteEveryAttribute;
  final String deleteEverySession;
  final String deleteEverySeries;

  final String principalGeneration;
  final String ensurePrincipal;
  final String lockPrincipal;
  final String raisePrincipalGeneration;

  final String insertSeries;
  final String seriesBySelectorHash;
  final String replaceSeries;
  final String deleteSeries;
  final String deleteSeriesIfLatest;
  final String deleteSeriesOfPrincipal;
  final String raiseSeriesGenerationPrefix;
  final String lockExpiredSeries;
  final String deleteSeriesPrefix;

  public Sql(Tables tables, SqlDialect dialect) {
    String s = tables.sessions();
    String a = tables.attributes();
    String r = tables.series();
    String p = tables.principals();

    insertSession = "INSERT INTO " + s + " (session_id, token_hash, previous_token_hash,"
        + " previous_valid_until, previous_cause, principal, authenticated_at,"
        + " authentication_method, interactive_at, remember_me_series, created_at,"
        + " last_accessed_at, idle_timeout, absolute_deadline, expires_at, client_address,"
        + " user_agent)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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
    // PostgreSQL (a BitmapOr of both indexes) and MariaDB (an index merge) use an index for each
    // side of the OR; H2 would scan the table, so there each side is a query of its own.
    sessionByTokenHash = dialect == SqlDialect.H2
        ? select + " WHERE s.token_hash = ? UNION ALL " + select
            + " WHERE s.previous_token_hash = ?"
        : select + " WHERE s.token_hash = ? OR s.previous_token_hash = ?";
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
    // expires_at first, as above, from the new idle timeout (without overflow, as above).
    setIdleTimeout = PrincipalMatch.of("UPDATE " + s + " SET"
        + " expires_at = CASE WHEN absolute_deadline - ? < last_accessed_at THEN absolute_deadline"
        + " ELSE last_accessed_at + ? END,"
        + " idle_timeout = ?"
        + " WHERE session_id = ?", "");
    sessionExistsAsSeen = PrincipalMatch.of(sessionExists, "");
    lockSessionAsSeen = PrincipalMatch.of(sessionExists, " FOR UPDATE");
    // One round trip per request on PostgreSQL: the UPDATE touches the session the hash resolves
    // to if it is live, due (last access at least the touch interval ago) and the hash is its
    // current one or a renewed-away one within its grace; the SELECT reads the session as it was
    // before the statement (the CTE's changes are invisible to it) with the touched last access
    // from RETURNING. Parameters: now x3 (SET), hash, hash, now, now, now - interval, hash, hash,
    // now (WHERE), hash, hash (SELECT).
    findAndTouch = dialect != SqlDialect.POSTGRESQL ? null
        : "WITH touched AS (UPDATE " + s + " SET"
            + " expires_at = CASE WHEN absolute_deadline - idle_timeout < ? THEN absolute_deadline"
            + " ELSE idle_timeout + ? END,"
            + " last_accessed_at = ?"
            + " WHERE (token_hash = ? OR previous_token_hash = ?) AND expires_at > ?"
            + " AND last_accessed_at < ? AND last_accessed_at <= ?"
            + " AND (token_hash = ? OR (previous_token_hash = ? AND previous_cause = 'RENEWAL'"
            + " AND previous_valid_until > ?))"
            + " RETURNING session_id, last_accessed_at)"
            + " SELECT " + SESSION_COLUMNS.replace("s.last_accessed_at",
                "COALESCE(t.last_accessed_at, s.last_accessed_at)")
            + " FROM " + s + " s LEFT JOIN touched t ON t.session_id = s.session_id"
            + " LEFT JOIN " + a + " a ON a.session_id = s.session_id"
            + " WHERE s.token_hash = ? OR s.previous_token_hash = ?";
    // The later of the stored and the replacement's last access wins; expires_at (first, as
    // above) is computed from that one, the stored idle timeout (which a rotation keeps) and the
    // replacement's absolute deadline.
    rotate = "UPDATE " + s + " SET"
        + " expires_at = CASE WHEN last_accessed_at > ?"
        + " THEN CASE WHEN ? - idle_timeout < last_accessed_at THEN ?"
        + " ELSE last_accessed_at + idle_timeout END"
        + " ELSE CASE WHEN ? - idle_timeout < ? THEN ? ELSE idle_timeout + ? END END,"
        + " last_accessed_at = CASE WHEN last_accessed_at > ? THEN last_accessed_at ELSE ? END,"
        + " token_hash = ?, previous_token_hash = ?, previous_valid_until = ?,"
        + " previous_cause = ?, principal = ?, authenticated_at = ?, authentication_method = ?,"
        + " interactive_at = ?, remember_me_series = ?, absolute_deadline = ?,"
        + " client_address = ?, user_agent = ?"
        + " WHERE session_id = ? AND token_hash = ?";
    rotateFenced = rotate + " AND (principal = ? OR 1 = ?)";
    deleteSession = "DELETE FROM " + s + " WHERE session_id = ?";
    lockSessionsOfPrincipal = "SELECT session_id FROM " + s + " WHERE principal = ? FOR UPDATE";
    deleteSessionsPrefix = "DELETE FROM " + s + " WHERE session_id IN ";
    lockExpiredRepeatsNow = dialect == SqlDialect.H2;
    lockExpiredSessions = lockExpired("session_id, principal, last_accessed_at, idle_timeout,"
        + " absolute_deadline", s, "session_id");

    raiseEveryGeneration = "UPDATE " + p + " SET generation = generation + 1";
    deleteEveryAttribute = "DELETE FROM " + a;
    deleteEverySession = "DELETE FROM " + s;
    deleteEverySeries = "DELETE FROM " + r;

    principalGeneration = "SELECT generation FROM " + p + " WHERE principal = ?";
    lockPrincipal = principalGeneration + " FOR UPDATE";
    // Creates the principal's row with generation 0 unless it exists, leaving an existing row's
    // generation as it is. MariaDB's no-op update takes the row's exclusive lock at once (INSERT
    // IGNORE would take a shared one, and two logins upgrading it would deadlock).
    ensurePrincipal = switch (dialect) {
      case POSTGRESQL -> "INSERT INTO " + p + " (principal, generation) VALUES (?, 0)"
          + " ON CONFLICT (principal) DO NOTHING";
      case MARIADB -> "INSERT INTO " + p + " (principal, generation) VALUES (?, 0)"
          + " ON DUPLICATE KEY UPDATE generation = generation";
      case H2 -> "MERGE INTO " + p + " USING (VALUES (CAST(? AS VARCHAR(256)))) AS v(principal)"
          + " ON " + p + ".principal = v.principal"
          + " WHEN NOT MATCHED THEN INSERT (principal, generation) VALUES (v.principal, 0)";
    };
    // Raises the principal's generation to at least ?, creating the row if needed; locks the row.
    raisePrincipalGeneration = switch (dialect) {
      case POSTGRESQL -> "INSERT INTO " + p + " (principal, generation) VALUES (?, ?)"
          + " ON CONFLICT (principal) DO UPDATE"
          + " SET generation = GREATEST(" + p + ".generation, EXCLUDED.generation)";
      case MARIADB -> "INSERT INTO " + p + " (principal, generation) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE generation = GREATEST(generation, VALUES(generation))";
      case H2 -> "MERGE INTO " + p + " USING (VALUES (CAST(? AS VARCHAR(256)),"
          + " CAST(? AS BIGINT))) AS v(principal, generation)"
          + " ON " + p + ".principal = v.principal"
          + " WHEN MATCHED THEN UPDATE SET generation = GREATEST(" + p + ".generation,"
          + " v.generation)"
          + " WHEN NOT MATCHED THEN INSERT (principal, generation)"
          + " VALUES (v.principal, v.generation)";
    };

    insertSeries = "INSERT INTO " + r + " (" + SERIES_COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    seriesBySelectorHash = "SELECT " + SERIES_COLUMNS + " FROM " + r + " WHERE selector_hash = ?";
    // generation first: MariaDB and MySQL assign left to right (see above).
    replaceSeries = "UPDATE " + r + " SET generation = GREATEST(generation, ?),"
        + " validator_hash = ?, previous_validator_hash = ?, previous_valid_until = ?,"
        + " rotation_confirmed = ?, created_at = ?, expires_at = ?, last_used_at = ?,"
        + " latest_session_id = ?"
        + " WHERE selector_hash = ? AND validator_hash = ? AND principal = ?";
    deleteSeries = "DELETE FROM " + r + " WHERE selector_hash = ?";
    deleteSeriesIfLatest = deleteSeries + " AND latest_session_id = ?";
    deleteSeriesOfPrincipal = "DELETE FROM " + r + " WHERE principal = ?";
    raiseSeriesGenerationPrefix = "UPDATE " + r + " SET generation = GREATEST(generation, ?)"
        + " WHERE principal = ? AND selector_hash IN ";
    lockExpiredSeries = lockExpired("selector_hash", r, "selector_hash");
    deleteSeriesPrefix = "DELETE FROM " + r + " WHERE selector_hash IN ";
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
  void bindLockExpired(PreparedStatement ps, long nowMillis, int limit) throws SQLException {
    int i = 1;
    ps.setLong(i++, nowMillis);
    if (lockExpiredRepeatsNow) {
      ps.setLong(i++, nowMillis);
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

  /**
   * A statement whose {@code WHERE} ends with the principal the caller saw: {@code principal = ?}
   * (one more parameter, after the others) or {@code principal IS NULL}.
   *
   * @param ofPrincipal the statement for a view of an authenticated session
   * @param anonymous the statement for a view of an anonymous session
   */
  record PrincipalMatch(String ofPrincipal, String anonymous) {

    static PrincipalMatch of(String statement, String suffix) {
      return new PrincipalMatch(statement + " AND principal = ?" + suffix,
          statement + " AND principal IS NULL" + suffix);
    }

    /** The statement for {@code principal} ({@code null}: anonymous). */
    String forPrincipal(String principal) {
      return principal == null ? anonymous : ofPrincipal;
    }
  }
}
