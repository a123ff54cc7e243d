// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import java.util.Optional;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Tells whether SLF4J discards everything. Without a provider on the class path, SLF4J 2 falls
 * back to a no-operation logger (and says so once on {@code System.err}, which many containers
 * send nowhere anyone reads), so the filter's start-up line, its security events and its store
 * failures would vanish. The filter then says so once through the container's own log ({@code
 * ServletContext.log}), which always reaches the server's log files.
 */
public final class LoggingCheck {

  private LoggingCheck() {}

  /** Returns the warning to write to the container's log, if SLF4J discards everything. */
  public static Optional<String> warning(String filterName) {
    return warning(LoggerFactory.getILoggerFactory(), filterName);
  }

  /** Returns the warning for {@code factory}, the one SLF4J bound, if it discards everything. */
  static Optional<String> warning(ILoggerFactory factory, String filterName) {
    if (!(factory instanceof NOPLoggerFactory)) {
      return Optional.empty();
    }
    return Optional.of("SessionFilter " + filterName + ": no SLF4J provider is bound, so"
        + " Sessionkit's log (security events such as logins, logouts and remember-me theft, and"
        + " session store failures) is discarded. Add one SLF4J 2 provider to the application"
        + " (WEB-INF/lib) or the server: org.slf4j:slf4j-jdk14 to write to the container's own"
        + " java.util.logging (Tomcat JULI, Jetty's default), ch.qos.logback:logback-classic, or"
        + " org.apache.logging.log4j:log4j-slf4j2-impl; see docs/servlet.md");
  }
}
