// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.support.TomcatContainer;
import org.junit.jupiter.api.Tag;

/** The filter's behaviour on embedded Tomcat 10.1 (the "tomcat10" surefire execution runs it). */
@Tag("tomcat10")
class Tomcat10SessionFilterTest extends ContainerSuite {

  @Override
  ServletContainer newContainer() {
    return TomcatContainer.tomcat10();
  }
}
