// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import dev.sessionkit.servlet.SessionFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Sessionkit's {@link SessionFilter} around the demo's own {@link dev.sessionkit.SessionManager}
 * (built by {@link DemoServer} with listeners and, in tests, a controllable clock and store): its
 * place in the chain and its cookie init-params still come from {@code web.xml}.
 */
public final class DemoSessionFilter implements Filter {

  private SessionFilter delegate;

  @Override
  public void init(FilterConfig config) throws ServletException {
    delegate = new SessionFilter(DemoServices.of(config.getServletContext()).manager());
    delegate.init(config);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    delegate.doFilter(request, response, chain);
  }

  @Override
  public void destroy() {
    if (delegate != null) {
      delegate.destroy();
    }
  }
}
