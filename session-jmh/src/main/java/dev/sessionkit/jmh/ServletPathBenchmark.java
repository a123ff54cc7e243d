// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
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
 * the application of {@link ServletApp} with each {@code session} kind ({@code none}: the floor of
 * this path; {@code container}: the container's own {@code HttpSession}, the request carrying its
 * {@code JSESSIONID}; {@code sessionkit}: {@code SessionFilter} with the in-memory store, the
 * request carrying its {@code __Host-sid}). {@link ServletPathMedians} times the last two as
 * medians of alternating single requests, which the shared machine disturbs less.
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

  private ServletApp app;
  private HttpClient client;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void start() throws Exception {
    app = ServletApp.start(server, session);
    client = ServletApp.client();
    request = app.request();
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    app.close();
  }

  @Benchmark
  @Threads(1)
  public int request() throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
