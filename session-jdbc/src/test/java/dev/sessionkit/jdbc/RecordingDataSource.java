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
 * Wraps a real DataSource and records, for each prepared statement whose SQL starts with a given
 * text, how many rows each {@code executeUpdate} changed: to see how a store batches its work.
 */
final class RecordingDataSource {

  private final String sqlPrefix;
  final List<Integer> updateCounts = new CopyOnWriteArrayList<>();
  final DataSource dataSource;

  RecordingDataSource(DataSource real, String sqlPrefix) {
    this.sqlPrefix = sqlPrefix;
    this.dataSource = proxy(DataSource.class, real, (method, result, args) ->
        method.getName().equals("getConnection") ? connection((Connection) result) : result);
  }

  private Connection connection(Connection real) {
    return proxy(Connection.class, real, (method, result, args) ->
        method.getName().equals("prepareStatement") && ((String) args[0]).startsWith(sqlPrefix)
            ? statement((PreparedStatement) result) : result);
  }

  private PreparedStatement statement(PreparedStatement real) {
    return proxy(PreparedStatement.class, real, (method, result, args) -> {
      if (method.getName().equals("executeUpdate") && (args == null || args.length == 0)) {
        updateCounts.add((Integer) result);
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
