// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import dev.sessionkit.SessionEndedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Turns Sessionkit's {@link SessionEndedException} into "start again": the session a request
 * worked on ended under it (a sign-out in another tab while the cart was written, a password
 * change elsewhere during a sign-in), which is no server error. The answer is a 409 page (or JSON)
 * that says so, never a 500 with a stack trace.
 */
public final class SessionEndedFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  static final String MESSAGE = "Your session ended while this request ran (signed out in another"
      + " tab or on another device, or timed out): sign in and start again.";

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (SessionEndedException e) {
      if (response.isCommitted()) {
        throw e;
      }
      response.resetBuffer();
      request.setAttribute(Page.SESSION_ENDED, Boolean.TRUE);
      if (Page.wantsJson(request)) {
        Page.json(request, response, 409, Page.ordered("error", "session ended",
            "startAgain", "/"));
      } else {
        Page.html(request, response, 409, "Start again", "<p class=\"error\" id=\"error\">"
            + Page.escape(MESSAGE) + "</p><p><a id=\"start-again\" href=\"/\">Start again</a></p>");
      }
    }
  }
}
