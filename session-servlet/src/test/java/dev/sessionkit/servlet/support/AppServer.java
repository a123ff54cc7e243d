// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * One embedded servlet container with several web applications, each at its own context path, as
 * applications are deployed side by side on one host.
 */
public interface AppServer extends AutoCloseable {

  /**
   * Starts the server with a web application per entry (context path such as {@code /shop}, or
   * {@code ""} for the root, to its directory with a {@code WEB-INF/web.xml}).
   *
   * @return the server's base URI, {@code http://127.0.0.1:port/}
   */
  URI start(Map<String, Path> contexts) throws Exception;

  /** Stops the server; a failure to stop is an unchecked exception. */
  @Override
  void close();
}
