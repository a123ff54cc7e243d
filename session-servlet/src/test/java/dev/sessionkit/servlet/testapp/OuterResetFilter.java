// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * An application filter in front of the SessionFilter that, as error-page filters of web
 * frameworks do, resets the container's response after the chain and forwards to another page
 * ({@code /app/path/plain}); only for {@code /app/path/outer-reset}. The reset drops every header
 * the SessionFilter wrote; the forward passes the SessionFilter again.
 */
public class OuterResetFilter implements Filter {

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(req, resp);
    if (!resp.isCommitted()) {
      resp.reset();
      req.getRequestDispatcher("/app/path/plain").forward(req, resp);
    }
  }
}
