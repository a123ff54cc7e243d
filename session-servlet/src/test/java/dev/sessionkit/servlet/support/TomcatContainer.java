// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Embedded Tomcat serving a web application directory: Tomcat 11 (Servlet 6.1) or Tomcat 10.1
 * (Servlet 6.0), whichever the surefire execution put on the class path. The expected version is
 * checked at start, so that a class path mistake cannot run one suite twice on the same Tomcat.
 */
public final class TomcatContainer implements ServletContainer {

  private final String expectedVersionPrefix;
  private Tomcat tomcat;
  private Path baseDir;

  /** A container that must be of the Tomcat version starting with {@code expectedVersionPrefix}. */
  public TomcatContainer(String expectedVersionPrefix) {
    this.expectedVersionPrefix = expectedVersionPrefix;
  }

  /** Embedded Tomcat 11. */
  public static TomcatContainer tomcat11() {
    return new TomcatContainer("11.0.");
  }

  /** Embedded Tomcat 10.1. */
  public static TomcatContainer tomcat10() {
    return new TomcatContainer("10.1.");
  }

  @Override
  public URI start(Path webappDir) throws Exception {
    requireExpectedVersion();
    Context context = prepare(webappDir);
    tomcat.start();
    if (context.getState() != LifecycleState.STARTED) {
      throw new IllegalStateException("the web application did not start: " + context.getState());
    }
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/");
  }

  @Override
  public Throwable startExpectingFailure(Path webappDir) throws Exception {
    List<Throwable> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getThrown() != null) {
          logged.add(record.getThrown());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      requireExpectedVersion();
      Context context = prepare(webappDir);
      try {
        tomcat.start();
      } catch (Exception e) {
        logged.add(e);
      }
      if (context.getState() == LifecycleState.STARTED) {
        return null;
      }
      return logged.isEmpty()
          ? new IllegalStateException("context " + context.getState() + " without a logged cause")
          : logged.get(0);
    } finally {
      root.removeHandler(capture);
    }
  }

  private void requireExpectedVersion() {
    String version = ServerInfo.getServerNumber();
    if (!version.startsWith(expectedVersionPrefix)) {
      throw new IllegalStateException("expected Tomcat " + expectedVersionPrefix + "x on the class"
          + " path, found " + version + ": check the surefire execution's class path");
    }
  }

  private Context prepare(Path webappDir) throws Exception {
    baseDir = Files.createTempDirectory("sessionkit-tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp("", webappDir.toAbsolutePath().toString());
    // The test classes come from the class path; scanning its jars would only cost time.
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    return context;
  }

  @Override
  public void close() {
    stopAndDelete(tomcat, baseDir);
    tomcat = null;
    baseDir = null;
  }

  /** Stops and destroys {@code tomcat} and deletes its {@code baseDir}; either may be null. */
  static void stopAndDelete(Tomcat tomcat, Path baseDir) {
    try {
      if (tomcat != null) {
        tomcat.stop();
        tomcat.destroy();
      }
      if (baseDir != null) {
        try (java.util.stream.Stream<Path> files = Files.walk(baseDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("Tomcat did not stop", e);
    }
  }

  @Override
  public String toString() {
    return "Tomcat " + ServerInfo.getServerNumber();
  }
}
