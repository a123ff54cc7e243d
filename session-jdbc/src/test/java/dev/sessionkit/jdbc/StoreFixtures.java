// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Records, secrets and concurrency helpers for the JDBC store's own tests. */
final class StoreFixtures {

  /** Idle timeout of the records made here, in milliseconds. */
  static final long IDLE = Duration.ofMinutes(30).toMillis();
  /** Absolute timeout of the records made here, in milliseconds. */
  static final long ABSOLUTE = Duration.ofHours(8).toMillis();
  /** Lifetime of the series made here, in milliseconds. */
  static final long SERIES_LIFETIME = Duration.ofDays(30).toMillis();

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private StoreFixtures() {}

  /** Returns {@code length} random bytes. */
  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** Returns a random token hash. */
  static TokenHash randomHash() {
    return TokenHash.of(randomBytes(TokenHash.LENGTH));
  }

  /** Returns a random 16-character id. */
  static String randomId() {
    return BASE64URL.encodeToString(randomBytes(12));
  }

  /** Returns a new secret as the manager makes one: 32 random bytes, base64url (43 chars). */
  static String newToken() {
    return BASE64URL.encodeToString(randomBytes(32));
  }

  /** Returns a new remember-me selector: 12 random bytes, base64url (16 chars). */
  static String newSelector() {
    return BASE64URL.encodeToString(randomBytes(12));
  }

  /** Returns the hash under which a store keeps {@code base64url}: SHA-256 of its bytes. */
  static TokenHash hashOf(String base64url) {
    try {
      return TokenHash.of(MessageDigest.getInstance("SHA-256")
          .digest(Base64.getUrlDecoder().decode(base64url)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Returns an interactive authentication of {@code principal} at {@code nowMillis}. */
  static Authentication login(String principal, long nowMillis) {
    return Authentication.interactive(principal, nowMillis, null);
  }

  /** Returns a session of {@code principal} (anonymous if {@code null}) created at {@code now}. */
  static SessionRecord session(String principal, long nowMillis) {
    Lifetime lifetime = Lifetime.startingAt(nowMillis, IDLE, ABSOLUTE);
    ClientInfo client = ClientInfo.of("203.0.113.7", "JUnit/5");
    return principal == null
        ? SessionRecord.anonymous(randomId(), randomHash(), lifetime, client)
        : SessionRecord.authenticated(randomId(), randomHash(), login(principal, nowMillis),
            lifetime, client);
  }

  /** Returns an anonymous session created at {@code nowMillis}. */
  static SessionRecord anonymous(long nowMillis) {
    return session(null, nowMillis);
  }

  /** Returns a series of {@code principal} issued at {@code nowMillis} with session {@code id}. */
  static RememberMeSeries series(String principal, long nowMillis, String sessionId,
      long generation) {
    return RememberMeSeries.issue(randomHash(), principal, randomHash(), nowMillis,
        SERIES_LIFETIME, sessionId, generation);
  }

  /**
   * Runs the tasks on threads of their own, released together by a barrier, and returns their
   * results in task order; fails if any task fails or they take longer than 60 seconds.
   */
  static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CyclicBarrier start = new CyclicBarrier(tasks.size());
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return task.call();
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
