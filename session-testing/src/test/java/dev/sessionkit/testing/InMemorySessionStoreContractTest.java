package dev.sessionkit.testing;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionStore;

/** The session store contract against the in-memory store. */
class InMemorySessionStoreContractTest extends SessionStoreContract {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }
}
