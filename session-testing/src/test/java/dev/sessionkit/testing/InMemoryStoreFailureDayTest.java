// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;

/** {@link StoreFailureDayContract} over the in-memory store. */
class InMemoryStoreFailureDayTest extends StoreFailureDayContract {

  @Override
  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }
}
