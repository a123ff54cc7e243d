// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servlet-path application, running: embedded Jetty 12 ({@code "jetty"}) or embedded Tomcat
 * 11 ({@code "tomcat"}) on a free loopback port, {@link CounterServlet} at {@code /hit}, and one
 * of three session kinds:
 *
 * <ul>
 *   <li>{@code none}: the servlet answers without a session;
 *   <li>{@code container}: the servlet uses the container's own {@code HttpSession} (Jetty's
 *       {@code SessionHandler}, Tomcat's {@code StandardManager}: both in memory);
 *   <li>{@code sessionkit}: the servlet behind {@link SessionFilter} with the in-memory store
 *       (default configuration: 1 s touch interval).
 * </ul>
 *
 * <p>Starting it sends a first request, which starts the session, and a second one with the
 * cookie the first received, and checks that the second found the session under the right cookie
 * ({@code JSESSIONID}, {@code __Host-sid}, or none). {@link #cookie} is then what every later
 * request sends. Used by {@link ServletPathBenchmark} and {@link ServletPathMedians}.
 */
final class ServletApp implements AutoCloseable {

  /** The path of the servlet. */
  static final String PATH = "/hit";

  /** The application: reads (and on the first request writes) one session attribute. */
  public static final class CounterServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final boolean useSession;

    public CounterServlet(boolean useSession) {
      this.useSession = useSession;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String body = "ok";
      if (useSession) {
        HttpSession s = req.getSession();
        Object n = s.getAttribute("n");
        if (n == null) {
          s.setAttribute("n", 1);
        }
        body = "n=" + n;
      }
      resp.setContentType("text/plain");
      resp.getWriter().write(body);
    }
  }

  /** The container: {@code jetty} or {@code tomcat}. */
  final String server;
  /** The session kind: {@code none}, {@code container} or {@code sessionkit}. */
  final String session;
  /** The servlet's address. */
  final URI uri;
  /** The {@code Cookie} header every request sends after the first ({@code ""}: none). */
  final String cookie;
  /** The body of every answer after the first. */
  final String body;
  private final AutoCloseable running;

  private ServletApp(String server, String session, URI uri, String cookie,
      AutoCloseable running) {
    this.server = server;
    this.session = session;
    this.uri = uri;
    this.cookie = cookie;
    this.body = session.equals("none") ? "ok" : "n=1";
    this.running = running;
  }

  /**
   * Starts {@code server} with the {@code session} kind, sends the first two requests and checks
   * the second.
   *
   * @throws IllegalStateException if the second request did not find the first one's session, or
   *     carried other cookies than the session kind's
   */
  static ServletApp start(String server, String session) throws Exception {
    CounterServlet servlet = new CounterServlet(!session.equals("none"));
    SessionFilter filter = session.equals("sessionkit") ? new SessionFilter(
        SessionManager.builder().config(SessionConfig.defaults()).build()) : null;
    AutoCloseable[] running = new AutoCloseable[1];
    int port = server.equals("tomcat") ? startTomcat(servlet, filter, running)
        : startJetty(servlet, filter, session.equals("container"), running);
    URI uri = URI.create("http://127.0.0.1:" + port + PATH);
    try {
      ServletApp app = new ServletApp(server, session, uri, firstCookie(uri), running[0]);
      app.check();
      return app;
    } catch (Exception | Error e) {
      running[0].close();
      throw e;
    }
  }

  /** Sends the first request; returns the cookies it received as a {@code Cookie} header. */
  private static String firstCookie(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> first = client().send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return first.headers().allValues("Set-Cookie").stream()
        .map(c -> c.split(";", 2)[0])
        .reduce((a, b) -> a + "; " + b)
        .orElse("");
  }

  /** Returns the request every request after the first sends, through {@code java.net.http}. */
  HttpRequest request() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
    if (!cookie.isEmpty()) {
      builder.header("Cookie", cookie);
    }
    return builder.build();
  }

  /** Returns an HTTP/1.1 client, as the benchmark uses. */
  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private void check() throws IOException, InterruptedException {
    String check = client().send(request(), HttpResponse.BodyHandlers.ofString()).body();
    if (!check.equals(body)) {
      throw new IllegalStateException(server + "/" + session
          + ": the session did not survive a request: " + check);
    }
    boolean rightCookie = switch (session) {
      case "none" -> cookie.isEmpty();
      case "container" -> cookie.startsWith("JSESSIONID=") && !cookie.contains(";");
      default -> cookie.startsWith("__Host-sid=") && !cookie.contains(";");
    };
    if (!rightCookie) {
      throw new IllegalStateException(server + "/" + session + ": unexpected cookies "
          + cookie.replaceAll("=[^;]*", "=..."));
    }
  }

  /** Starts Jetty with {@code servlet} behind {@code filter} (if any); returns the port. */
  private static int startJetty(CounterServlet servlet, SessionFilter filter,
      boolean containerSessions, AutoCloseable[] running) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    if (containerSessions) {
      context.setSessionHandler(new SessionHandler());
    }
    context.addServlet(new ServletHolder(servlet), PATH);
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    jetty.setHandler(context);
    jetty.start();
    running[0] = jetty::stop;
    return connector.getLocalPort();
  }

  /**
   * Starts Tomcat with {@code servlet} behind {@code filter} (if any), with its default session
   * manager; returns the port.
   */
  private static int startTomcat(CounterServlet servlet, SessionFilter filter,
      AutoCloseable[] running) throws Exception {
    Path base = Files.createTempDirectory("servlet-path-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(context, "hit", servlet);
    context.addServletMappingDecoded(PATH, "hit");
    if (filter != null) {
      FilterDef def = new FilterDef();
      def.setFilterName("sessions");
      def.setFilter(filter);
      context.addFilterDef(def);
      FilterMap map = new FilterMap();
      map.setFilterName("sessions");
      map.addURLPattern("/*");
      context.addFilterMap(map);
    }
    tomcat.start();
    running[0] = () -> {
      tomcat.stop();
      tomcat.destroy();
    };
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    running.close();
  }
}
