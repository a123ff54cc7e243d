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
    return find((int) hash.word(0), hash);
  }

  /** Indexes {@code slot} under {@code hash}; false if another live slot holds that hash. */
  boolean add(TokenHash hash, Slot slot) {
    return add((int) hash.word(0), slot, hash);
  }

  void remove(TokenHash hash, Slot slot) {
    remove((int) hash.word(0), slot);
  }

  @Override
  boolean matches(Slot s, Object key) {
    Slot.Version v = s.version();
    return v != null && v.hasToken((TokenHash) key);
  }
}
