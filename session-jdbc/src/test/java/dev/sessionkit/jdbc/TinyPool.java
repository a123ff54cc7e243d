// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal connection pool for the tests (one per simulated app server), so that the tests
 * measure the store rather than connection set-up. Connections go back to the pool on close; the
 * pool closes them all in {@link #close()}.
 */
final class TinyPool implements DataSource, AutoCloseable {

  private final DataSource source;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final List<Connection> all = new CopyOnWriteArrayList<>();

  TinyPool(DataSource source) {
    this.source = source;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = idle.pollFirst();
    if (real == null) {
      real = source.getConnection();
      all.add(real);
    }
    Connection pooled = real;
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              if (!closed[0]) {
                closed[0] = true;
                if (!pooled.getAutoCommit()) {
                  pooled.rollback();
                  pooled.setAutoCommit(true);
                }
                idle.addFirst(pooled);
              }
              return null;
            case "isClosed":
              return closed[0];
            default:
              if (closed[0]) {
                throw new SQLException("connection is closed");
              }
              try {
                return method.invoke(pooled, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
          }
        });
  }

  @Override
  public void close() throws SQLException {
    for (Connection c : all) {
      c.close();
    }
    all.clear();
    idle.clear();
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the test pool has one user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
