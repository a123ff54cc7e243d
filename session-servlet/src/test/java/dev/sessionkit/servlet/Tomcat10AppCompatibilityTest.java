// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.support.TomcatContainer;
import org.junit.jupiter.api.Tag;

/** The compatibility application on embedded Tomcat 10.1 (the "tomcat10" surefire execution). */
@Tag("tomcat10")
class Tomcat10AppCompatibilityTest extends AppCompatibilitySuite {

  @Override
  ServletContainer newContainer() {
    return TomcatContainer.tomcat10();
  }
}
