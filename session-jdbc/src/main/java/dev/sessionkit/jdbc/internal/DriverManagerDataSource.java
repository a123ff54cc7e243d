// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The smallest {@link DataSource}: a new {@link DriverManager} connection for every call, no pool.
 * Enough for a demo or a test; production applications pass their own pooled DataSource.
 * {@link #toString()} shows the URL without credentials.
 */
public final class DriverManagerDataSource implements DataSource {

  private static final Pattern CREDENTIALS_IN_AUTHORITY = Pattern.compile("//[^/@]*@");

  private final String url;
  private final Properties properties;

  /**
   * Creates the data source.
   *
   * @param user the user, or {@code null} to take it from the URL
   * @param password the password, or {@code null} to take it from the URL
   * @throws IllegalArgumentException if no driver on the class path accepts the URL
   */
  public DriverManagerDataSource(String url, String user, String password) {
    this.url = Objects.requireNonNull(url, "url");
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      throw new IllegalArgumentException("no JDBC driver on the class path accepts "
          + redact(url) + ": add the database's driver jar to the application");
    }
  }

  /** Returns {@code url} without its parameters or credentials, safe to log. */
  public static String redact(String url) {
    String cut = url;
    int end = cut.length();
    for (char c : new char[] {'?', ';'}) {
      int i = cut.indexOf(c);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    cut = cut.substring(0, end);
    return CREDENTIALS_IN_AUTHORITY.matcher(cut).replaceFirst("//");
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, properties);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection(url, p);
  }

  @Override
  public PrintWriter getLogWriter() {
    return DriverManager.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    DriverManager.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "DriverManagerDataSource[" + redact(url) + "]";
  }
}
