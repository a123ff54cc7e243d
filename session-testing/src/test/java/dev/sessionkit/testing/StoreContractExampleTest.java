// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionStore;

// example: testing-contract
class StoreContractExampleTest extends SessionStoreContract {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();  // your store, on an empty key space per test
  }
}
// end of example
