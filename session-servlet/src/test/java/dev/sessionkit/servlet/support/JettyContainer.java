// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10, Servlet 6.0) serving a web application directory. */
public final class JettyContainer implements ServletContainer {

  private final boolean forwarded;
  private Server server;

  /** A Jetty that reports the address of the connection's peer. */
  public JettyContainer() {
    this(false);
  }

  private JettyContainer(boolean forwarded) {
    this.forwarded = forwarded;
  }

  /**
   * Returns a Jetty set up to run behind a reverse proxy as Jetty documents it: a {@link
   * ForwardedRequestCustomizer} on the connector, so that {@code getRemoteAddr()} comes from the
   * {@code X-Forwarded-For} (or {@code Forwarded}) header.
   */
  public static JettyContainer behindAProxy() {
    return new JettyContainer(true);
  }

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
    HttpConfiguration config = new HttpConfiguration();
    if (forwarded) {
      config.addCustomizer(new ForwardedRequestCustomizer());
    }
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
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
    return forwarded ? "Jetty 12 (ee10) behind a proxy" : "Jetty 12 (ee10)";
  }
}
