// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error answer for what never reaches the web app's error page (a request line or header
 * Jetty cannot parse, a body it cannot decode after the web app gave up, a failure while an
 * error page was written): a plain page that names the status only, never a message, a cause, a
 * servlet or a stack trace, with the security headers of every other page.
 */
final class PlainErrorHandler extends ErrorHandler {

  PlainErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
    setShowMessageInTitle(false);
    setShowOrigin(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 && response.getStatus() <= 599
        ? response.getStatus() : 500;
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    SecurityHeadersFilter.HEADERS.forEach(headers::put);
    headers.put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, page(status), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    SecurityHeadersFilter.HEADERS.forEach(fields::put);
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8"));
    return ByteBuffer.wrap(page(status).getBytes(StandardCharsets.UTF_8));
  }

  static String page(int status) {
    String text = ErrorServlet.text(status);
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + text
        + " · Sessionkit demo</title></head><body><h1>" + text
        + "</h1><p><a href=\"/\">Home</a></p></body></html>\n";
  }
}
