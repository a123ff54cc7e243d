// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.jdbc;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A JDBC driver that only a class loader of its own holds, as a web application's {@code
 * WEB-INF/lib} holds its driver: compiled at test time into a directory that is on no class path,
 * registered in that directory's {@code META-INF/services/java.sql.Driver}, and registering itself
 * with {@code DriverManager} when its class initialises (as real drivers do), where code of other
 * class loaders cannot see it. It serves {@code jdbc:isolated-h2:...} by H2.
 */
final class IsolatedDriver {

  static final String CLASS = "isolated.IsolatedH2Driver";
  static final String PREFIX = "jdbc:isolated-h2:";

  private static final String SOURCE = """
      package isolated;

      import java.sql.*;
      import java.util.Properties;
      import java.util.logging.Logger;

      public final class IsolatedH2Driver implements Driver {
        static {
          try {
            DriverManager.registerDriver(new IsolatedH2Driver());
          } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
          }
        }

        private static final String PREFIX = "%s";

        public boolean acceptsURL(String url) {
          return url != null && url.startsWith(PREFIX);
        }

        public Connection connect(String url, Properties info) throws SQLException {
          return acceptsURL(url)
              ? new org.h2.Driver().connect("jdbc:h2:" + url.substring(PREFIX.length()), info)
              : null;
        }

        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
          return new DriverPropertyInfo[0];
        }

        public int getMajorVersion() { return 1; }
        public int getMinorVersion() { return 0; }
        public boolean jdbcCompliant() { return false; }
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
          throw new SQLFeatureNotSupportedException();
        }
      }
      """.formatted(PREFIX);

  private IsolatedDriver() {}

  /**
   * Compiles the driver into {@code dir} and returns a class loader of that directory whose parent
   * is the tests' class loader (for H2 and the JDK).
   */
  static URLClassLoader classLoader(Path dir) throws IOException {
    Path source = dir.resolve("src/isolated/IsolatedH2Driver.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, SOURCE, StandardCharsets.UTF_8);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", classes.toString(), "-classpath",
        System.getProperty("java.class.path"), source.toString());
    if (status != 0) {
      throw new IllegalStateException("could not compile the isolated driver: javac " + status);
    }
    Path services = classes.resolve("META-INF/services/java.sql.Driver");
    Files.createDirectories(services.getParent());
    Files.write(services, List.of(CLASS), StandardCharsets.UTF_8);
    return new URLClassLoader(new URL[] {classes.toUri().toURL()},
        IsolatedDriver.class.getClassLoader());
  }
}
