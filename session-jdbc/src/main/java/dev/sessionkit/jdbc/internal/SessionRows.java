// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps sessions to and from rows. Reads the rows of a session query ({@link Sql#SESSION_COLUMNS}):
 * one row per attribute (the session columns repeated), or one row with null attribute columns
 * for a session without attributes. Sessions whose attributes do not decode, or whose session
 * columns do not make a valid session, are reported apart, so that the store can remove them.
 *
 * <p>The parts of a record map to groups of nullable columns: the previous token to {@code
 * previous_token_hash, previous_valid_until, previous_cause}, the authentication to {@code
 * principal, authenticated_at, authentication_method, interactive_at, remember_me_series}; a part is absent when
 * its first column is null (the schema's CHECK constraints keep each group all null or complete).
 */
final class SessionRows {

  /** A session that cannot be read back, and why (the codec's message, naming no value). */
  record Unreadable(String sessionId, String reason) {}

  /** What a query found. */
  record Found(List<SessionRecord> sessions, List<Unreadable> unreadable) {}

  private static final int ID = 1;
  private static final int TOKEN_HASH = 2;
  private static final int PREVIOUS_HASH = 3;
  private static final int PREVIOUS_VALID_UNTIL = 4;
  private static final int PREVIOUS_CAUSE = 5;
  private static final int PRINCIPAL = 6;
  private static final int AUTHENTICATED_AT = 7;
  private static final int METHOD = 8;
  private static final int INTERACTIVE_AT = 9;
  private static final int SERIES = 10;
  private static final int CREATED_AT = 11;
  private static final int LAST_ACCESSED_AT = 12;
  private static final int IDLE_TIMEOUT = 13;
  private static final int ABSOLUTE_DEADLINE = 14;
  private static final int CLIENT_ADDRESS = 15;
  private static final int USER_AGENT = 16;
  private static final int ATTRIBUTE_NAME = 17;
  private static final int ATTRIBUTE_VALUE = 18;

  private SessionRows() {}

  /** Binds the 17 parameters of {@link Sql#insertSession}. */
  static void bindInsert(PreparedStatement ps, SessionRecord r) throws SQLException {
    ps.setString(1, r.id());
    ps.setBytes(2, r.tokenHash().toBytes());
    int next = bindPrevious(ps, 3, r.previousToken());
    next = bindAuthentication(ps, next, r.authentication());
    Lifetime lifetime = r.lifetime();
    ps.setLong(next++, lifetime.createdAt());
    ps.setLong(next++, lifetime.lastAccessedAt());
    ps.setLong(next++, lifetime.idleTimeout());
    ps.setLong(next++, lifetime.absoluteDeadline());
    ps.setLong(next++, lifetime.expiresAt());
    ps.setString(next++, r.client().addressOrNull());
    ps.setString(next, r.client().userAgentOrNull());
  }

  /**
   * Binds the parameters of {@link Sql#rotate}, returning the next index (where {@link
   * Sql#rotateFenced} takes two more).
   */
  static int bindRotate(PreparedStatement ps, String sessionId, TokenHash expectedTokenHash,
      SessionRecord r) throws SQLException {
    Lifetime lifetime = r.lifetime();
    int i = 1;
    ps.setLong(i++, lifetime.lastAccessedAt());
    ps.setLong(i++, lifetime.absoluteDeadline());
    ps.setLong(i++, lifetime.absoluteDeadline());
    ps.setLong(i++, lifetime.absoluteDeadline());
    ps.setLong(i++, lifetime.lastAccessedAt());
    ps.setLong(i++, lifetime.absoluteDeadline());
    ps.setLong(i++, lifetime.lastAccessedAt());
    ps.setLong(i++, lifetime.lastAccessedAt());
    ps.setLong(i++, lifetime.lastAccessedAt());
    ps.setBytes(i++, r.tokenHash().toBytes());
    i = bindPrevious(ps, i, r.previousToken());
    i = bindAuthentication(ps, i, r.authentication());
    ps.setLong(i++, lifetime.absoluteDeadline());
    ps.setString(i++, r.client().addressOrNull());
    ps.setString(i++, r.client().userAgentOrNull());
    ps.setString(i++, sessionId);
    ps.setBytes(i++, expectedTokenHash.toBytes());
    return i;
  }

  private static int bindPrevious(PreparedStatement ps, int i, PreviousToken previous)
      throws SQLException {
    if (previous == null) {
      ps.setNull(i, Types.VARBINARY);
      ps.setNull(i + 1, Types.BIGINT);
      ps.setNull(i + 2, Types.VARCHAR);
    } else {
      ps.setBytes(i, previous.hash().toBytes());
      ps.setLong(i + 1, previous.validUntil());
      ps.setString(i + 2, previous.cause().name());
    }
    return i + 3;
  }

  private static int bindAuthentication(PreparedStatement ps, int i, Authentication a)
      throws SQLException {
    if (a == null) {
      ps.setNull(i, Types.VARCHAR);
      ps.setNull(i + 1, Types.BIGINT);
      ps.setNull(i + 2, Types.VARCHAR);
      ps.setNull(i + 3, Types.BIGINT);
      ps.setNull(i + 4, Types.VARBINARY);
    } else {
      ps.setString(i, a.principal());
      ps.setLong(i + 1, a.authenticatedAt());
      ps.setString(i + 2, a.method().name());
      ps.setLong(i + 3, a.interactiveAt());
      if (a.rememberMeSeries() == null) {
        ps.setNull(i + 4, Types.VARBINARY);
      } else {
        ps.setBytes(i + 4, a.rememberMeSeries().toBytes());
      }
    }
    return i + 5;
  }

  static Found read(ResultSet rows, AttributeCodec codec) throws SQLException {
    Map<String, Partial> byId = new LinkedHashMap<>();
    while (rows.next()) {
      String id = rows.getString(ID);
      Partial partial = byId.get(id);
      if (partial == null) {
        try {
          partial = new Partial(metadata(rows));
        } catch (RuntimeException corrupt) {
          // a row that no longer makes a valid session (wrong hash length, unknown method, ...)
          partial = new Partial(null);
          partial.unreadable = "corrupt session row (" + corrupt.getClass().getSimpleName() + ")";
        }
        byId.put(id, partial);
      }
      String name = rows.getString(ATTRIBUTE_NAME);
      if (name != null && partial.unreadable == null) {
        try {
          partial.attributes.put(name, codec.decode(name, rows.getBytes(ATTRIBUTE_VALUE)));
        } catch (AttributeCodecException e) {
          partial.unreadable = e.getMessage();
        }
      }
    }
    List<SessionRecord> sessions = new ArrayList<>(byId.size());
    List<Unreadable> unreadable = new ArrayList<>();
    for (Map.Entry<String, Partial> e : byId.entrySet()) {
      Partial p = e.getValue();
      if (p.unreadable != null) {
        unreadable.add(new Unreadable(e.getKey(), p.unreadable));
      } else {
        sessions.add(p.metadata.withAttributes(p.attributes));
      }
    }
    return new Found(sessions, unreadable);
  }

  private static SessionRecord metadata(ResultSet rows) throws SQLException {
    byte[] previousHash = rows.getBytes(PREVIOUS_HASH);
    PreviousToken previous = previousHash == null ? null : new PreviousToken(
        TokenHash.of(previousHash), rows.getLong(PREVIOUS_VALID_UNTIL),
        PreviousToken.Rotation.valueOf(rows.getString(PREVIOUS_CAUSE)));
    String principal = rows.getString(PRINCIPAL);
    Authentication authentication = null;
    if (principal != null) {
      byte[] series = rows.getBytes(SERIES);
      authentication = new Authentication(principal, rows.getLong(AUTHENTICATED_AT),
          AuthenticationMethod.valueOf(rows.getString(METHOD)), rows.getLong(INTERACTIVE_AT),
          series == null ? null : TokenHash.of(series));
    }
    Lifetime lifetime = new Lifetime(rows.getLong(CREATED_AT), rows.getLong(LAST_ACCESSED_AT),
        rows.getLong(IDLE_TIMEOUT), rows.getLong(ABSOLUTE_DEADLINE));
    return new SessionRecord(rows.getString(ID), TokenHash.of(rows.getBytes(TOKEN_HASH)), previous,
        authentication, lifetime,
        ClientInfo.of(rows.getString(CLIENT_ADDRESS), rows.getString(USER_AGENT)), Map.of());
  }

  /** A session being assembled from its rows. */
  private static final class Partial {
    final SessionRecord metadata;
    final Map<String, Object> attributes = new HashMap<>();
    String unreadable;

    Partial(SessionRecord metadata) {
      this.metadata = metadata;
    }
  }
}
