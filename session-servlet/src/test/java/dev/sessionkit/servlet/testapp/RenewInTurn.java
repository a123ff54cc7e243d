// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * Makes two parallel requests of one browser call {@code changeSessionId()} in a fixed order,
 * with no sleeps: both wait until the other has arrived (so both resolved the session from the
 * same cookie before either renews), then turn 1 renews, and turn 2 renews once turn 1 has
 * finished: the second renewal starts from a token that the first one has just replaced.
 * Shared between the test and the web application (same class loader, as {@link TestBackends}).
 */
public final class RenewInTurn {

  private static final long WAIT_SECONDS = 10;
  private static volatile RenewInTurn current;

  private final CyclicBarrier bothArrived = new CyclicBarrier(2);
  private final CountDownLatch firstRenewed = new CountDownLatch(1);

  /** Installs a fresh pair of latches for the next two requests and returns it. */
  public static RenewInTurn arm() {
    current = new RenewInTurn();
    return current;
  }

  /** Returns the armed latches. */
  static RenewInTurn current() {
    RenewInTurn armed = current;
    if (armed == null) {
      throw new IllegalStateException("RenewInTurn.arm() was not called");
    }
    return armed;
  }

  /** Blocks until both requests have resolved their session, then until it is {@code turn}'s. */
  void awaitTurn(int turn) throws Exception {
    bothArrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
    if (turn == 2 && !firstRenewed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("turn 1 did not renew within " + WAIT_SECONDS + " s");
    }
  }

  /** Called by a request when its renewal returned (or failed). */
  void done(int turn) {
    if (turn == 1) {
      firstRenewed.countDown();
    }
  }
}
