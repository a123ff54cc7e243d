// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10, Servlet 6.0) serving a web application directory. */
public final class JettyContainer implements ServletContainer {

  private Server server;

  @Override
  public URI start(Path webappDir) throws Exception {
    WebAppContext webapp = webapp(webappDir);
    webapp.setThrowUnavailableOnStartupException(true);
    int port = startServer(webapp);
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  @Override
  public Throwable startExpectingFailure(Path webappDir) throws Exception {
    WebAppContext webapp = webapp(webappDir);
    webapp.setThrowUnavailableOnStartupException(true);
    try {
      startServer(webapp);
    } catch (Exception e) {
      return e;
    }
    return webapp.getUnavailableException();
  }

  private static WebAppContext webapp(Path dir) {
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(dir.toAbsolutePath().toString());
    // The test classes (servlets, the filter) come from the test class path.
    webapp.setParentLoaderPriority(true);
    return webapp;
  }

  private int startServer(WebAppContext webapp) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(webapp);
    server.start();
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("Jetty did not stop", e);
      }
      server = null;
    }
  }

  @Override
  public String toString() {
    return "Jetty 12 (ee10)";
  }
}
