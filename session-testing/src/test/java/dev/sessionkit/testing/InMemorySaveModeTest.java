// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;

/** {@link SaveModeContract} over the in-memory store. */
class InMemorySaveModeTest extends SaveModeContract {

  @Override
  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }
}
