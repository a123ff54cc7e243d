// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The web app's error page for every status and exception ({@code <error-page>} in {@code
 * web.xml}): a short page in the demo's frame that names the status, never an exception, its
 * message or a stack trace (OWASP ASVS 16.5.1 / 4.0.3 7.4.1). Requested directly, it is a 404.
 */
public final class ErrorServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer c && c >= 400 && c <= 599 ? c : 404;
    if (Page.wantsJson(request)) {
      Page.json(request, response, status, Page.ordered("error", text(status)));
    } else {
      Page.html(request, response, status, text(status),
          "<p id=\"error\">" + Page.escape(explain(status)) + "</p>"
              + "<p><a href=\"/\">Home</a></p>");
    }
  }

  /** The status and its reason phrase, such as "400 Bad Request". */
  static String text(int status) {
    return status + " " + switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> status < 500 ? "Client Error" : "Server Error";
    };
  }

  private static String explain(int status) {
    if (status == 404) {
      return "There is no such page.";
    }
    return status < 500 ? "The request could not be handled as sent."
        : "Something went wrong on our side; the details are in the server's log.";
  }
}
