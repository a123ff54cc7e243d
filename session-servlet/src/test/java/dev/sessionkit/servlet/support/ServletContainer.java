// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.net.URI;
import java.nio.file.Path;

/** An embedded servlet container that serves a web application directory on 127.0.0.1. */
public interface ServletContainer extends AutoCloseable {

  /** Starts the web application in {@code webappDir} (with its WEB-INF/web.xml) at {@code /}. */
  URI start(Path webappDir) throws Exception;

  /**
   * Starts a web application that must fail to start and returns the failure the container
   * reported (the exception its filter init threw).
   */
  Throwable startExpectingFailure(Path webappDir) throws Exception;

  /** Stops the container; a failure to stop is an unchecked exception. */
  @Override
  void close();
}
