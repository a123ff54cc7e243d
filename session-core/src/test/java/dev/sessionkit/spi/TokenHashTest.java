// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The comparison of presented secrets' hashes (OWASP ASVS 11.2.4): {@link
 * TokenHash#constantTimeEquals} folds the XOR of all four 64-bit words into one value and tests it
 * once, so it has no early exit; this checks that every one of the 256 bits counts.
 */
class TokenHashTest {

  @Test
  void constantTimeEqualsSeesADifferenceInEveryBitPosition() {
    byte[] bytes = new byte[TokenHash.LENGTH];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (31 * i + 7);
    }
    TokenHash base = TokenHash.of(bytes);
    assertThat(base.constantTimeEquals(TokenHash.of(bytes.clone()))).isTrue();
    for (int bit = 0; bit < 8 * TokenHash.LENGTH; bit++) {
      byte[] flipped = bytes.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      TokenHash other = TokenHash.of(flipped);
      assertThat(base.constantTimeEquals(other)).as("bit %s", bit).isFalse();
      assertThat(other.constantTimeEquals(base)).as("bit %s", bit).isFalse();
    }
  }
}
