// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.JettyContainer;
import dev.sessionkit.servlet.support.ServletContainer;

/** The compatibility application on embedded Jetty 12 (ee10). */
class JettyAppCompatibilityTest extends AppCompatibilitySuite {

  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
