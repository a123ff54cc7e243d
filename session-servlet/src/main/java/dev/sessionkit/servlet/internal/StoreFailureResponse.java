// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.spi.SessionStoreException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The answer to a request whose session could not be decided because the store failed. */
public final class StoreFailureResponse {

  /** The body of the 503: short, plain, and free of any detail of the failure. */
  public static final String BODY = "503 Service Unavailable: sessions are unavailable right now."
      + " Please try again shortly.\n";

  private StoreFailureResponse() {}

  /** Returns the store failure in {@code t} or its causes, or {@code null}. */
  public static SessionStoreException find(Throwable t) {
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof SessionStoreException e) {
        return e;
      }
    }
    return null;
  }

  /**
   * Answers a store failure that left the request's session undecided: 503 with {@link #BODY}
   * while the response has not committed, and the request's session abandoned (no cookie, nothing
   * granted); after commit only the abandoning and the log line are left.
   *
   * @param what what the request was doing, for the log line
   * @return whether the 503 was sent
   */
  public static boolean failClosed(FilterContext ctx, RequestSession state,
      HttpServletResponse response, String what, SessionStoreException e) throws IOException {
    state.abandon();
    if (response.isCommitted()) {
      ctx.failures().failed(what + ", after the response had committed", e);
      return false;
    }
    ctx.failures().failed(what, e);
    send(response);
    return true;
  }

  /** Answers 503 with {@link #BODY} on a response that has not committed. */
  public static void send(HttpServletResponse response) throws IOException {
    response.reset();
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
