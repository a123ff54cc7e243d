// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

/** Slots by public session id. */
final class IdIndex extends SlotTable {

  IdIndex() {
    super(Slot::idHash);
  }

  /** Returns the live slot whose id is {@code id}, or null. */
  Slot get(String id) {
    return find(Slot.idHash(id), id);
  }

  /** Indexes {@code slot} by its id; false if another live slot has that id. */
  boolean add(Slot slot, String id) {
    return add(slot.idHash(), slot, id);
  }

  void remove(Slot slot) {
    remove(slot.idHash(), slot);
  }

  @Override
  boolean matches(Slot s, Object key) {
    return s.version() != null && s.hasId((String) key);
  }
}
