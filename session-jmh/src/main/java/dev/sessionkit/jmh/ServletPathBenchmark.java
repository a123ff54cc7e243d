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
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
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
 * Whole requests through embedded Jetty 12 on loopback, one client thread with keep-alive, to
 * show what a session costs per request in a real server:
 *
 * <ul>
 *   <li>{@code none}: a servlet that answers without a session (the floor of this path);
 *   <li>{@code container}: the same servlet reading an attribute of the container's own {@code
 *       HttpSession} (Jetty's in-memory sessions), the request carrying its {@code JSESSIONID};
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

  /** Which session the servlet uses. */
  @Param({"none", "container", "sessionkit"})
  public String session;

  private Server server;
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
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    if (session.equals("container")) {
      context.setSessionHandler(new SessionHandler());
    }
    context.addServlet(new ServletHolder(new CounterServlet(!session.equals("none"))), "/hit");
    if (session.equals("sessionkit")) {
      SessionManager manager = SessionManager.builder().config(SessionConfig.defaults()).build();
      context.addFilter(new FilterHolder(new SessionFilter(manager)), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    }
    server.setHandler(context);
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/hit");
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
      throw new IllegalStateException(session + ": the session did not survive a request: "
          + check);
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    server.stop();
  }

  @Benchmark
  @Threads(1)
  public int request() throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
