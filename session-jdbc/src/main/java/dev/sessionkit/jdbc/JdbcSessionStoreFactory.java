// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.jdbc.internal.DriverManagerDataSource;
import dev.sessionkit.jdbc.internal.JndiDataSources;
import dev.sessionkit.spi.JavaSerializationCodec;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates a {@link JdbcSessionStore} from string settings, such as the servlet filter's init-params
 * (registered in {@code META-INF/services}, so {@link SessionStoreFactory#forLocation} finds it).
 * The one store keeps both sessions and remember-me series ({@link Stores#of}).
 *
 * <p>The location (setting {@value SessionStoreFactory#LOCATION}) is either
 *
 * <ul>
 *   <li>{@code jndi:NAME}, a container-managed, pooled DataSource looked up in JNDI, such as
 *       {@code jndi:java:comp/env/jdbc/sessions} (the recommended form in production); or
 *   <li>a JDBC URL, {@code jdbc:...}, such as {@code
 *       jdbc:postgresql://127.0.0.1:5432/app?user=app}: the store then opens a new connection
 *       for every operation, without a pool, through {@link java.sql.DriverManager} or, where
 *       that knows no driver for the URL (a driver jar in a web application's {@code
 *       WEB-INF/lib}), through the driver that the thread's context class loader registers in
 *       {@code META-INF/services/java.sql.Driver}. That suits a
 *       demo or a small app; production applications should use JNDI or build the store from
 *       their own pooled DataSource with {@link JdbcSessionStore#builder}.
 * </ul>
 *
 * <p>Optional settings (every one is checked; a bad value fails with a message naming it):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #USER}, {@value #PASSWORD}</td><td>from the URL</td><td>credentials for a
 *       {@code jdbc:} location</td></tr>
 *   <tr><td>{@value #DIALECT}</td><td>detected</td><td>{@code postgresql}, {@code mariadb}
 *       (also MySQL) or {@code h2}</td></tr>
 *   <tr><td>{@value #TABLE_PREFIX}</td><td>{@code sessionkit_}</td><td>prefix of the table
 *       names</td></tr>
 *   <tr><td>{@value #CREATE_SCHEMA}</td><td>{@code true}</td><td>create missing tables at start
 *       ({@code false} where the database user may not run DDL)</td></tr>
 *   <tr><td>{@value #ALLOW_CLASSES}</td><td>none</td><td>comma-separated classes or package
 *       patterns ({@code com.example.Cart}, {@code com.example.shop.*}) added to the default
 *       codec's allow-list</td></tr>
 *   <tr><td>{@value #PURGE_BATCH_SIZE}</td><td>500</td><td>sessions deleted per purge
 *       transaction</td></tr>
 * </table>
 */
public final class JdbcSessionStoreFactory implements SessionStoreFactory {

  /** Setting: database user for a {@code jdbc:} location. */
  public static final String USER = "jdbc.user";
  /** Setting: database password for a {@code jdbc:} location. */
  public static final String PASSWORD = "jdbc.password";
  /** Setting: the SQL dialect. */
  public static final String DIALECT = "jdbc.dialect";
  /** Setting: the table prefix. */
  public static final String TABLE_PREFIX = "jdbc.tablePrefix";
  /** Setting: whether to create missing tables at start. */
  public static final String CREATE_SCHEMA = "jdbc.createSchema";
  /** Setting: classes or package patterns added to the codec's allow-list. */
  public static final String ALLOW_CLASSES = "jdbc.allowClasses";
  /** Setting: sessions deleted per purge transaction. */
  public static final String PURGE_BATCH_SIZE = "jdbc.purgeBatchSize";
  /** Setting: the query timeout of every statement, an ISO-8601 duration such as PT5S. */
  public static final String QUERY_TIMEOUT = "jdbc.queryTimeout";

  private static final String JNDI = "jndi:";
  private static final String JDBC = "jdbc:";

  /** Creates the factory (used by {@link java.util.ServiceLoader}). */
  public JdbcSessionStoreFactory() {}

  @Override
  public boolean supports(String location) {
    return location != null && (location.startsWith(JDBC) || location.startsWith(JNDI));
  }

  /**
   * Creates the store and, unless {@value #CREATE_SCHEMA} is {@code false}, its tables.
   *
   * @throws IllegalArgumentException if a setting is invalid or the database is not supported
   * @throws dev.sessionkit.spi.SessionStoreException if the database cannot be reached, or its
   *     tables under the prefix have the layout of an earlier version (when creating the schema)
   */
  @Override
  public Stores create(Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings");
    String location = settings.get(LOCATION);
    if (location == null || !supports(location.strip())) {
      throw new IllegalArgumentException(LOCATION + " must be a JDBC URL (jdbc:...) or a JNDI name"
          + " (jndi:java:comp/env/jdbc/...)");
    }
    DataSource dataSource = dataSource(location.strip(), settings);
    try {
      return create(dataSource, settings);
    } catch (RuntimeException e) {
      if (dataSource instanceof DriverManagerDataSource own) {
        own.close();
      }
      throw e;
    }
  }

  private static Stores create(DataSource dataSource, Map<String, String> settings) {
    JdbcSessionStore.Builder builder = JdbcSessionStore.builder(dataSource);
    if (dataSource instanceof DriverManagerDataSource own) {
      builder.closing(own);
    }
    String dialect = setting(settings, DIALECT);
    if (dialect != null) {
      builder.dialect(parse(DIALECT, () -> SqlDialect.fromName(dialect)));
    }
    String prefix = settings.get(TABLE_PREFIX);
    if (prefix != null) {
      parse(TABLE_PREFIX, () -> builder.tablePrefix(prefix.strip()));
    }
    String allow = setting(settings, ALLOW_CLASSES);
    if (allow != null) {
      String[] patterns = Arrays.stream(allow.split(",")).map(String::strip)
          .filter(p -> !p.isEmpty()).toArray(String[]::new);
      builder.codec(parse(ALLOW_CLASSES,
          () -> JavaSerializationCodec.builder().allow(patterns).build()));
    }
    String batch = setting(settings, PURGE_BATCH_SIZE);
    if (batch != null) {
      parse(PURGE_BATCH_SIZE, () -> builder.purgeBatchSize(Integer.parseInt(batch)));
    }
    String queryTimeout = setting(settings, QUERY_TIMEOUT);
    if (queryTimeout != null) {
      parse(QUERY_TIMEOUT, () -> builder.queryTimeout(duration(queryTimeout)));
    }
    boolean createSchema = parseBoolean(CREATE_SCHEMA, setting(settings, CREATE_SCHEMA), true);

    JdbcSessionStore store = builder.build();
    if (createSchema) {
      store.createSchema();
    }
    return Stores.of(store);
  }

  private static DataSource dataSource(String location, Map<String, String> settings) {
    if (location.startsWith(JNDI)) {
      String name = location.substring(JNDI.length()).strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(LOCATION + ": a JNDI name must follow 'jndi:'");
      }
      return JndiDataSources.lookup(name, LOCATION);
    }
    return new DriverManagerDataSource(location, settings.get(USER), settings.get(PASSWORD));
  }

  private static String setting(Map<String, String> settings, String key) {
    String value = settings.get(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static boolean parseBoolean(String key, String value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(key + " must be true or false: '" + value + "'");
  }

  private static Duration duration(String value) {
    try {
      return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO-8601 duration such as PT5S: " + value);
    }
  }

  private static <T> T parse(String key, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
