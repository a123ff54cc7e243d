// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Sizes and small helpers shared by the benchmarks. */
final class Fixtures {

  /** Live sessions in the store for every timed benchmark of a session library. */
  static final int SESSIONS = 100_000;

  /** Sessions held when measuring retained bytes per session. */
  static final int FOOTPRINT_SESSIONS = 1_000_000;

  /** The encoding of a Sessionkit token: base64url without padding. */
  static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Fixtures() {}

  /**
   * Returns a uniformly random index below {@code bound}: every benchmark picks its session this
   * way, so that each pays the same (cache-missing) cost of a random hit in a large map.
   */
  static int randomIndex(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  /** Returns the used heap after full collections, once it has settled. */
  static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (Math.abs(used - now) < 64 * 1024) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
