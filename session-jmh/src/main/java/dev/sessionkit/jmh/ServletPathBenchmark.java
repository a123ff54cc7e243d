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
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole requests through embedded Jetty 12 and embedded Tomcat 11 ({@code server}) on loopback,
 * one client thread with keep-alive, to show what a session costs per request in a real server:
 *
 * <ul>
 *   <li>{@code none}: a servlet that answers without a session (the floor of this path);
 *   <li>{@code container}: the same servlet reading an attribute of the container's own {@code
 *       HttpSession} (Jetty's {@code SessionHandler}, Tomcat's {@code StandardManager}: both in
 *       memory), the request carrying its {@code JSESSIONID};
 *   <li>{@code sessionkit}: the same servlet behind {@link SessionFilter} with the in-memory store
 *       (default configuration: 1 s touch interval), the request carrying its {@code __Host-sid}.
 * </ul>
 *
 * <p>The client is {@code java.net.http.HttpClient} in the same JVM, so the absolute numbers
 * include its cost; the differences between the three are the per-request cost of the session.
 * {@code Summary} reports {@code 1/rate(sessionkit) - 1/rate(none)} and {@code
 * 1/rate(sessionkit) - 1/rate(container)}.
 *
 * <p>Run: {@code java -jar session-jmh/target/benchmarks.jar ServletPathBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class ServletPathBenchmark {

  /** The servlet container. */
  @Param({"jetty", "tomcat"})
  public String server;

  /** Which session the servlet uses. */
  @Param({"none", "container", "sessionkit"})
  public String session;

  private AutoCloseable running;
  private HttpClient client;
  private HttpRequest request;

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

  @Setup(Level.Trial)
  public void start() throws Exception {
    CounterServlet servlet = new CounterServlet(!session.equals("none"));
    SessionFilter filter = session.equals("sessionkit") ? new SessionFilter(
        SessionManager.builder().config(SessionConfig.defaults()).build()) : null;
    int port = server.equals("tomcat") ? startTomcat(servlet, filter)
        : startJetty(servlet, filter);
    URI uri = URI.create("http://127.0.0.1:" + port + "/hit");
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
    first.headers().allValues("Set-Cookie").stream()
        .map(c -> c.split(";", 2)[0])
        .reduce((a, b) -> a + "; " + b)
        .ifPresent(cookie -> builder.header("Cookie", cookie));
    request = builder.build();
    String check = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    String expected = session.equals("none") ? "ok" : "n=1";
    if (!check.equals(expected)) {
      throw new IllegalStateException(server + "/" + session
          + ": the session did not survive a request: " + check);
    }
    String cookie = request.headers().firstValue("Cookie").orElse("");
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

  /** Starts Jetty with {@code servlet} at /hit behind {@code filter} (if any); returns the port. */
  private int startJetty(CounterServlet servlet, SessionFilter filter) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    if (session.equals("container")) {
      context.setSessionHandler(new SessionHandler());
    }
    context.addServlet(new ServletHolder(servlet), "/hit");
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    jetty.setHandler(context);
    jetty.start();
    running = jetty::stop;
    return connector.getLocalPort();
  }

  /**
   * Starts Tomcat with {@code servlet} at /hit behind {@code filter} (if any), with its default
   * session manager; returns the port.
   */
  private int startTomcat(CounterServlet servlet, SessionFilter filter) throws Exception {
    Path base = Files.createTempDirectory("servlet-path-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(context, "hit", servlet);
    context.addServletMappingDecoded("/hit", "hit");
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
    running = () -> {
      tomcat.stop();
      tomcat.destroy();
    };
    return connector.getLocalPort();
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    running.close();
  }

  @Benchmark
  @Threads(1)
  public int request() throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
