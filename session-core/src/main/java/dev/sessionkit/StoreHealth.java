// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.util.Objects;

/**
 * The answer of {@link SessionManager#checkStore}: whether the stores answered in time, which
 * stores were checked, and what went wrong. For a health endpoint: map {@link #up()} to the
 * endpoint's status (HTTP 200 or 503) and show {@link #detail()} to operators only. Holds no
 * token, hash or principal.
 *
 * @param up whether every store answered within the timeout without an error
 * @param stores the stores checked, as their {@code toString()} describes them (a location
 *     without credentials, a table prefix)
 * @param detail {@code "ok"}, or what failed: the exception's type and message, or that no answer
 *     came within the timeout
 */
public record StoreHealth(boolean up, String stores, String detail) {

  /**
   * Checks that the parts are present.
   *
   * @param up whether every store answered within the timeout without an error
   * @param stores the stores checked, as their {@code toString()} describes them (a location
   *     without credentials, a table prefix)
   * @param detail {@code "ok"}, or what failed: the exception's type and message, or that no
   *     answer came within the timeout
   */
  public StoreHealth {
    Objects.requireNonNull(stores, "stores");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return "StoreHealth[" + (up ? "UP" : "DOWN") + ", " + stores + ", " + detail + "]";
  }
}
