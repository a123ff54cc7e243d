// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The servlet pair of {@link ServletPathBenchmark} as medians of single requests: on embedded
 * Jetty 12 and on embedded Tomcat 11, the application of {@link ServletApp} with (b) the
 * container's own {@code HttpSession} and (c) Sessionkit's {@code SessionFilter} with the
 * in-memory store, both running in this process, requests alternating (b), (c), (b), (c)... each
 * over its own kept-alive loopback connection and timed with {@code System.nanoTime()}. A median
 * ignores the requests that a collection or another process interrupted, and the alternation
 * gives both the same machine at the same moment; JMH's iterations of seconds take turns instead.
 *
 * <p>The client is a blocking socket that writes the same HTTP/1.1 {@code GET} each time and
 * reads the answer (by {@code Content-Length}, or chunked): far less work than {@code
 * java.net.http.HttpClient} and no hand-over between client threads, so the server's share of
 * each figure, and the session's share of the server's, is larger than in the JMH benchmark. Every answer is checked,
 * untimed: status 200 and the body of a request that found the session its first request
 * started. Prints, per container and round, both medians and the time ratio (c)/(b), then the
 * median of the rounds' ratios and its inverse, the ratio of requests per second.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp session-jmh/target/benchmarks.jar dev.sessionkit.jmh.ServletPathMedians [requests [rounds]]
 * </pre>
 */
public final class ServletPathMedians {

  /** Medians in nanoseconds per request of (b) and (c) on one container. */
  record Medians(String server, long container, long sessionkit) {

    /** (c)'s time over (b)'s. */
    double timeRatio() {
      return (double) sessionkit / container;
    }
  }

  private ServletPathMedians() {}

  /**
   * Prints, per container, the medians of {@code requests} requests of each (default 10 000, after
   * as many to warm up) in each of {@code rounds} rounds (default 5), each round on newly started
   * servers, then the median of the rounds' ratios. Each server keeps its own state for its life
   * (which of its threads serve a connection, what the compiler made of its code), which can
   * favour one of the two for a whole round; new servers each round, and the median over the
   * rounds, keep that from deciding the figure.
   *
   * @param args the number of requests per round and the number of rounds, both optional
   * @throws Exception if a server does not start or a request fails
   */
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    for (String server : new String[] {"jetty", "tomcat"}) {
      double[] ratios = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        Medians m = measure(server, requests);
        ratios[round] = m.timeRatio();
        System.out.printf(Locale.ROOT, "%s round %d: (b) container HttpSession %.1f µs, (c)"
            + " Sessionkit filter %.1f µs per request: (c) takes %.3fx (b)'s time%n",
            server, round + 1, m.container() / 1000.0, m.sessionkit() / 1000.0, m.timeRatio());
      }
      Arrays.sort(ratios);
      double median = ratios[rounds / 2];
      System.out.printf(Locale.ROOT, "%s: median of %d rounds: (c) takes %.3fx (b)'s time, %.3fx"
          + " (b)'s requests/s (rounds %.3f to %.3f)%n", server, rounds, median, 1 / median,
          ratios[0], ratios[rounds - 1]);
    }
  }

  /** Measures on {@code server}: {@code requests} warm-up requests of each, then as many timed. */
  static Medians measure(String server, int requests) throws Exception {
    try (ServletApp b = ServletApp.start(server, "container");
        ServletApp c = ServletApp.start(server, "sessionkit");
        Connection toB = new Connection(b);
        Connection toC = new Connection(c)) {
      long[] timesB = new long[requests];
      long[] timesC = new long[requests];
      for (int pass = 0; pass < 2; pass++) { // the first pass warms up
        for (int r = 0; r < requests; r++) {
          long t0 = System.nanoTime();
          String body = toB.get();
          timesB[r] = System.nanoTime() - t0;
          toB.check(body);

          t0 = System.nanoTime();
          body = toC.get();
          timesC[r] = System.nanoTime() - t0;
          toC.check(body);
        }
      }
      return new Medians(server, median(timesB), median(timesC));
    }
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** One kept-alive HTTP/1.1 connection to an app, sending the request its session needs. */
  static final class Connection implements AutoCloseable {
    private final ServletApp app;
    private final byte[] request;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    Connection(ServletApp app) throws IOException {
      this.app = app;
      open();
      request = ("GET " + app.uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + app.uri.getPort()
          + "\r\n" + (app.cookie.isEmpty() ? "" : "Cookie: " + app.cookie + "\r\n") + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
    }

    private void open() throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), app.uri.getPort());
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    /**
     * Sends the request and returns the body of the answer. A server that closes the connection
     * after its answer (Tomcat does after 100 requests on one connection, as {@code
     * maxKeepAliveRequests} defaults) gets a new one at once, as {@code HttpClient} would open
     * one for the next request.
     */
    String get() throws IOException {
      out.write(request);
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.1 200 ")) {
        throw new IOException(app.server + "/" + app.session + ": answered " + status);
      }
      int length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring("content-length:".length()).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      String body = chunked ? chunkedBody() : fixedBody(length);
      if (close) {
        socket.close();
        open();
      }
      return body;
    }

    private String fixedBody(int length) throws IOException {
      if (length < 0) {
        throw new IOException(app.server + "/" + app.session + ": an answer without a length");
      }
      return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private String chunkedBody() throws IOException {
      StringBuilder body = new StringBuilder();
      for (int size = chunkSize(); size > 0; size = chunkSize()) {
        body.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
        line(); // the end of the chunk
      }
      while (!line().isEmpty()) { // trailers, then the empty line
      }
      return body.toString();
    }

    /** Throws unless {@code body} is what a request that found its session gets. */
    void check(String body) {
      if (!body.equals(app.body)) {
        throw new IllegalStateException(app.server + "/" + app.session
            + ": a request did not find its session: " + body);
      }
    }

    private int chunkSize() throws IOException {
      String line = line();
      int extension = line.indexOf(';');
      return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    /** Reads a line of the answer's head, without its CRLF. */
    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new EOFException(app.server + "/" + app.session + ": the connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
