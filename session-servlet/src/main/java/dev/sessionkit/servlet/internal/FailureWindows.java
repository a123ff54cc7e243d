// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Design: failures are rare (a browser with a stale cookie, an attacker), the check "is this
 * address in its cool-down?" runs on every request. So the two live apart:
 *
 * - windows: a LinkedHashMap in access order, capped at maxAddresses (the eldest, the address that
 *   failed least recently, is dropped), guarded by this object's lock and touched only when a
 *   request failed. Each entry is a ring of the last `threshold` failure times and the
 *   fingerprints of their values: a failure at `now` whose ring is full and whose oldest time is
 *   within the window is the (threshold+1)-th within the window, an exact sliding window in
 *   O(threshold) memory. A failure whose values equal any counted failure of the address still in
 *   the window is not counted again: browsers behind one address that take turns resending their
 *   own stale cookies count once each, not once per request.
 * - coolDowns: a ConcurrentHashMap of tripped addresses and the end of their cool-down, read
 *   without a lock by every request, written when an address trips, emptied of ended entries
 *   when it reaches maxAddresses (it never holds more).
 *
 * Times are epoch milliseconds from the manager's clock, passed in.
 */

/** Per-address sliding windows of credential failures, in bounded memory. Thread-safe. */
final class FailureWindows {

  /** What one counted failure did. */
  enum Outcome {
    /** Not counted: the same values as a failure of the address still in the window. */
    REPEATED,
    /** Counted, still within the threshold (or already in its cool-down). */
    COUNTED,
    /** Counted, and it tripped the address: its cool-down starts now. */
    TRIPPED
  }

  private final int threshold;
  private final long windowMillis;
  private final long coolDownMillis;
  private final int maxAddresses;
  private final Map<String, Window> windows;
  private final ConcurrentHashMap<String, Long> coolDowns = new ConcurrentHashMap<>();

  FailureWindows(int threshold, long windowMillis, long coolDownMillis, int maxAddresses) {
    this.threshold = threshold;
    this.windowMillis = windowMillis;
    this.coolDownMillis = coolDownMillis;
    this.maxAddresses = maxAddresses;
    this.windows = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
        return size() > FailureWindows.this.maxAddresses;
      }
    };
  }

  /** Counts a failure of {@code key} at {@code nowMillis} whose values hash to {@code fingerprint}. */
  Outcome failure(String key, long fingerprint, long nowMillis) {
    synchronized (this) {
      Window w = windows.computeIfAbsent(key, k -> new Window(threshold));
      if (w.seen(fingerprint, nowMillis - windowMillis)) {
        return Outcome.REPEATED;
      }
      boolean over = w.size == threshold && w.times[w.next] > nowMillis - windowMillis;
      w.times[w.next] = nowMillis;
      w.fingerprints[w.next] = fingerprint;
      w.next = (w.next + 1) % threshold;
      w.size = Math.min(w.size + 1, threshold);
      if (!over || coolingDown(key, nowMillis)) {
        return Outcome.COUNTED;
      }
      startCoolDown(key, nowMillis);
      return Outcome.TRIPPED;
    }
  }

  /** Returns the end of {@code key}'s cool-down if it is in one at {@code nowMillis}, else 0. */
  long coolDownEnd(String key, long nowMillis) {
    Long end = coolDowns.get(key);
    if (end == null) {
      return 0L;
    }
    if (end <= nowMillis) {
      coolDowns.remove(key, end);
      return 0L;
    }
    return end;
  }

  /** Returns how many addresses are tracked (for tests of the bound). */
  synchronized int trackedAddresses() {
    return windows.size();
  }

  /** Returns how many addresses are in their cool-down map (for tests of the bound). */
  int coolingDownAddresses() {
    return coolDowns.size();
  }

  private boolean coolingDown(String key, long nowMillis) {
    return coolDownEnd(key, nowMillis) != 0L;
  }

  private void startCoolDown(String key, long nowMillis) {
    if (coolDowns.size() >= maxAddresses) {
      coolDowns.values().removeIf(end -> end <= nowMillis);
      if (coolDowns.size() >= maxAddresses) {
        return; // full of live cool-downs: this one is reported, not refused
      }
    }
    long end = nowMillis + coolDownMillis;
    coolDowns.put(key, end);
  }

  /** The last {@code threshold} failures of one address: their times and values' fingerprints. */
  private static final class Window {
    final long[] times;
    final long[] fingerprints;
    int next;
    int size;

    Window(int threshold) {
      this.times = new long[threshold];
      this.fingerprints = new long[threshold];
    }

    /** Whether a failure with {@code fingerprint} was counted after {@code sinceMillis}. */
    boolean seen(long fingerprint, long sinceMillis) {
      for (int i = 0; i < size; i++) {
        if (fingerprints[i] == fingerprint && times[i] > sinceMillis) {
          return true;
        }
      }
      return false;
    }
  }
}
