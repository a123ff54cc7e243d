// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;

/** The lifecycle invariants over the in-memory store. */
class InMemoryLifecycleTest extends LifecycleContract {

  @Override
  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }

  /** The in-memory store keeps attribute values by reference (see its Javadoc). */
  @Override
  protected boolean sharesAttributeValues() {
    return true;
  }
}
