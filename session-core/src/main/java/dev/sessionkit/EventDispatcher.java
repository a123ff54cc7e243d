// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners and writes the security log: INFO for authentication, logout and
 * revocation, WARN for remember-me theft, token guessing and the end of every session, DEBUG for
 * routine creation and expiry. Log lines carry the public session id, the principal and the client
 * address, never a token, validator or selector. A listener that throws is logged and skipped.
 */
final class EventDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger("dev.sessionkit.security");

  private final List<SessionListener> listeners;

  EventDispatcher(List<SessionListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Logs and delivers one event. */
  void fire(SessionEvent.Type type, String sessionId, String principal, String clientAddress,
      Instant at, EndReason reason) {
    log(type, sessionId, principal, clientAddress, reason);
    deliver(type, sessionId, principal, clientAddress, at, reason);
  }

  /**
   * Logs and delivers one event that happened at {@code atMillis} (epoch milliseconds); builds
   * the event and its {@link Instant} only if there is a listener.
   */
  void fire(SessionEvent.Type type, String sessionId, String principal, String clientAddress,
      long atMillis, EndReason reason) {
    log(type, sessionId, principal, clientAddress, reason);
    if (!listeners.isEmpty()) {
      deliver(type, sessionId, principal, clientAddress, Instant.ofEpochMilli(atMillis), reason);
    }
  }

  /**
   * Returns whether an event of {@code type} would reach nobody: no listener, and the security
   * log does not write it at its level. The caller may then skip building its values.
   */
  boolean isSilent(SessionEvent.Type type) {
    if (!listeners.isEmpty()) {
      return false;
    }
    return switch (type) {
      case AUTHENTICATED, RENEWED, LOGGED_OUT, REMEMBER_ME_USED, REVOKED, LOGGED_OUT_EVERYWHERE ->
          !LOG.isInfoEnabled();
      case CREATED, EXPIRED -> !LOG.isDebugEnabled();
      default -> false;
    };
  }

  private void deliver(SessionEvent.Type type, String sessionId, String principal,
      String clientAddress, Instant at, EndReason reason) {
    if (listeners.isEmpty()) {
      return;
    }
    SessionEvent event = new SessionEvent(type, sessionId, principal, at, reason, clientAddress);
    for (SessionListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.error("session listener {} failed on {}", listener.getClass().getName(), type, e);
      }
    }
  }

  private static void log(SessionEvent.Type type, String sessionId, String principal,
      String clientAddress, EndReason reason) {
    switch (type) {
      case REMEMBER_ME_THEFT, TOKEN_GUESSING, EVERYONE_LOGGED_OUT -> {
        // the detail is logged where it is known (what was presented, how many were ended)
      }
      case AUTHENTICATED, RENEWED, LOGGED_OUT, REMEMBER_ME_USED -> {
        if (LOG.isInfoEnabled()) {
          LOG.info("session {}: sessionId={} principal={} address={}{}", type, sessionId,
              principal, clientAddress, reason == null ? "" : " reason=" + reason);
        }
      }
      case REVOKED -> LOG.info("session REVOKED: sessionId={} principal={} reason={}", sessionId,
          principal, reason);
      case LOGGED_OUT_EVERYWHERE -> LOG.info("principal={} LOGGED_OUT_EVERYWHERE: every session"
          + " and remember-me series ended", principal);
      case CREATED, EXPIRED -> {
        if (LOG.isDebugEnabled()) {
          LOG.debug("session {}: sessionId={} principal={}{}", type, sessionId, principal,
              reason == null ? "" : " reason=" + reason);
        }
      }
      default -> throw new IllegalStateException("unknown event type " + type);
    }
  }
}
