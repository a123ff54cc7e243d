// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Wraps a real DataSource and records, for each committed transaction, how many rows the prepared
 * statements starting with a given text changed in it: to see how a store batches its work. It
 * also records the text of every statement prepared, to see which queries the store runs.
 */
final class RecordingDataSource {

  private final String sqlPrefix;
  /** Rows changed by the matching statements, per committed transaction. */
  final List<Integer> rowsPerTransaction = new CopyOnWriteArrayList<>();
  /** Every statement prepared, in order. */
  final List<String> prepared = new CopyOnWriteArrayList<>();
  final DataSource dataSource;

  RecordingDataSource(DataSource real, String sqlPrefix) {
    this.sqlPrefix = sqlPrefix;
    this.dataSource = proxy(DataSource.class, real, (method, result, args) ->
        method.getName().equals("getConnection") ? connection((Connection) result) : result);
  }

  private Connection connection(Connection real) {
    int[] pending = {0};
    return proxy(Connection.class, real, (method, result, args) -> {
      switch (method.getName()) {
        case "prepareStatement":
          prepared.add((String) args[0]);
          return ((String) args[0]).startsWith(sqlPrefix)
              ? statement((PreparedStatement) result, pending) : result;
        case "commit":
          if (pending[0] > 0) {
            rowsPerTransaction.add(pending[0]);
          }
          pending[0] = 0;
          return result;
        case "rollback":
          pending[0] = 0;
          return result;
        default:
          return result;
      }
    });
  }

  private static PreparedStatement statement(PreparedStatement real, int[] pending) {
    return proxy(PreparedStatement.class, real, (method, result, args) -> {
      if (method.getName().equals("executeUpdate") && (args == null || args.length == 0)) {
        pending[0] += (Integer) result;
      }
      return result;
    });
  }

  /** What to return instead of a real call's result. */
  private interface After {
    Object apply(Method method, Object result, Object[] args);
  }

  private static <T> T proxy(Class<T> type, T real, After after) {
    InvocationHandler handler = (p, method, args) -> {
      try {
        return after.apply(method, method.invoke(real, args), args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        handler));
  }
}
