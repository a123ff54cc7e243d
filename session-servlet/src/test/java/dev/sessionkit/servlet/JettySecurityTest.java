// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.JettyContainer;
import dev.sessionkit.servlet.support.ServletContainer;

/** The filter's security features on embedded Jetty 12 (ee10). */
class JettySecurityTest extends SecurityContainerSuite {

  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
