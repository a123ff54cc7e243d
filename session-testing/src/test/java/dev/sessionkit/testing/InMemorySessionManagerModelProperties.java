// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;

/** The model test over the in-memory store. */
class InMemorySessionManagerModelProperties extends SessionManagerModelContract {

  @Override
  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }
}
