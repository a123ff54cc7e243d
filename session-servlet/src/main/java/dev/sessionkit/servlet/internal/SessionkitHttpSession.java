// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import jakarta.servlet.http.HttpSession;

/**
 * The {@link HttpSession}s of Sessionkit sessions: the live view of a request and the view of an
 * ended session. Two of them are equal when they show the same session id, so that an
 * application's listener that keeps the sessions it was told of in a set (active-session
 * counters) finds the one to remove, whichever request or thread reports the end.
 */
abstract class SessionkitHttpSession implements HttpSession {

  @Override
  public final boolean equals(Object other) {
    return other instanceof SessionkitHttpSession s && s.getId().equals(getId());
  }

  @Override
  public final int hashCode() {
    return getId().hashCode();
  }
}
