// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.support.TomcatContainer;
import org.junit.jupiter.api.Tag;

/** The compatibility application on embedded Tomcat 11 (the "tomcat" surefire execution). */
@Tag("tomcat")
class TomcatAppCompatibilityTest extends AppCompatibilitySuite {

  @Override
  ServletContainer newContainer() {
    return TomcatContainer.tomcat11();
  }
}
