// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/** Embedded Jetty 12 (ee10) with several web applications. */
public final class JettyAppServer implements AppServer {

  private Server server;

  @Override
  public URI start(Map<String, Path> contexts) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ContextHandlerCollection apps = new ContextHandlerCollection();
    for (Map.Entry<String, Path> e : contexts.entrySet()) {
      WebAppContext webapp = new WebAppContext();
      webapp.setContextPath(e.getKey().isEmpty() ? "/" : e.getKey());
      webapp.setWar(e.getValue().toAbsolutePath().toString());
      webapp.setParentLoaderPriority(true);
      webapp.setThrowUnavailableOnStartupException(true);
      apps.addHandler(webapp);
    }
    server.setHandler(apps);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
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
