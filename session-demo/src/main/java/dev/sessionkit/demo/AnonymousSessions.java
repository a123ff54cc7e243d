// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Design. Anyone can start an anonymous session (a cart) without signing in, so without a bound a
 * script could fill the store: 2000 cookie-less POSTs would be 2000 sessions. The demo caps the
 * live anonymous sessions, in total and per client address, and refuses to start another past
 * either cap (the cart answers 429 or 503; signing in is never refused for it).
 *
 * The count comes from the manager's events, so it follows every way a session ends: created
 * anonymous (CREATED without a principal) adds the public session id; signing in in place
 * (AUTHENTICATED, the same id), logout, revocation and expiry (also the purger's) remove it. The
 * map holds at most the cap plus the starts in flight: the check and the start are not one atomic
 * step, so concurrent starts may pass the cap by at most the number of request threads, a bounded
 * overshoot. Sessions of an earlier run of a durable store are not counted (they expire).
 */

/**
 * Counts the live anonymous sessions from the manager's events and decides whether another may
 * start: at most {@code max} in total and {@code max / 20} (at least 1) per client address.
 * Thread-safe.
 */
final class AnonymousSessions implements SessionListener {

  static final int DEFAULT_MAX = 1000;

  /** Why a new anonymous session may not start. */
  enum Refusal {
    /** This client address has too many live anonymous sessions. */
    ADDRESS_FULL,
    /** The demo has too many live anonymous sessions. */
    FULL
  }

  private final int max;
  private final int maxPerAddress;
  private final Map<String, String> liveIdToAddress = new ConcurrentHashMap<>();
  private final Map<String, Integer> liveByAddress = new ConcurrentHashMap<>();

  AnonymousSessions(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
    this.maxPerAddress = Math.max(1, max / 20);
  }

  /** Returns why an anonymous session for {@code address} may not start now, or null if it may. */
  Refusal refusal(String address) {
    if (liveByAddress.getOrDefault(key(address), 0) >= maxPerAddress) {
      return Refusal.ADDRESS_FULL;
    }
    return liveIdToAddress.size() >= max ? Refusal.FULL : null;
  }

  /** Returns how many anonymous sessions are live. */
  int live() {
    return liveIdToAddress.size();
  }

  int maxPerAddress() {
    return maxPerAddress;
  }

  @Override
  public void onEvent(SessionEvent event) {
    String id = event.sessionId().orElse(null);
    if (id == null) {
      return;
    }
    switch (event.type()) {
      case CREATED -> {
        if (event.principal().isEmpty()) {
          // the address is not in the event: the cart registers it right after the start
          liveIdToAddress.putIfAbsent(id, "");
        }
      }
      case AUTHENTICATED, EXPIRED, LOGGED_OUT, REVOKED -> forget(id);
      default -> {
        // renewal and remember-me change no anonymous session
      }
    }
  }

  /** Records the client address of an anonymous session the cart just started. */
  synchronized void started(String sessionId, String address) {
    String k = key(address);
    if (liveIdToAddress.replace(sessionId, "", k)) {
      liveByAddress.merge(k, 1, Integer::sum);
    }
  }

  private synchronized void forget(String id) {
    String address = liveIdToAddress.remove(id);
    if (address != null && !address.isEmpty()) {
      liveByAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private static String key(String address) {
    return address == null || address.isEmpty() ? "?" : address;
  }
}
