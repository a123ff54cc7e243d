// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.TomcatAppServer;
import org.junit.jupiter.api.Tag;

/** Redeploys on embedded Tomcat 10.1 (the "tomcat10" surefire execution runs it). */
@Tag("tomcat10")
class Tomcat10RedeployTest extends RedeploySuite {

  @Override
  TomcatAppServer newServer() {
    return new TomcatAppServer("10.1.");
  }
}
