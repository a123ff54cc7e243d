// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.TomcatAppServer;
import org.junit.jupiter.api.Tag;

/** Redeploys on embedded Tomcat 11 (the "tomcat" surefire execution runs it). */
@Tag("tomcat")
class TomcatRedeployTest extends RedeploySuite {

  @Override
  TomcatAppServer newServer() {
    return new TomcatAppServer("11.0.");
  }
}
