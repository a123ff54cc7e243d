// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

class LoggingCheckTest {

  @Test
  void withoutAProviderTheWarningNamesTheFilterAndAProviderPerContainer() {
    assertThat(LoggingCheck.warning(new NOPLoggerFactory(), "sessions")).hasValueSatisfying(m ->
        assertThat(m).startsWith("SessionFilter sessions: no SLF4J provider is bound")
            .contains("org.slf4j:slf4j-jdk14", "Tomcat JULI", "ch.qos.logback:logback-classic",
                "org.apache.logging.log4j:log4j-slf4j2-impl", "docs/servlet.md"));
  }

  @Test
  void withAProviderThereIsNothingToSay() {
    // the tests run with slf4j-simple
    assertThat(LoggingCheck.warning("sessions")).isEmpty();
    assertThat(LoggingCheck.warning(LoggerFactory.getILoggerFactory(), "sessions")).isEmpty();
  }
}
