// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.jdbc.internal.DriverManagerDataSource;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory behind the servlet filter's {@code store} init-param, on in-process H2. */
class JdbcSessionStoreFactoryTest {

  private static final String JNDI_NAME = "java:comp/env/jdbc/sessions";

  private final String url = "jdbc:h2:mem:factory-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final JdbcSessionStoreFactory factory = new JdbcSessionStoreFactory();

  @AfterEach
  void unbind() {
    TestNaming.BINDINGS.clear();
  }

  private static Map<String, String> settings(String location, String... pairs) {
    Map<String, String> settings = new HashMap<>();
    settings.put(SessionStoreFactory.LOCATION, location);
    for (int i = 0; i < pairs.length; i += 2) {
      settings.put(pairs[i], pairs[i + 1]);
    }
    return settings;
  }

  private static void assertWorks(Stores stores) {
    assertThat(stores.sessions()).isInstanceOf(JdbcSessionStore.class)
        .isSameAs(stores.rememberMe());
    SessionManager manager = SessionManager.builder().stores(stores).build();
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    login.session().putAttribute("cart", List.of("apple"));
    assertThat(manager.resolve(login.token()).orElseThrow().getAttribute("cart"))
        .contains(List.of("apple"));
    assertThat(manager.resumeRememberMe(login.rememberMe().orElseThrow().value(),
        ClientInfo.NONE).issued()).isPresent();
  }

  private static JdbcSessionStore jdbc(Stores stores) {
    return (JdbcSessionStore) stores.sessions();
  }

