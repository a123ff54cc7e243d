package dev.sessionkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/** Set-based statements over lists of keys ({@code ... WHERE key IN (?, ?, ...)}), chunked. */
final class KeyLists {

  /** Most keys bound in one IN list. */
  static final int MAX_IN_LIST = 1000;

  private KeyLists() {}

  /**
   * Runs {@code prefix + (?, ..., ?)} (a DELETE ending in {@code IN }) for {@code keys}, after the
   * leading parameters {@code leading}, in chunks of at most {@link #MAX_IN_LIST} keys.
   *
   * @return how many rows were deleted
   */
  static int delete(Connection connection, String prefix, List<String> keys, Object... leading)
      throws SQLException {
    int deleted = 0;
    for (int from = 0; from < keys.size(); from += MAX_IN_LIST) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_IN_LIST));
      try (PreparedStatement ps =
          connection.prepareStatement(prefix + Sql.placeholders(chunk.size()))) {
        int i = bindAll(ps, 1, List.of(leading));
        bindAll(ps, i, chunk);
        deleted += ps.executeUpdate();
      }
    }
    return deleted;
  }

  /** Binds {@code values} (strings or longs) from parameter {@code index}; returns the next index. */
  static int bindAll(PreparedStatement ps, int index, Collection<?> values) throws SQLException {
    for (Object value : values) {
      if (value instanceof Long l) {
        ps.setLong(index++, l);
      } else {
        ps.setString(index++, (String) value);
      }
    }
    return index;
  }
}
