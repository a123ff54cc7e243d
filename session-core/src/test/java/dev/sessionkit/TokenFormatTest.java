// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.spi.TokenHash;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TokenFormatTest {

  private static TokenHash jdkHash(String base64url) throws Exception {
    byte[] raw = Base64.getUrlDecoder().decode(base64url);
    return TokenHash.of(MessageDigest.getInstance("SHA-256").digest(raw));
  }

  @RepeatedTest(50)
  void hashIsTheSha256OfTheDecodedToken() throws Exception {
    String token = Tokens.newToken(TokenGenerator.secure());
    String id = Tokens.newId(TokenGenerator.secure());

    assertThat(Tokens.isToken(token)).isTrue();
    assertThat(Tokens.hash(token)).isEqualTo(jdkHash(token));
    assertThat(Tokens.hash(id, 0, id.length())).isEqualTo(jdkHash(id));
    String rememberMe = id + "." + token;
    assertThat(Tokens.hash(rememberMe, Tokens.ID_LENGTH + 1, Tokens.REMEMBER_ME_LENGTH))
        .isEqualTo(jdkHash(token));
  }

  @Test
  void hashOfKnownBytesMatchesTheJdk() throws Exception {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 37 - 128);
    }
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThat(Tokens.hash(token))
        .isEqualTo(TokenHash.of(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  @Test
  void hashOfTextLongerThanAToken() throws Exception {
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[90]);

    assertThat(Tokens.hash(text, 0, text.length())).isEqualTo(jdkHash(text));
    assertThat(Tokens.hash(Tokens.newToken(TokenGenerator.secure()))).isNotNull();
  }

  @Test
  void hashRejectsWhatIsNotBase64Url() {
    String token = "A".repeat(42) + "+";

    assertThatThrownBy(() -> Tokens.hash(token)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not base64url at index 42");
    assertThat(Tokens.isToken(token)).isFalse();
  }
}
