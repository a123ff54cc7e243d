// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.support.TomcatContainer;
import org.junit.jupiter.api.Tag;

/** Every session change on every dispatch path, on embedded Tomcat 11. */
@Tag("tomcat")
class TomcatDispatchPathTest extends DispatchPathSuite {

  @Override
  ServletContainer newContainer() {
    return TomcatContainer.tomcat11();
  }
}
