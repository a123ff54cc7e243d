// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.TokenHash;
import java.util.Optional;

/**
 * A remember-me token as a client presented it, parsed once: {@code selector.validator}, a
 * 16-character selector, a dot and a 43-character validator, both canonical base64url. Only the
 * hashes are kept, so nothing here can leak the secret.
 *
 * @param selectorHash SHA-256 of the selector: the key of the series in the store
 * @param validatorHash SHA-256 of the validator
 */
record PresentedRememberMe(String selector, TokenHash selectorHash, TokenHash validatorHash) {

  /** Parses {@code value}; empty if it is not a well-formed remember-me token. */
  static Optional<PresentedRememberMe> parse(String value) {
    if (!Tokens.isRememberMeToken(value)) {
      return Optional.empty();
    }
    return Optional.of(new PresentedRememberMe(value.substring(0, Tokens.ID_LENGTH), Tokens.hash(value, 0, Tokens.ID_LENGTH),
        Tokens.hash(value, Tokens.ID_LENGTH + 1, Tokens.REMEMBER_ME_LENGTH)));
  }

  @Override
  public String toString() {
    return "PresentedRememberMe[redacted]";
  }
}
