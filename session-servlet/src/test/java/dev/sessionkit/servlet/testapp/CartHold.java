// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a {@link CartServlet} request (one with {@code hold=true}) between reading the session's
 * values and changing the cart in place, until the test has run another request: a fixed
 * interleaving without sleeps. Shared between the test and the web application (same class
 * loader, as {@link TestBackends}).
 */
public final class CartHold {

  private static final long WAIT_SECONDS = 10;
  private static volatile CartHold current;

  private final CountDownLatch read = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  /** Installs a fresh hold for the next held request and returns it. */
  public static CartHold arm() {
    current = new CartHold();
    return current;
  }

  static CartHold current() {
    CartHold armed = current;
    if (armed == null) {
      throw new IllegalStateException("CartHold.arm() was not called");
    }
    return armed;
  }

  /** Called by the held request once it has read the session's values; waits for release. */
  void readThenWait() throws InterruptedException {
    read.countDown();
    if (!released.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test did not release the held request");
    }
  }

  /** Waits until the held request has read the session's values. */
  public void awaitRead() throws InterruptedException {
    if (!read.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the held request did not read the session");
    }
  }

  /** Lets the held request go on. */
  public void release() {
    released.countDown();
  }
}
