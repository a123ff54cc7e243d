// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The smallest {@link DataSource}: a new connection for every call, no pool. Enough for a demo or a
 * test; production applications pass their own pooled DataSource. {@link #toString()} shows the
 * URL without credentials.
 *
 * <p>Finding the driver: {@link DriverManager} first; if it knows no driver for the URL, the
 * drivers registered in {@code META-INF/services/java.sql.Driver} of the application's class
 * loader (the thread's context class loader when the data source is created, then this class's
 * own), through {@link ServiceLoader}. That is where a web application's driver is: a driver jar
 * in {@code WEB-INF/lib} is invisible to {@code DriverManager}, which loaded its drivers from the
 * server's class path. A driver found that way is used directly, and {@link #close()} takes back
 * the registration that loading it made in {@code DriverManager} (a driver registers itself when
 * its class initialises), so that undeploying the application leaks no driver.
 */
public final class DriverManagerDataSource implements DataSource, AutoCloseable {

  private static final Pattern CREDENTIALS_IN_AUTHORITY = Pattern.compile("//[^/@]*@");

  private final String url;
  private final Properties properties;
  private final Driver driver;

  /**
   * Creates the data source, finding the driver through {@link DriverManager} or else through the
   * current thread's context class loader.
   *
   * @param user the user, or {@code null} to take it from the URL
   * @param password the password, or {@code null} to take it from the URL
   * @throws IllegalArgumentException if no driver accepts the URL
   */
  public DriverManagerDataSource(String url, String user, String password) {
    this(url, user, password, Thread.currentThread().getContextClassLoader());
  }

  /**
   * Creates the data source, finding the driver through {@link DriverManager} or else through
   * {@code loader} (the application's class loader; {@code null} for this class's only).
   *
   * @param user the user, or {@code null} to take it from the URL
   * @param password the password, or {@code null} to take it from the URL
   * @throws IllegalArgumentException if no driver accepts the URL
   */
  public DriverManagerDataSource(String url, String user, String password, ClassLoader loader) {
    this.url = Objects.requireNonNull(url, "url");
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    this.driver = knownToDriverManager(url) ? null : registeredDriver(url, loader);
  }

  private static boolean knownToDriverManager(String url) {
    try {
      DriverManager.getDriver(url);
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Returns the first driver that accepts {@code url} among those the loaders register. */
  private static Driver registeredDriver(String url, ClassLoader loader) {
    List<ClassLoader> loaders = new ArrayList<>();
    if (loader != null) {
      loaders.add(loader);
    }
    ClassLoader own = DriverManagerDataSource.class.getClassLoader();
    if (own != null && own != loader) {
      loaders.add(own);
    }
    List<String> broken = new ArrayList<>();
    for (ClassLoader l : loaders) {
      Iterator<Driver> drivers = ServiceLoader.load(Driver.class, l).iterator();
      while (true) {
        Driver candidate;
        try {
          if (!drivers.hasNext()) {
            break;
          }
          candidate = drivers.next();
        } catch (ServiceConfigurationError e) {
          broken.add(e.getMessage());
          continue;
        }
        try {
          if (candidate.acceptsURL(url)) {
            return candidate;
          }
        } catch (SQLException e) {
          // this driver cannot tell: try the others
        }
      }
    }
    throw new IllegalArgumentException("no JDBC driver accepts " + redact(url) + ": none is"
        + " registered with DriverManager, nor (through META-INF/services/java.sql.Driver) in the"
        + " application's class loader; add the database's driver jar to the application (for a"
        + " web application WEB-INF/lib, or the server's lib directory)"
        + (broken.isEmpty() ? "" : "; drivers that could not be loaded: "
            + String.join("; ", broken)));
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
    return connect(properties);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty("user", user);
    p.setProperty("password", password);
    return connect(p);
  }

  private Connection connect(Properties p) throws SQLException {
    if (driver == null) {
      return DriverManager.getConnection(url, p);
    }
    Connection c = driver.connect(url, p);
    if (c == null) {
      throw new SQLException("the JDBC driver " + driver.getClass().getName() + " refused "
          + redact(url), "08001");
    }
    return c;
  }

  /** Returns the class of the driver found outside {@link DriverManager}, if any (for tests). */
  public Class<?> driverOutsideDriverManager() {
    return driver == null ? null : driver.getClass();
  }

  /**
   * Takes back the {@link DriverManager} registration of a driver that this data source found
   * through the application's class loader (its class registered itself when it initialised).
   * Does nothing for a driver that {@code DriverManager} knew already. Harmless to call twice.
   */
  @Override
  public void close() {
    if (driver == null) {
      return;
    }
    for (Driver registered : Collections.list(DriverManager.getDrivers())) {
      if (registered.getClass() == driver.getClass()) {
        try {
          DriverManager.deregisterDriver(registered);
        } catch (SQLException | SecurityException e) {
          // not ours to remove after all (another class loader's view): leave it
        }
      }
    }
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
