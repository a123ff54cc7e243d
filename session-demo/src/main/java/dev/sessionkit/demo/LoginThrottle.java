// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design (OWASP ASVS 6.3.1 / 4.0.3 2.2.1, the Authentication Cheat Sheet's "account lockout").
 * Failures are counted per account name (as typed, whether or not the account exists, so the
 * answer does not tell) and per client address. The first few failures of a key are free; each
 * later one locks the key for a window that doubles, up to a cap: an account after 5 failures for
 * 1 s, 2 s, 4 s ... 15 min; an address after 20 failures the same way. A locked key refuses every
 * attempt, the right password included, without checking it (429 with Retry-After), so 60 wrong
 * passwords followed by the right one do not sign in. A key is forgotten after 15 minutes without
 * failure once its lock has passed; a success clears the account's count, never the address's (one
 * valid account must not reset an address that guesses others). Each map keeps at most MAX keys,
 * the least recently failed going first; an address that floods it with names is locked itself.
 *
 * Every failure, and the first refusal of each lock, is logged at WARN on dev.sessionkit.demo.login
 * with the account name attempted (printable ASCII, at most 64 characters) and the client address;
 * never the password. Refusals after the first of a lock are not logged, so a flood of attempts
 * against a locked key cannot flood the log (each failure already locks for longer).
 */

/** Counts failed sign-ins per account and per address and locks them out with a growing delay. */
final class LoginThrottle {

  static final int FREE_PER_ACCOUNT = 5;
  static final int FREE_PER_ADDRESS = 20;
  static final Duration FIRST_LOCK = Duration.ofSeconds(1);
  static final Duration MAX_LOCK = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofMinutes(15);
  static final int MAX = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger("dev.sessionkit.demo.login");

  /** The failures of one key and until when it is locked. */
  private static final class Failures {
    int count;
    Instant lastFailure;
    Instant lockedUntil = Instant.MIN;
    /** The lock whose first refusal was logged (later ones are not: no log flooding). */
    Instant refusalLogged = Instant.MIN;

    /** Returns whether this is the first refusal of the current lock, and marks it logged. */
    boolean firstRefusal(Instant now) {
      if (!lockedUntil.isAfter(now) || lockedUntil.equals(refusalLogged)) {
        return false;
      }
      refusalLogged = lockedUntil;
      return true;
    }
  }

  private final InstantSource clock;
  private final Map<String, Failures> accounts = bounded();
  private final Map<String, Failures> addresses = bounded();

  LoginThrottle(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Returns how long {@code account} from {@code address} must wait before an attempt is checked,
   * or empty if it may try now. The first refusal of each lock is logged.
   */
  synchronized Optional<Duration> refusal(String account, String address) {
    Instant now = clock.instant();
    Failures forAccount = current(accounts, key(account), now);
    Failures fromAddress = current(addresses, key(address), now);
    Instant until = max(forAccount == null ? Instant.MIN : forAccount.lockedUntil,
        fromAddress == null ? Instant.MIN : fromAddress.lockedUntil);
    if (!until.isAfter(now)) {
      return Optional.empty();
    }
    Duration wait = Duration.between(now, until);
    boolean first = forAccount != null && forAccount.firstRefusal(now);
    first |= fromAddress != null && fromAddress.firstRefusal(now);
    if (first) {
      LOG.warn("login refused while throttled: user={} address={} retry in {} s (further"
          + " refusals during this lock are not logged)", printable(account), printable(address),
          seconds(wait));
    }
    return Optional.of(wait);
  }

  /** Records a failed attempt (wrong password or unknown account) and logs it. */
  synchronized void failed(String account, String address) {
    Instant now = clock.instant();
    int forAccount = fail(accounts, key(account), FREE_PER_ACCOUNT, now);
    int fromAddress = fail(addresses, key(address), FREE_PER_ADDRESS, now);
    LOG.warn("login failed: user={} address={} failures: {} for the user, {} from the address",
        printable(account), printable(address), forAccount, fromAddress);
  }

  /** Records a successful sign-in: the account's failures are forgotten. */
  synchronized void succeeded(String account, String address) {
    accounts.remove(key(account));
    LOG.info("login: user={} address={}", printable(account), printable(address));
  }

  /** Returns the number of whole seconds to put in {@code Retry-After} (at least 1). */
  static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  private static int fail(Map<String, Failures> map, String key, int free, Instant now) {
    Failures f = map.remove(key); // re-inserted last: the map evicts the least recently failed
    if (f == null || forgotten(f, now)) {
      f = new Failures();
    }
    f.count++;
    f.lastFailure = now;
    if (f.count > free) {
      int doublings = Math.min(f.count - free - 1, 30);
      Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
      f.lockedUntil = now.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock);
    }
    map.put(key, f);
    return f.count;
  }

  /** Returns the failures of {@code key}, or null if it has none worth keeping. */
  private static Failures current(Map<String, Failures> map, String key, Instant now) {
    Failures f = map.get(key);
    if (f != null && forgotten(f, now)) {
      map.remove(key);
      return null;
    }
    return f;
  }

  private static boolean forgotten(Failures f, Instant now) {
    return !f.lockedUntil.isAfter(now) && !f.lastFailure.plus(FORGET_AFTER).isAfter(now);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String key(String value) {
    return value == null ? "" : value.length() > 256 ? value.substring(0, 256) : value;
  }

  /** A value fit for a log line: printable ASCII (others as '?'), at most 64 characters, quoted. */
  static String printable(String value) {
    if (value == null) {
      return "(none)";
    }
    String v = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return "'" + v.replaceAll("[^\\x20-\\x7e]", "?").replace("'", "\\'") + "'";
  }

  private static Map<String, Failures> bounded() {
    return new LinkedHashMap<>(256, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
        return size() > MAX;
      }
    };
  }
}
