// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One HTTP client with its own cookie jar, kept by hand from the {@code Set-Cookie} headers so
 * that tests see exactly what the server sent. Redirects are not followed.
 */
final class Browserless {

  private final URI base;
  /** Shared: it keeps no cookies (the jar is kept by hand), only connections. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  final Map<String, String> cookies = new LinkedHashMap<>();
  boolean json;

  Browserless(URI base) {
    this.base = base;
  }

  Browserless json() {
    this.json = true;
    return this;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  HttpResponse<String> post(String path, String... fields)
      throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** Sends with a raw Cookie header instead of the jar (for hostile headers). */
  HttpResponse<String> getWithCookieHeader(String path, String cookieHeader)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET()
        .header("Cookie", cookieHeader);
    if (json) {
      b.header("Accept", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException,
      InterruptedException {
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
    if (json) {
      b.header("Accept", "application/json");
    }
    b.header("User-Agent", "DemoHttpTest");
    HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (header.contains("Max-Age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }

  List<String> setCookies(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie");
  }

  /** The Set-Cookie headers of Sessionkit's two cookies (not the demo's own). */
  List<String> sessionkitCookies(HttpResponse<String> response) {
    return setCookies(response).stream().filter(c -> !c.startsWith(SessionIdCookie.NAME + "="))
        .toList();
  }

  /**
   * Sends {@code request} as raw bytes (for what an HTTP client refuses to send) and returns the
   * whole answer, head and body, as the server wrote it.
   */
  static String raw(URI base, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException | SocketException e) {
        // the server kept the connection open or reset it after answering: what came is the answer
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
