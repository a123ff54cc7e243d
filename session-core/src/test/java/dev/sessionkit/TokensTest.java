// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

  @Test
  void hundredThousandTokensAreUniqueAnd43Base64UrlCharacters() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String token = Tokens.newToken(TokenGenerator.secure());
      assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]{43}");
      assertThat(Tokens.isToken(token)).isTrue();
      seen.add(token);
    }
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void idsAre16Base64UrlCharacters() {
    String id = Tokens.newId(TokenGenerator.secure());
    assertThat(id).matches("[A-Za-z0-9_-]{16}");
    assertThat(Tokens.isId(id)).isTrue();
  }

  @Test
  void nonCanonicalEncodingsAreRejected() {
    String token = Tokens.newToken(TokenGenerator.secure());
    // the last character carries two padding bits that must be zero: 'B' has them set to 01
    String nonCanonical = token.substring(0, 42) + "B";
    assertThat(Tokens.isToken(nonCanonical)).isFalse();
    assertThat(Tokens.isToken(token.substring(0, 42) + "A")).isTrue();
  }
}
