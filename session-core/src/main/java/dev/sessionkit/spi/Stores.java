// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Objects;

/**
 * A session store and a remember-me store that work together, as a {@link SessionStoreFactory}
 * creates them; most backends implement both interfaces in one object ({@link #of}).
 *
 * @param sessions where sessions live
 * @param rememberMe where remember-me series live
 */
public record Stores(SessionStore sessions, RememberMeStore rememberMe) implements AutoCloseable {

  /**
   * Checks that both are present.
   *
   * @param sessions where sessions live
   * @param rememberMe where remember-me series live
   */
  public Stores {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(rememberMe, "rememberMe");
  }

  /**
   * Returns the pair for a backend that implements both SPIs.
   *
   * @param <S> the type of a store that implements both SPIs
   * @param both a store that implements both SPIs
   * @return the pair for a backend that implements both SPIs
   */
  public static <S extends SessionStore & RememberMeStore> Stores of(S both) {
    return new Stores(both, both);
  }

  /** Closes both stores (once, when they are the same object). */
  @Override
  public void close() {
    try {
      sessions.close();
    } finally {
      if (rememberMe != sessions) {
        rememberMe.close();
      }
    }
  }
}
