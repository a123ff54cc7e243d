// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Embedded Tomcat (11 or 10.1, whichever the surefire execution put on the class path, checked at
 * start) with several web applications, each with Tomcat's default settings.
 */
public final class TomcatAppServer implements AppServer {

  private final String expectedVersionPrefix;
  private Tomcat tomcat;
  private Path baseDir;

  /** A server that must be of the Tomcat version starting with {@code expectedVersionPrefix}. */
  public TomcatAppServer(String expectedVersionPrefix) {
    this.expectedVersionPrefix = expectedVersionPrefix;
  }

  @Override
  public URI start(Map<String, Path> contexts) throws Exception {
    String version = ServerInfo.getServerNumber();
    if (!version.startsWith(expectedVersionPrefix)) {
      throw new IllegalStateException("expected Tomcat " + expectedVersionPrefix + "x on the class"
          + " path, found " + version + ": check the surefire execution's class path");
    }
    baseDir = Files.createTempDirectory("sessionkit-apps");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    for (Map.Entry<String, Path> e : contexts.entrySet()) {
      addWebapp(e.getKey(), e.getValue());
    }
    tomcat.start();
    for (org.apache.catalina.Container child : tomcat.getHost().findChildren()) {
      if (child.getState() != LifecycleState.STARTED) {
        throw new IllegalStateException("web application " + child.getName() + " did not start: "
            + child.getState());
      }
    }
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/");
  }

  private Context addWebapp(String contextPath, Path dir) {
    Context context = tomcat.addWebapp(contextPath, dir.toAbsolutePath().toString());
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    return context;
  }

  /** Deploys a web application on the running server, as a redeploy does. */
  public void deploy(String contextPath, Path dir) {
    Context context = addWebapp(contextPath, dir);
    if (context.getState() != LifecycleState.STARTED) {
      throw new IllegalStateException("web application " + contextPath + " did not start: "
          + context.getState());
    }
  }

  /** Undeploys a web application (stops and removes its context), as a redeploy does. */
  public void undeploy(String contextPath) {
    org.apache.catalina.Container context = tomcat.getHost().findChild(contextPath);
    if (context == null) {
      throw new IllegalStateException("no web application at " + contextPath);
    }
    tomcat.getHost().removeChild(context);
  }

  @Override
  public void close() {
    TomcatContainer.stopAndDelete(tomcat, baseDir);
    tomcat = null;
    baseDir = null;
  }

  @Override
  public String toString() {
    return "Tomcat " + ServerInfo.getServerNumber();
  }
}
