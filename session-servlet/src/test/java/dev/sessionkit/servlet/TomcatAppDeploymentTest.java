// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.AppServer;
import dev.sessionkit.servlet.support.TestWebapp;
import dev.sessionkit.servlet.support.TomcatAppServer;
import org.junit.jupiter.api.Tag;

/** Applications deployed on embedded Tomcat 11 (the "tomcat" surefire execution runs it). */
@Tag("tomcat")
class TomcatAppDeploymentTest extends AppDeploymentSuite {

  @Override
  AppServer newServer() {
    return new TomcatAppServer("11.0.");
  }

  @Override
  String cartPage() {
    return "cart.jsp";
  }

  @Override
  String cartXml() {
    return TestWebapp.JASPER;
  }
}
