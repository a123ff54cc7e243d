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
import org.apache.tomcat.util.scan.StandardJarScanner;

/** Embedded Tomcat 11 (Servlet 6.1) serving a web application directory. */
public final class TomcatContainer implements ServletContainer {

  private Tomcat tomcat;
  private Path baseDir;

  @Override
  public URI start(Path webappDir) throws Exception {
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
    try {
      if (tomcat != null) {
        tomcat.stop();
        tomcat.destroy();
        tomcat = null;
      }
      if (baseDir != null) {
        try (java.util.stream.Stream<Path> files = Files.walk(baseDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        baseDir = null;
      }
    } catch (Exception e) {
      throw new IllegalStateException("Tomcat did not stop", e);
    }
  }

  @Override
  public String toString() {
    return "Tomcat 11";
  }
}
