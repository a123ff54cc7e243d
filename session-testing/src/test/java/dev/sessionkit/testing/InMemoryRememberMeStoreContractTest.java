// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.RememberMeStore;

/** The remember-me store contract against the in-memory store. */
class InMemoryRememberMeStoreContractTest extends RememberMeStoreContract {

  @Override
  protected RememberMeStore createRememberMeStore() {
    return InMemorySessionStore.create();
  }
}
