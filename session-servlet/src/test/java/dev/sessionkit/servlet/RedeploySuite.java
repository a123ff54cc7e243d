// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.SessionManager;
import dev.sessionkit.jdbc.JdbcSessionStore;
import dev.sessionkit.redis.RedisSessionStore;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ScopedBrowser;
import dev.sessionkit.servlet.support.Services;
import dev.sessionkit.servlet.support.TestWebapp;
import dev.sessionkit.servlet.support.TomcatAppServer;
import dev.sessionkit.servlet.testapp.ActionServlet;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undeploying and redeploying an application that uses sessions (logins, remember-me, token
 * hashing on many request threads) on a real Tomcat leaves nothing behind: Tomcat's class loader
 * reports no thread, thread-local or JDBC driver of the application on stop. The application is
 * packaged as one is deployed: Sessionkit's classes in {@code WEB-INF/classes}, the store's
 * libraries (H2, Lettuce and Netty) in {@code WEB-INF/lib}, so that Tomcat's web application class
 * loader loads them and can tell their leaks.
 */
abstract class RedeploySuite {

  /** Where Tomcat reports what an application left behind when it stopped. */
  private static final String LEAK_LOGGER = "org.apache.catalina.loader.WebappClassLoaderBase";

  /** Held strongly: java.util.logging keeps loggers weakly, and a new one has no handler. */
  private static final Logger LEAKS = Logger.getLogger(LEAK_LOGGER);

  @TempDir
  Path dir;

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record.getLevel() + " " + record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private TomcatAppServer server;

  /** Returns a new, stopped server. */
  abstract TomcatAppServer newServer();

  @BeforeEach
  void captureLeakReports() {
    LEAKS.addHandler(capture);
  }

  @AfterEach
  void stop() {
    LEAKS.removeHandler(capture);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void redeployingAnApplicationOnTheMemoryStoreLeaksNothing() throws Exception {
    redeployTwice(Map.of(), List.of());
  }

  /** The H2 driver is in WEB-INF/lib only, where DriverManager cannot see it. */
  @Test
  void redeployingAnApplicationOnAJdbcStoreWithItsDriverInWebInfLibLeaksNothing()
      throws Exception {
    redeployTwice(Map.of("store", "jdbc:h2:mem:redeploy-" + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE"), List.of("h2-"));
  }

  @Test
  void redeployingAnApplicationOnTheRedisStoreLeaksNothing() throws Exception {
    Services.requireRedis();
    redeployTwice(Map.of("store", Services.REDIS_URI,
        "redis-key-prefix", "skredeploy:" + UUID.randomUUID() + ":"),
        List.of("lettuce-core-", "netty-", "reactor-core-", "reactive-streams-"));
  }

  /**
   * Deploys, uses, undeploys and redeploys the application twice.
   *
   * @param libraries the file name prefixes of the class path jars the application ships in
   *     WEB-INF/lib (its store's libraries only: a JDBC driver in WEB-INF/lib that the test's own
   *     class path has registered too would be reported by Tomcat's own check, which loads it)
   */
  private void redeployTwice(Map<String, String> filterParams, List<String> libraries)
      throws Exception {
    Path app = packaged(filterParams, libraries);
    server = newServer();
    Http http = new Http(server.start(Map.of("/app", app)));
    useSessions(http);
    for (int round = 0; round < 2; round++) {
      server.undeploy("/app");
      server.deploy("/app", app);
      useSessions(http);
    }
    server.undeploy("/app");

    assertThat(warnings).as("what Tomcat reported when the application stopped").isEmpty();
  }

  /** Logins with remember-me, parallel requests on many of Tomcat's threads, a logout. */
  private static void useSessions(Http http) throws Exception {
    ScopedBrowser browser = new ScopedBrowser(http);
    assertThat(browser.get("/app/do/login?user=alice&remember=true").status()).isEqualTo(200);
    String cookies = browser.cookieHeader("/app/do/whoami");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Reply>> requests = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        requests.add(() -> http.get("/app/do/whoami", cookies));
      }
      for (Future<Reply> reply : pool.invokeAll(requests, 60, TimeUnit.SECONDS)) {
        assertThat(reply.get().line("user")).isEqualTo("alice");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(browser.get("/app/do/logout").status()).isEqualTo(200);
    assertThat(browser.get("/app/do/whoami").line("user")).isEqualTo("-");
  }

  /**
   * Writes the application as it would be deployed: Sessionkit's classes and the test servlets in
   * WEB-INF/classes, the store libraries in WEB-INF/lib.
   */
  private Path packaged(Map<String, String> filterParams, List<String> libraries)
      throws Exception {
    Path app = TestWebapp.write(dir.resolve("app"), filterParams);
    Path classes = Files.createDirectories(app.resolve("WEB-INF/classes"));
    Path lib = Files.createDirectories(app.resolve("WEB-INF/lib"));
    for (Class<?> module : List.of(SessionManager.class, SessionFilter.class,
        JdbcSessionStore.class, RedisSessionStore.class)) {
      // target/classes when the IDE or `mvn test` runs the suite, the module's jar under `verify`
      Path location = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        copyTree(location, classes);
      } else if (!Files.exists(lib.resolve(location.getFileName().toString()))) {
        Files.copy(location, lib.resolve(location.getFileName().toString()));
      }
    }
    Path testClasses = Path.of(ActionServlet.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    copyTree(testClasses.resolve("dev/sessionkit/servlet/testapp"),
        classes.resolve("dev/sessionkit/servlet/testapp"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (name.endsWith(".jar") && libraries.stream().anyMatch(name::startsWith)
          && !Files.exists(lib.resolve(name))) {
        Files.copy(jar, lib.resolve(name));
      }
    }
    return app;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!Files.exists(target)) {
          Files.copy(f, target);
        }
      }
    }
  }
}
