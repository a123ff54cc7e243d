// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;

/**
 * Real in-memory stores whose every call throws {@code SessionStoreException} (without being
 * applied) while switched off: a backend that is down.
 */
public final class FailingStore {

  private final FaultInjectingStore faults =
      new FaultInjectingStore(Stores.of(InMemorySessionStore.create()));

  /** Returns the stores to build a manager on. */
  public Stores stores() {
    return faults.stores();
  }

  /** Makes every call fail (true) or pass (false). */
  public void failing(boolean value) {
    if (value) {
      for (Operation operation : Operation.values()) {
        faults.failAlways(operation, Fault.FAIL_BEFORE_APPLYING);
      }
    } else {
      faults.heal();
    }
  }
}
