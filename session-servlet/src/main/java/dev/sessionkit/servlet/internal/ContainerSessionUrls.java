// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the container's own session id out of URLs (OWASP ASVS 5.0 14.2.1). The filter's response
 * wrapper never encodes one ({@code encodeURL} returns its argument), but a container's own
 * redirects, such as those of its FORM login, are written beneath the wrapper: with URL tracking
 * enabled (the Servlet default) Jetty sends {@code /login;jsessionid=...}. So at start-up the
 * filter turns URL tracking off where the container still allows it, and otherwise logs a warning
 * naming the {@code web.xml} line that does it.
 */
public final class ContainerSessionUrls {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerSessionUrls.class);

  private ContainerSessionUrls() {}

  /**
   * Turns off URL session tracking for {@code context} if it is on.
   *
   * @param context the application's servlet context, during the filter's {@code init}
   * @return whether the container's session id can still appear in a URL
   */
  public static boolean keepOutOfUrls(ServletContext context) {
    Set<SessionTrackingMode> effective;
    try {
      effective = context.getEffectiveSessionTrackingModes();
    } catch (RuntimeException e) {
      LOG.debug("the container does not tell its session tracking modes: {}", e.toString());
      return false;
    }
    if (effective == null || !effective.contains(SessionTrackingMode.URL)) {
      return false;
    }
    EnumSet<SessionTrackingMode> modes = EnumSet.of(SessionTrackingMode.COOKIE);
    if (effective.contains(SessionTrackingMode.SSL)) {
      modes.add(SessionTrackingMode.SSL);
    }
    try {
      context.setSessionTrackingModes(modes);
      if (!context.getEffectiveSessionTrackingModes().contains(SessionTrackingMode.URL)) {
        LOG.info("Turned off the container's URL session tracking (now {}): its session id never"
            + " goes into a URL", modes);
        return false;
      }
    } catch (IllegalStateException | UnsupportedOperationException | IllegalArgumentException e) {
      LOG.debug("the container refused to change its session tracking modes: {}", e.toString());
    }
    LOG.warn("The container tracks its own sessions in URLs too (;jsessionid=), and its own"
        + " redirects (such as a FORM login's) can carry that id; add"
        + " <session-config><tracking-mode>COOKIE</tracking-mode></session-config> to web.xml");
    return true;
  }
}
