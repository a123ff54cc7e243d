// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.spi.RoutingTag;
import java.util.Arrays;
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

  /**
   * A token is a secret: once hashed (or refused), its decoded bytes do not stay in the thread's
   * buffer, where a heap dump would show the last token each thread handled.
   */
  @Test
  void aPresentedTokenLeavesNoCopyInThePerThreadBuffer() {
    byte[] none = new byte[32];
    String token = Tokens.newToken(TokenGenerator.secure());
    byte[] buffer = Tokens.sessionTokenDigest(token + ".t1");
    assertThat(Arrays.copyOfRange(buffer, 0, 32)).as("after a digest").isEqualTo(none);
    assertThat(Arrays.copyOfRange(buffer, Tokens.DIGEST_OFFSET, Tokens.DIGEST_OFFSET + 32))
        .as("the digest itself").isNotEqualTo(none);

    String refused = token.substring(0, 40) + "!" + token.substring(41);
    assertThat(Tokens.sessionTokenDigest(refused)).isNull();
    assertThat(Arrays.copyOfRange(buffer, 0, 32)).as("after a refused token").isEqualTo(none);

    Tokens.hash(token, 0, Tokens.TOKEN_LENGTH);
    assertThat(Arrays.copyOfRange(buffer, 0, 32)).as("after a hash").isEqualTo(none);
    assertThatThrownBy(() -> Tokens.hash(refused, 0, Tokens.TOKEN_LENGTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Arrays.copyOfRange(buffer, 0, 32)).as("after a refused hash").isEqualTo(none);
  }

  /**
   * The per-request digest checks a token while it decodes it (one pass): it accepts exactly what
   * the separate check accepts, with or without a routing tag, and hashes it as {@link
   * Tokens#hash(String)} does.
   */
  @Test
  void theRequestDigestAcceptsExactlyTheCanonicalTokensAndHashesThemAsHashDoes() {
    for (int i = 0; i < 200; i++) {
      String token = Tokens.newToken(TokenGenerator.secure());
      assertDigest(token, token);
      assertDigest(token + ".t1", token);
      assertThat(Tokens.sessionTokenDigest(token + ".")).isNull();
      assertThat(Tokens.sessionTokenDigest(token + ".bad!")).isNull();
      assertThat(Tokens.sessionTokenDigest(token + "." + "1".repeat(RoutingTag.MAX_LENGTH + 1)))
          .as("tag too long").isNull();
      assertThat(Tokens.sessionTokenDigest(token + "x")).isNull();
      assertThat(Tokens.sessionTokenDigest(token.substring(1))).isNull();
      int at = i % Tokens.TOKEN_LENGTH;
      for (char bad : new char[] {'=', '+', '/', '.', ' ', '\u00e9', '\u0100'}) {
        String broken = token.substring(0, at) + bad + token.substring(at + 1);
        assertThat(Tokens.sessionTokenDigest(broken)).as("%s at %d", bad, at).isNull();
        assertThat(Tokens.sessionTokenDigest(broken + ".t1")).isNull();
      }
    }
    String zeros = "A".repeat(Tokens.TOKEN_LENGTH);
    assertDigest(zeros, zeros);
    for (char last : "BCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray()) {
      // spare bits set: 'B', 'C', 'D' have the low two bits non-zero; 'E' (4) is canonical
      String spelled = zeros.substring(0, 42) + last;
      assertThat(Tokens.sessionTokenDigest(spelled) != null).as("last character %s", last)
          .isEqualTo(Tokens.isToken(spelled));
    }
    assertThat(Tokens.sessionTokenDigest(null)).isNull();
  }

  private static void assertDigest(String cookieValue, String token) {
    byte[] digest = Tokens.sessionTokenDigest(cookieValue);
    assertThat(digest).isNotNull();
    dev.sessionkit.spi.TokenHash expected = Tokens.hash(token);
    for (int w = 0; w < 4; w++) {
      assertThat(Tokens.digestWord(digest, w)).isEqualTo(expected.word(w));
    }
  }
}
