// SPDX-License-Identifier: Apache-2.0

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
   * Runs {@code prefix + (?, ..., ?)} (a DELETE or UPDATE ending in {@code IN }) for {@code keys},
   * after the leading parameters {@code leading}, in chunks of at most {@link #MAX_IN_LIST} keys.
   *
   * @return how many rows it changed
   */
  static int execute(Connection connection, String prefix, List<?> keys, Object... leading)
      throws SQLException {
    int changed = 0;
    for (int from = 0; from < keys.size(); from += MAX_IN_LIST) {
      List<?> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_IN_LIST));
      try (PreparedStatement ps =
          connection.prepareStatement(prefix + Sql.placeholders(chunk.size()))) {
        int i = bindAll(ps, 1, List.of(leading));
        bindAll(ps, i, chunk);
        changed += ps.executeUpdate();
      }
    }
    return changed;
  }

  /**
   * Binds {@code values} (strings, longs or byte arrays) from parameter {@code index}; returns the
   * next index.
   */
  static int bindAll(PreparedStatement ps, int index, Collection<?> values) throws SQLException {
    for (Object value : values) {
      if (value instanceof Long l) {
        ps.setLong(index++, l);
      } else if (value instanceof byte[] bytes) {
        ps.setBytes(index++, bytes);
      } else {
        ps.setString(index++, (String) value);
      }
    }
    return index;
  }
}
