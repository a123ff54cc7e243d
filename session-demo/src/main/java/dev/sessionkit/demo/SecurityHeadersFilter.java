// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Puts the demo's security headers on every response, before anything can commit it: pages, JSON,
 * redirects, the stylesheet and (mapped to the ERROR dispatcher too) error pages. No page may be
 * framed ({@code frame-ancestors 'none'} and, for older browsers, {@code X-Frame-Options: DENY};
 * OWASP ASVS 3.4.6 / 4.0.3 14.4.7), scripts and plugins never run, forms post only here.
 */
public final class SecurityHeadersFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** The headers, also written by {@link PlainErrorHandler} on errors outside the web app. */
  static final Map<String, String> HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'self'; script-src 'none'; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "X-Frame-Options", "DENY",
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "same-origin");

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    HEADERS.forEach(response::setHeader);
    chain.doFilter(request, response);
  }
}
