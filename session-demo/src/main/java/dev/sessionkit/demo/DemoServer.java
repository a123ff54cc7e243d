// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The runnable demo: an embedded Jetty 12 serving the web app in {@code webapp/} (its {@code
 * WEB-INF/web.xml} registers Sessionkit's filter). The demo builds the {@link SessionManager}
 * itself, from the command-line options, with its listeners (why sessions ended, the cap on
 * anonymous sessions). It listens on the loopback address unless {@code --bind} says otherwise,
 * and what it prints never holds a password of the store location.
 */
public final class DemoServer implements AutoCloseable {

  /**
   * What tests replace: the clock of the manager and the sign-in throttle, and a wrapper around
   * the stores (an {@code InterleavingStore}, a {@code FaultInjectingStore}).
   */
  record Wiring(InstantSource clock, UnaryOperator<Stores> stores) {
    static final Wiring DEFAULT = new Wiring(InstantSource.system(), UnaryOperator.identity());
  }

  private final Server server;
  private final Stores stores;
  private final DemoServices services;

  private DemoServer(Server server, Stores stores, DemoServices services) {
    this.server = server;
    this.stores = stores;
    this.services = services;
  }

  /**
   * Starts the demo and prints its URL. {@code --help} prints the usage to standard output and
   * exits with 0; a bad option prints one line and exits with 2; a failed start prints one line
   * (passwords of the store location masked) and exits with 1.
   */
  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(Arrays.asList(args));
    } catch (DemoOptions.BadOptionException e) {
      System.err.println("session-demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(DemoOptions.USAGE);
      System.out.flush();
      System.exit(0);
      return;
    }
    DemoServer demo;
    try {
      demo = start(options, System.out);
    } catch (Exception e) {
      System.err.println("session-demo: cannot start: "
          + Redaction.redact(rootMessage(e), options.store()));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "session-demo-shutdown"));
    demo.server.join();
  }

  /** Starts the demo with {@code options}, printing the users and the ready line to {@code out}. */
  static DemoServer start(DemoOptions options, PrintStream out) throws Exception {
    return start(options, out, Wiring.DEFAULT);
  }

  /** Like {@link #start(DemoOptions, PrintStream)}, with a test's clock and store wrapper. */
  static DemoServer start(DemoOptions options, PrintStream out, Wiring wiring) throws Exception {
    Map<String, String> users = new LinkedHashMap<>(options.users());
    boolean generated = users.isEmpty();
    if (generated) {
      users.put("alice", randomPassword());
      users.put("bob", randomPassword());
    }
    UserDirectory directory = new UserDirectory();
    users.forEach(directory::put);

    Stores stores = wiring.stores().apply(openStores(options.store()));
    DemoServer demo;
    try {
      SignOutReasons reasons = new SignOutReasons(wiring.clock());
      AnonymousSessions anonymous = new AnonymousSessions(options.maxAnonymousSessions());
      SessionManager manager = SessionManager.builder().config(options.sessionConfig())
          .stores(stores).clock(wiring.clock()).listener(reasons).listener(anonymous).build();
      DemoServices services = new DemoServices(manager, directory,
          new LoginThrottle(wiring.clock()), reasons, anonymous, wiring.clock());
      demo = new DemoServer(startJetty(options, services), stores, services);
    } catch (Exception | Error e) {
      stores.close();
      throw e;
    }
    if (generated) {
      users.forEach((name, password) ->
          out.println("session-demo: user " + name + " password " + password));
    }
    out.println("session-demo: ready at " + demo.uri() + " (listening on " + options.bind() + ":"
        + demo.port() + ")");
    if (!isLoopback(options.bind())) {
      out.println("session-demo: warning: --bind " + options.bind() + " makes the demo reachable"
          + " from other machines; its cookies are Secure, so browsers keep them over https or on"
          + " localhost only");
    }
    return demo;
  }

  private static Server startJetty(DemoOptions options, DemoServices services) throws Exception {
    Server server = new Server();
    server.setErrorHandler(new PlainErrorHandler());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(options.bind());
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
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.setShowStacks(false);
    errors.setShowCauses(false);
    errors.setShowMessageInTitle(false);
    errors.setShowOrigin(false);
    webapp.setErrorHandler(errors);
    webapp.setAttribute(DemoServices.ATTRIBUTE, services);
    server.setHandler(webapp);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /** Opens the store of {@code --store}: memory, or a location a store module supports. */
  static Stores openStores(String location) {
    if (location.equals("memory")) {
      return Stores.of(InMemorySessionStore.create());
    }
    ClassLoader loader = DemoServer.class.getClassLoader();
    SessionStoreFactory factory = SessionStoreFactory.forLocation(location, loader)
        .orElseThrow(() -> new IllegalArgumentException("no store module on the class path"
            + " supports " + Redaction.redact(location, location)));
    return factory.create(Map.of(SessionStoreFactory.LOCATION, location));
  }

  /** Returns the URL to open, such as {@code http://localhost:8080/}. */
  public URI uri() {
    return URI.create("http://localhost:" + port() + "/");
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Returns the address the demo listens on. */
  String host() {
    return ((ServerConnector) server.getConnectors()[0]).getHost();
  }

  DemoServices services() {
    return services;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      System.err.println("session-demo: stop failed: " + e);
    }
    stores.close();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
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
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
