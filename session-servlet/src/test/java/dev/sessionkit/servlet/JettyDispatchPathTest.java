// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.JettyContainer;
import dev.sessionkit.servlet.support.ServletContainer;

/** Every session change on every dispatch path, on embedded Jetty 12 (ee10). */
class JettyDispatchPathTest extends DispatchPathSuite {

  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
