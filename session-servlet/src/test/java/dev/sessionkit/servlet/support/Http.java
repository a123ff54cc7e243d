// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends requests to the container under test with {@link HttpClient} (HTTP/1.1, no cookie handler,
 * no redirects followed), so that every Cookie and Set-Cookie header is the test's own. Bytes that
 * HttpClient refuses to send (control characters, raw UTF-8) go through {@link #raw}.
 */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  /** GETs {@code path} with one Cookie header per element of {@code cookieHeaders}. */
  public Reply get(String path, String... cookieHeaders) {
    return getAs(path, "Sessionkit-Test/1.0", cookieHeaders);
  }

  /** GETs {@code path} as the given user agent. */
  public Reply getAs(String path, String userAgent, String... cookieHeaders) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(20))
        .header("User-Agent", userAgent);
    for (String c : cookieHeaders) {
      b.header("Cookie", c);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** POSTs a form ({@code application/x-www-form-urlencoded}, already encoded) to {@code path}. */
  public Reply postForm(String path, String form, String userAgent, String... cookieHeaders) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(20))
        .header("User-Agent", userAgent)
        .header("Content-Type", "application/x-www-form-urlencoded");
    for (String c : cookieHeaders) {
      b.header("Cookie", c);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new AssertionError("POST " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GETs {@code path} over a plain socket, sending {@code cookieHeader} as raw bytes. */
  public Reply raw(String path, byte[]... cookieHeaders) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      socket.setSoTimeout(20_000);
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
          + "\r\nConnection: close\r\nUser-Agent: Sessionkit-Raw/1.0\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      for (byte[] c : cookieHeaders) {
        req.writeBytes("Cookie: ".getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(c);
        req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      return parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new AssertionError("raw GET " + path + " failed", e);
    }
  }

  private static Reply parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    String body = text.substring(end + 4);
    return new Reply(status, headers, body);
  }

  /** Reads a stream fully (for tests that stream). */
  static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
