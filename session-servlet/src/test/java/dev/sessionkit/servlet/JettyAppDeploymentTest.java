// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.AppServer;
import dev.sessionkit.servlet.support.TestWebapp;
import dev.sessionkit.servlet.support.JettyAppServer;

/** Applications deployed on embedded Jetty 12 (ee10). */
class JettyAppDeploymentTest extends AppDeploymentSuite {

  @Override
  AppServer newServer() {
    return new JettyAppServer();
  }

  /** Jetty's ee10 JSP engine is not among the packages this build can fetch: the servlet twin. */
  @Override
  String cartPage() {
    return "cart";
  }

  @Override
  String cartXml() {
    return TestWebapp.CART_SERVLET;
  }
}
