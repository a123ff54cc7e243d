// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import dev.sessionkit.testing.MutableClock;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore;
import dev.sessionkit.testing.InterleavingStore;

/**
 * The managers behind the programmatically added filters, shared between the test (which moves the
 * clock and breaks the store) and the web application (same class loader: the containers load
 * test classes from the parent).
 */
public final class TestBackends {

  private static volatile TestBackends current;

  /** Moves the time of the {@code /clock} filter. */
  public final MutableClock clock = MutableClock.startingNow();
  /** The store of the {@code /clock} filter. */
  public final InMemorySessionStore clockStore = InMemorySessionStore.create();
  /** The manager of the {@code /clock} filter. */
  public final SessionManager clockManager =
      SessionManager.builder().clock(clock).store(clockStore).build();
  /** The store of the {@code /broken} filter; switch it off to test failures. */
  public final FailingStore failingStore = new FailingStore();
  /** The manager of the {@code /broken} filter. */
  public final SessionManager failingManager =
      SessionManager.builder().stores(failingStore.stores()).build();
  /** The store of the {@code /race} filter (dispatch-path application), for counting sessions. */
  public final InMemorySessionStore raceStore = InMemorySessionStore.create();
  /** Counts the {@code /race} filter's store calls (no fault is armed there). */
  public final FaultInjectingStore raceCalls = new FaultInjectingStore(Stores.of(raceStore));
  /** Parks the {@code /race} filter's store calls where a test arms a pause. */
  public final InterleavingStore raceInterleaving = new InterleavingStore(raceCalls.stores());
  /** The manager of the {@code /race} filter. */
  public final SessionManager raceManager =
      SessionManager.builder().stores(raceInterleaving.stores()).build();

  /** Fails the {@code /fault} filter's store calls where a test arms a fault. */
  public final FaultInjectingStore faults =
      new FaultInjectingStore(Stores.of(InMemorySessionStore.create()));
  /** The manager of the {@code /fault} filter (dispatch-path application). */
  public final SessionManager faultManager =
      SessionManager.builder().stores(faults.stores()).build();

  /** Installs fresh backends for the next container start and returns them. */
  public static TestBackends install() {
    current = new TestBackends();
    return current;
  }

  /** Returns the installed backends. */
  public static TestBackends current() {
    TestBackends b = current;
    if (b == null) {
      throw new IllegalStateException("TestBackends.install() was not called");
    }
    return b;
  }
}
