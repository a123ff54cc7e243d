// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/**
 * Refuses cross-site form posts (login CSRF, forced logout, forced password change) with 403,
 * from the headers browsers send: {@code Sec-Fetch-Site: cross-site}, or an {@code Origin} whose
 * host and port differ from the request's {@code Host}. Clients that send neither (curl, API
 * clients) are not browsers riding on a user's cookies and pass. The session cookies'
 * {@code SameSite=Lax} already keeps them off cross-site posts; this also covers the login form,
 * which needs no cookie.
 */
public final class SameOriginFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    if ("POST".equals(request.getMethod()) && isCrossSite(request)) {
      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write("cross-site form posts are refused\n");
      return;
    }
    chain.doFilter(request, response);
  }

  static boolean isCrossSite(HttpServletRequest request) {
    String fetchSite = request.getHeader("Sec-Fetch-Site");
    if ("cross-site".equalsIgnoreCase(fetchSite)) {
      return true;
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return false;
    }
    String host = request.getHeader("Host");
    try {
      URI uri = URI.create(origin);
      String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return host == null || originHost == null || !originHost.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return true; // "null" or garbage: not this site
    }
  }
}
