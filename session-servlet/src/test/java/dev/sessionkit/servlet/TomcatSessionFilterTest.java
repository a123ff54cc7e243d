package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.support.TomcatContainer;

/** The filter's behaviour on embedded Tomcat 11. */
class TomcatSessionFilterTest extends ContainerSuite {

  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
