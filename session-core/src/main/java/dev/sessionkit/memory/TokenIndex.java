// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import dev.sessionkit.spi.TokenHash;

/**
 * Slots by token hash: each live slot under its current token hash and, until its next rotation,
 * its previous one. The first 32 bits of a SHA-256 are uniformly random already, so they are the
 * hash code as they are.
 */
final class TokenIndex extends SlotTable {

  TokenIndex() {
    super(null);
  }

  /** Returns a live slot that has {@code hash} as its current or previous token hash, or null. */
  Slot get(TokenHash hash) {
    return get(hash.word(0), hash.word(1), hash.word(2), hash.word(3));
  }

  /** {@link #get(TokenHash)} for the hash of the four words ({@link TokenHash#word}). */
  Slot get(long w0, long w1, long w2, long w3) {
    return find((int) w0, w0, w1, w2, w3);
  }

  /** Indexes {@code slot} under {@code hash}; false if another live slot holds that hash. */
  boolean add(TokenHash hash, Slot slot) {
    return add((int) hash.word(0), slot, hash);
  }

  void remove(TokenHash hash, Slot slot) {
    remove(hash.word(0), slot);
  }

  /** Removes {@code slot} from under the hash whose first word is {@code w0}. */
  void remove(long w0, Slot slot) {
    remove((int) w0, slot);
  }

  @Override
  boolean matches(Slot s, long w0, long w1, long w2, long w3) {
    Slot.Version v = s.version();
    return v != null && v.hasToken(w0, w1, w2, w3);
  }

  @Override
  boolean matches(Slot s, Object key) {
    Slot.Version v = s.version();
    return v != null && v.hasToken((TokenHash) key);
  }
}
