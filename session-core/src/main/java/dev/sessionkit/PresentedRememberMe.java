// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.TokenHash;
import java.util.Optional;

/**
 * A remember-me token as a client presented it, parsed once: {@code selector.validator}, a
 * 16-character selector, a dot and a 43-character validator, both canonical base64url, then with a
 * routing store a dot and its routing tag. Only the hashes are kept, so nothing here can leak the
 * secret.
 *
 * @param selector the selector (public: the series' lookup key, not a secret)
 * @param selectorHash SHA-256 of the selector, carrying the routing tag: the key of the series in
 *     the store
 * @param validatorHash SHA-256 of the validator
 */
record PresentedRememberMe(String selector, TokenHash selectorHash, TokenHash validatorHash) {

  /** Parses {@code value}; empty if it is not a well-formed remember-me token. */
  static Optional<PresentedRememberMe> parse(String value) {
    if (!Tokens.isRememberMeToken(value)) {
      return Optional.empty();
    }
    String tag = Tokens.tagAfter(value, Tokens.REMEMBER_ME_LENGTH);
    return Optional.of(new PresentedRememberMe(value.substring(0, Tokens.ID_LENGTH),
        Tokens.hash(value, 0, Tokens.ID_LENGTH).withRoutingTag(tag),
        Tokens.hash(value, Tokens.ID_LENGTH + 1, Tokens.REMEMBER_ME_LENGTH)));
  }

  /** Returns the cookie value of this selector with {@code validator}, and the same tag. */
  String withValidator(String validator) {
    return RoutingTag.append(selector + "." + validator, selectorHash.routingTag());
  }

  @Override
  public String toString() {
    return "PresentedRememberMe[redacted]";
  }
}
