// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/*
 * The store check behind SessionManager.checkStore. A store call may hang far longer than a
 * health endpoint may wait (a JDBC driver connecting to a host that drops packets), so the ping
 * runs on a daemon thread of its own and the caller waits at most its timeout. At most one ping
 * is in flight per manager: a check that finds one running waits for that one instead of
 * starting another, so a hanging backend and a health endpoint polled every second never pile
 * up threads. The result of a ping is never cached: every check after the last one finished
 * sends a new one.
 */
final class StoreCheck {

  /** A series selector hash that no series has: 32 zero bytes. */
  private static final TokenHash PING_SELECTOR = TokenHash.of(new byte[TokenHash.LENGTH]);

  private final SessionStore sessions;
  private final RememberMeStore rememberMe;
  private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

  StoreCheck(SessionStore sessions, RememberMeStore rememberMe) {
    this.sessions = sessions;
    this.rememberMe = rememberMe;
  }

  StoreHealth check(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    CompletableFuture<Void> ping = currentOrNewPing();
    String description = rememberMe == sessions ? describe(sessions)
        : describe(sessions) + " and " + describe(rememberMe);
    try {
      ping.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new StoreHealth(true, description, "ok");
    } catch (TimeoutException e) {
      return new StoreHealth(false, description, "no answer within " + timeout);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new StoreHealth(false, description,
          cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new StoreHealth(false, description, "interrupted while waiting for the store");
    }
  }

  /** The store's own description, or its class name if even {@code toString()} fails. */
  private static String describe(Object store) {
    try {
      return String.valueOf(store);
    } catch (RuntimeException e) {
      return store.getClass().getName();
    }
  }

  private CompletableFuture<Void> currentOrNewPing() {
    while (true) {
      CompletableFuture<Void> current = inFlight.get();
      if (current != null && !current.isDone()) {
        return current;
      }
      CompletableFuture<Void> next = new CompletableFuture<>();
      if (inFlight.compareAndSet(current, next)) {
        Thread thread = new Thread(() -> run(next), "sessionkit-store-check");
        thread.setDaemon(true);
        thread.start();
        return next;
      }
    }
  }

  private void run(CompletableFuture<Void> result) {
    try {
      sessions.ping();
      if (rememberMe != sessions) {
        rememberMe.findSeries(PING_SELECTOR);
      }
      result.complete(null);
    } catch (Throwable t) {
      result.completeExceptionally(t);
    }
  }
}
