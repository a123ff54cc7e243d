package dev.sessionkit.jdbc.internal;

import dev.sessionkit.AuthenticationMethod;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads sessions from the rows of a session query: one row per attribute (the session columns
 * repeated), or one row with null attribute columns for a session without attributes. Sessions
 * whose attributes do not decode, or whose session columns do not make a valid session, are
 * reported apart, so that the store can remove them.
 */
final class SessionRows {

  /** A session that cannot be read back, and why (the codec's message, naming no value). */
  record Unreadable(String sessionId, String reason) {}

  /** What a query found. */
  record Found(List<SessionRecord> sessions, List<Unreadable> unreadable) {}

  private SessionRows() {}

  static Found read(ResultSet rows, AttributeCodec codec) throws SQLException {
    Map<String, Partial> byId = new LinkedHashMap<>();
    while (rows.next()) {
      String id = rows.getString(1);
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
      String name = rows.getString(13);
      if (name != null && partial.unreadable == null) {
        try {
          partial.attributes.put(name, codec.decode(name, rows.getBytes(14)));
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
    String method = rows.getString(6);
    return new SessionRecord(
        rows.getString(1),
        TokenHash.of(rows.getBytes(2)),
        rows.getString(3),
        rows.getLong(4),
        rows.getLong(5),
        method == null ? null : AuthenticationMethod.valueOf(method),
        rows.getLong(7),
        rows.getLong(8),
        rows.getLong(9),
        rows.getString(10),
        rows.getString(11),
        rows.getString(12),
        Map.of());
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
