// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.support.TomcatContainer;
import org.junit.jupiter.api.Tag;

/** The filter's security features on embedded Tomcat 10.1 (the "tomcat10" surefire execution). */
@Tag("tomcat10")
class Tomcat10SecurityTest extends SecurityContainerSuite {

  @Override
  ServletContainer newContainer() {
    return TomcatContainer.tomcat10();
  }
}
