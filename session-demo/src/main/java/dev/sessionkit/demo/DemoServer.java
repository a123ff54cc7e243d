// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The runnable demo: an embedded Jetty 12 serving the web app in {@code webapp/} (its {@code
 * WEB-INF/web.xml} registers Sessionkit's filter). Command-line options override the filter's
 * init-params through a generated override descriptor, the way an operator would.
 */
public final class DemoServer implements AutoCloseable {

  private final Server server;
  private final Path overrideDescriptor;

  private DemoServer(Server server, Path overrideDescriptor) {
    this.server = server;
    this.overrideDescriptor = overrideDescriptor;
  }

  /** Starts the demo and prints its URL; a bad option prints one line and exits with status 2. */
  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(Arrays.asList(args));
    } catch (DemoOptions.BadOptionException e) {
      System.err.println("session-demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    DemoServer demo;
    try {
      demo = start(options, System.out);
    } catch (Exception e) {
      System.err.println("session-demo: cannot start: " + rootMessage(e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "session-demo-shutdown"));
    demo.server.join();
  }

  /** Starts the demo with {@code options}, printing the users and the ready line to {@code out}. */
  static DemoServer start(DemoOptions options, PrintStream out) throws Exception {
    Map<String, String> users = new LinkedHashMap<>(options.users());
    boolean generated = users.isEmpty();
    if (generated) {
      users.put("alice", randomPassword());
      users.put("bob", randomPassword());
    }
    UserDirectory directory = new UserDirectory();
    users.forEach(directory::put);

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(options.port());
    server.addConnector(connector);

    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    Resource base = ResourceFactory.of(server).newClassLoaderResource("webapp");
    if (base == null) {
      throw new IllegalStateException("the webapp resources are missing from the class path");
    }
    webapp.setBaseResource(base);
    webapp.setParentLoaderPriority(true);
    webapp.setThrowUnavailableOnStartupException(true);
    webapp.setAttribute(UserDirectory.ATTRIBUTE, directory);
    Path override = writeOverrideDescriptor(options);
    webapp.addOverrideDescriptor(override.toUri().toString());
    server.setHandler(webapp);
    server.start();

    DemoServer demo = new DemoServer(server, override);
    if (generated) {
      users.forEach((name, password) ->
          out.println("session-demo: user " + name + " password " + password));
    }
    out.println("session-demo: ready at " + demo.uri());
    return demo;
  }

  /** Returns the URL to open, such as {@code http://localhost:8080/}. */
  public URI uri() {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return URI.create("http://localhost:" + port + "/");
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      System.err.println("session-demo: stop failed: " + e);
    }
    try {
      Files.deleteIfExists(overrideDescriptor);
    } catch (IOException ignored) {
      // a temp file; the OS cleans it up
    }
  }

  private static Path writeOverrideDescriptor(DemoOptions options) throws IOException {
    Map<String, String> params = new LinkedHashMap<>(options.sessionParams());
    params.put("store", options.store());
    StringBuilder xml = new StringBuilder(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<web-app xmlns=\"https://jakarta.ee/xml/ns/"
            + "jakartaee\" version=\"6.0\">\n  <filter>\n    <filter-name>sessionkit</filter-name>\n");
    params.forEach((name, value) -> xml.append("    <init-param><param-name>").append(name)
        .append("</param-name><param-value>").append(xmlEscape(value))
        .append("</param-value></init-param>\n"));
    xml.append("  </filter>\n</web-app>\n");
    Path file = Files.createTempFile("session-demo-override", ".xml");
    Files.writeString(file, xml);
    file.toFile().deleteOnExit();
    return file;
  }

  private static String xmlEscape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String randomPassword() {
    byte[] bytes = new byte[9];
    new SecureRandom().nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
