// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.jdbc.SqlDialect;
import org.junit.jupiter.api.Test;

class DialectDetectorTest {

  @Test
  void recognisesTheSupportedDatabasesFromTheirMetadata() {
    assertThat(DialectDetector.detect("PostgreSQL", "15.20 (Debian 15.20-0+deb12u1)"))
        .isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(DialectDetector.detect("MariaDB", "10.11.19-MariaDB-0+deb12u1"))
        .isEqualTo(SqlDialect.MARIADB);
    assertThat(DialectDetector.detect("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1"))
        .isEqualTo(SqlDialect.MARIADB);
    assertThat(DialectDetector.detect("MySQL", "8.0.36")).isEqualTo(SqlDialect.MARIADB);
    assertThat(DialectDetector.detect("H2", "2.3.232 (2024-08-11)")).isEqualTo(SqlDialect.H2);
  }

  @Test
  void refusesOldVersionsAndOtherDatabases() {
    assertThatThrownBy(() -> DialectDetector.detect("MariaDB", "10.5.27-MariaDB"))
        .hasMessageContaining("needs MariaDB 10.6 or later");
    assertThatThrownBy(() -> DialectDetector.detect("MySQL", "5.5.5-10.4.1-MariaDB"))
        .hasMessageContaining("needs MariaDB 10.6 or later");
    assertThatThrownBy(() -> DialectDetector.detect("MySQL", "5.7.44"))
        .hasMessageContaining("needs MySQL 8.0 or later");
    assertThatThrownBy(() -> DialectDetector.detect("H2", "1.4.200 (2019-10-14)"))
        .hasMessageContaining("needs H2 2.0 or later");
    assertThatThrownBy(() -> DialectDetector.detect("Oracle", "Oracle Database 19c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unsupported database 'Oracle Oracle Database 19c'");
    assertThatThrownBy(() -> DialectDetector.detect("PostgreSQL", "devel"))
        .hasMessageStartingWith("unsupported database 'PostgreSQL devel'");
  }
}
