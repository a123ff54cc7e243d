// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * A benchmark state that is built once per trial for {@link Fixtures#SESSIONS} live sessions; the
 * module's tests build the same state smaller through {@link #setUp(int)}.
 */
public abstract class SizedState {

  /** Builds the state for {@link Fixtures#SESSIONS} sessions. */
  @Setup(Level.Trial)
  public void setUp() {
    setUp(Fixtures.SESSIONS);
  }

  /** Builds the state for {@code count} sessions. */
  abstract void setUp(int count);
}
