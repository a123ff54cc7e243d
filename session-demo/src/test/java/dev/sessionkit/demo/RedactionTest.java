// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void theCredentialsOfAStoreLocationAreMaskedWhereverTheyAppear() {
    for (String location : List.of(
        "jdbc:postgresql://demo:pa55word@db.example:5432/app",
        "jdbc:mariadb://root:pa55word@127.0.0.1/test?useSsl=false",
        "jdbc:postgresql://db/app?user=demo&password=pa55word&ssl=true",
        "jdbc:h2:mem:x;USER=sa;PASSWORD=pa55word",
        "redis://:pa55word@127.0.0.1:6379",
        "rediss://default:pa55word@cache:6380/0",
        "jdbc:mysql://db/app?PWD=pa55word")) {
      String message = "could not open " + location + " (driver said: bad password 'pa55word')";
      assertThat(Redaction.redact(message, location)).as(location).doesNotContain("pa55word")
          .contains(Redaction.MASK);
    }
    String encoded = "jdbc:postgresql://u:p%40ss@h/db";
    assertThat(Redaction.redact("x " + encoded + " y", encoded)).doesNotContain("p%40ss");
    assertThat(Redaction.redact("the driver decoded it: p@ss", encoded))
        .doesNotContain("p@ss");
  }

  @Test
  void aLocationWithoutCredentialsIsLeftReadable() {
    String location = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    assertThat(Redaction.redact("cannot reach " + location, location))
        .isEqualTo("cannot reach " + location);
  }
}