  @Test
  void isFoundForJdbcUrlsAndJndiNamesOnly() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(SessionStoreFactory.forLocation("jdbc:postgresql://127.0.0.1:5432/test", loader))
        .containsInstanceOf(JdbcSessionStoreFactory.class);
    assertThat(SessionStoreFactory.forLocation("jndi:" + JNDI_NAME, loader))
        .containsInstanceOf(JdbcSessionStoreFactory.class);
    assertThat(factory.supports("redis://127.0.0.1:6379")).isFalse();
    assertThat(factory.supports("memory")).isFalse();
  }

  @Test
  void createsTheStoreAndItsSchemaFromAJdbcUrl() {
    try (Stores stores = factory.create(settings(url,
        JdbcSessionStoreFactory.TABLE_PREFIX, "app_sessions_"))) {
      assertThat(jdbc(stores).dialect()).isEqualTo(SqlDialect.H2);
      assertThat(jdbc(stores).sessionsTable()).isEqualTo("app_sessions_sessions");
      assertThat(jdbc(stores).principalsTable()).isEqualTo("app_sessions_principals");
      assertWorks(stores);
    }
  }

  @Test
  void looksTheDataSourceUpInJndi() {
    TestNaming.BINDINGS.put(JNDI_NAME, new DriverManagerDataSource(url, null, null));
    try (Stores stores = factory.create(settings("jndi:" + JNDI_NAME))) {
      assertThat(jdbc(stores).tablePrefix()).isEqualTo("sessionkit_");
      assertWorks(stores);
    }
  }

  @Test
  void aMissingOrWrongJndiBindingFailsNamingTheSetting() {
    assertThatThrownBy(() -> factory.create(settings("jndi:" + JNDI_NAME)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store: ")
        .hasMessageContaining("no DataSource is bound at JNDI name '" + JNDI_NAME + "'");

    TestNaming.BINDINGS.put(JNDI_NAME, "not a data source");
    assertThatThrownBy(() -> factory.create(settings("jndi:" + JNDI_NAME)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bound to a java.lang.String, not a javax.sql.DataSource");

    assertThatThrownBy(() -> factory.create(settings("jndi: ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a JNDI name must follow 'jndi:'");
  }

  @Test
  void badSettingsFailWithTheirName() {
    assertThatThrownBy(() -> factory.create(settings(url, JdbcSessionStoreFactory.DIALECT,
        "oracle"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.dialect: unknown SQL dialect 'oracle'");
    assertThatThrownBy(() -> factory.create(settings(url, JdbcSessionStoreFactory.TABLE_PREFIX,
        "Bad-Prefix"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.tablePrefix: table prefix must be");
    assertThatThrownBy(() -> factory.create(settings(url, JdbcSessionStoreFactory.CREATE_SCHEMA,
        "yes"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.createSchema must be true or false");
    assertThatThrownBy(() -> factory.create(settings(url,
        JdbcSessionStoreFactory.PURGE_BATCH_SIZE, "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.purgeBatchSize: ");
    assertThatThrownBy(() -> factory.create(settings(url,
        JdbcSessionStoreFactory.PURGE_BATCH_SIZE, "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.purgeBatchSize: purgeBatchSize must be 1 to 10000");
    assertThatThrownBy(() -> factory.create(settings(url,
        JdbcSessionStoreFactory.QUERY_TIMEOUT, "5 seconds")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jdbc.queryTimeout: not an ISO-8601 duration such as PT5S: 5 seconds");
    assertThatThrownBy(() -> factory.create(settings(url,
        JdbcSessionStoreFactory.QUERY_TIMEOUT, "PT1H")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.queryTimeout: queryTimeout must be between 0 and PT10M");
    assertThatThrownBy(() -> factory.create(settings(url,
        JdbcSessionStoreFactory.ALLOW_CLASSES, "com.example.*, *")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbc.allowClasses: ");
    assertThatThrownBy(() -> factory.create(settings("mongodb://localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store must be a JDBC URL");
  }

  @Test
  void aUrlWithoutADriverFailsClearlyWithoutItsCredentials() {
    assertThatThrownBy(() -> factory.create(
        settings("jdbc:nosuchdb://db.example/app?user=app&password=hunter2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no JDBC driver accepts jdbc:nosuchdb://db.example/app: none is"
            + " registered with DriverManager, nor (through META-INF/services/java.sql.Driver) in"
            + " the application's class loader")
        .hasMessageNotContaining("hunter2");
  }

  /**
   * A web application's driver jar (WEB-INF/lib) is invisible to DriverManager, which loaded its
   * drivers from the server's class path: the store finds the driver through the application's
   * class loader (the thread's context class loader while the filter starts).
   */
  @Test
  void aDriverOnlyTheApplicationsClassLoaderHoldsIsFound(@TempDir Path dir) throws Exception {
    try (URLClassLoader app = IsolatedDriver.classLoader(dir)) {
      String isolatedUrl = IsolatedDriver.PREFIX + "mem:isolated-" + UUID.randomUUID()
          + ";DB_CLOSE_DELAY=-1";
      assertThatThrownBy(() -> java.sql.DriverManager.getDriver(isolatedUrl))
          .isInstanceOf(java.sql.SQLException.class);
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(app);
      Stores stores;
      try {
        stores = factory.create(settings(isolatedUrl));
      } finally {
        thread.setContextClassLoader(before);
      }
      try (stores) {
        assertWorks(stores);
      }
      DriverManagerDataSource direct = new DriverManagerDataSource(isolatedUrl, null, null, app);
      assertThat(direct.driverOutsideDriverManager().getName()).isEqualTo(IsolatedDriver.CLASS);
      assertThat(direct.driverOutsideDriverManager().getClassLoader()).isSameAs(app);
      direct.close();
    }
  }

  @Test
  void allowClassesExtendsTheCodecsAllowList() {
    Map<String, String> base = settings(url, JdbcSessionStoreFactory.ALLOW_CLASSES,
        "com.example.*, " + Gadget.class.getName());
    try (Stores stores = factory.create(base)) {
      SessionManager manager = SessionManager.builder().stores(stores).build();
      IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
      login.session().putAttribute("gadget", new Gadget("allowed"));
      assertThat(manager.resolve(login.token()).orElseThrow().getAttribute("gadget"))
          .hasValueSatisfying(v -> assertThat(((Gadget) v).payload).isEqualTo("allowed"));
    }
  }

  @Test
  void withoutCreateSchemaTheTablesAreLeftToTheAdministrator() {
    try (Stores stores = factory.create(settings(url,
        JdbcSessionStoreFactory.CREATE_SCHEMA, "false"))) {
      assertThatThrownBy(() -> stores.sessions().findById("0123456789abcdef"))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("findById")
          .hasMessageContaining("do not exist: create them with JdbcSessionStore.createSchema()");
      jdbc(stores).createSchema();
      assertThat(stores.sessions().findById("0123456789abcdef")).isEmpty();
    }
  }

  @Test
  void aStatedDialectLetsTheStoreStartWhileTheDatabaseIsDown() {
    String down = "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2";
    assertThatThrownBy(() -> factory.create(settings(down)))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("detect the SQL dialect");

    try (Stores stores = factory.create(settings(down, JdbcSessionStoreFactory.DIALECT,
        "postgresql", JdbcSessionStoreFactory.CREATE_SCHEMA, "false"))) {
      assertThat(jdbc(stores).dialect()).isEqualTo(SqlDialect.POSTGRESQL);
      assertThatThrownBy(() -> stores.sessions().findById("0123456789abcdef"))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("findById");
    }
  }
}
