// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.AppServer;
import dev.sessionkit.servlet.support.TestWebapp;
import dev.sessionkit.servlet.support.TomcatAppServer;
import org.junit.jupiter.api.Tag;

/** Applications deployed on embedded Tomcat 10.1 (the "tomcat10" surefire execution runs it). */
@Tag("tomcat10")
class Tomcat10AppDeploymentTest extends AppDeploymentSuite {

  @Override
  AppServer newServer() {
    return new TomcatAppServer("10.1.");
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
