// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Calls every store operation once and records the commands each one sent. */
final class RoundTripScenario {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisSessionStore store;
  private final RoundTripCounter counter;
  private final Map<String, List<String>> sent = new LinkedHashMap<>();

  private RoundTripScenario(RedisSessionStore store, RoundTripCounter counter) {
    this.store = store;
    this.counter = counter;
  }

  /** Returns, per operation, the commands it sent; {@code now} is epoch milliseconds. */
  static Map<String, List<String>> run(RedisSessionStore store, long now,
      RoundTripCounter counter) {
    return new RoundTripScenario(store, counter).all(now);
  }

  private Map<String, List<String>> all(long now) {
    String principal = "rt-" + randomId();
    SessionRecord session = authenticated(principal, now).withAttributes(Map.of("cart", "apple"));
    SessionRecord renewed = session.rotated(hashFor(session.id()),
        PreviousToken.Rotation.RENEWAL,
        now + 5_000, now + 1);
    RememberMeSeries series = RememberMeSeries.issue(hashIn(RedisKeys.bucketOf(principal)),
        principal, randomHash(), now,
        86_400_000, session.id(), 0);
    RememberMeSeries used = series.rotated(series.validatorHash(), randomHash(), now + 5_000,
        now + 1, session.id());

    measure("create", () -> store.create(session, 0));
    measure("findByTokenHash", () -> store.findByTokenHash(session.tokenHash()));
    measure("findByTokenHashAndTouch",
        () -> store.findByTokenHashAndTouch(session.tokenHash(), now + 500, 0));
    measure("findById", () -> store.findById(session.id()));
    measure("touch", () -> store.touch(session.id(), now + 1000));
    measure("rotate", () -> store.rotate(session.id(), session.tokenHash(), renewed, 0));
    measure("findByTokenHashAndTouch (previous token)",
        () -> store.findByTokenHashAndTouch(session.tokenHash(), now + 2000, 0));
    measure("updateAttributes",
        () -> store.updateAttributes(session.id(), session.principal(), Map.of("theme", "dark"), Set.of("cart")));
    measure("findByPrincipal", () -> store.findByPrincipal(principal, now));
    measure("principalGeneration", () -> store.principalGeneration(principal));
    measure("setIdleTimeout", () -> store.setIdleTimeout(session.id(), principal, 120_000));
    SessionRecord loggedOut = SessionRecord.anonymous(session.id(), hashFor(session.id()),
        renewed.lifetime(), ClientInfo.NONE);
    measure("rotate (a logout that keeps the session)",
        () -> store.rotate(session.id(), renewed.tokenHash(), loggedOut, 0));
    measure("delete", () -> store.delete(session.id()));
    measure("revokePrincipal", () -> store.revokePrincipal(principal, Set.of(), 1));
    measure("purgeExpired", () -> store.purgeExpired(now, 100));
    measure("createSeries", () -> store.createSeries(series));
    measure("findSeries", () -> store.findSeries(series.selectorHash()));
    measure("replaceSeries", () -> store.replaceSeries(used, series.validatorHash()));
    measure("deleteSeriesIfLatest",
        () -> store.deleteSeriesIfLatest(series.selectorHash(), "another"));
    measure("deleteSeries", () -> store.deleteSeries(series.selectorHash()));
    measure("revokeSeries", () -> store.revokeSeries(principal, Set.of(), 1));
    measure("purgeExpiredSeries", () -> store.purgeExpiredSeries(now, 100));
    return sent;
  }

  /**
   * Returns how many commands {@link #run} sends for {@code operation} (docs/redis.md, Round
   * trips): one for most operations on one session or series; a listing reads the principal's
   * set, then its sessions; a purge reads each of the 256 due-index shards (nothing is due in this
   * scenario, so no shard needs the script that claims).
   */
  static int expectedCommands(String operation) {
    return switch (operation) {
      case "purgeExpired", "purgeExpiredSeries" -> RedisKeys.BUCKETS;
      case "findByPrincipal" -> 2;
      // (a delete of an authenticated session takes a second step for its entry in the
      // principal's set; this one was made anonymous by the logout that kept it: one)
      // the session leaves its principal: its entry in the principal's set goes in a second step
      case "rotate (a logout that keeps the session)" -> 2;
      // the series set still lists the series deleteSeries removed (its entry stays until the
      // purge or a revocation drops it): read, then a script that names the series
      case "revokeSeries" -> 2;
      default -> 1;
    };
  }

  private void measure(String operation, Runnable call) {
    counter.take();
    call.run();
    sent.put(operation, counter.take());
  }

  /**
   * Returns a session of {@code principal} that logged in at {@code now} (epoch ms), with an id
   * and token hash in the principal's bucket, as the manager makes them.
   */
  static SessionRecord authenticated(String principal, long now) {
    String id = randomId() + "." + RedisKeys.bucketOf(principal);
    return SessionRecord.authenticated(id, hashFor(id),
        Authentication.interactive(principal, now, null),
        Lifetime.startingAt(now, 60_000, 3_600_000), ClientInfo.NONE);
  }

  /**
   * Returns a random token hash as the session cookie of {@code sessionId} presents it: with the
   * store's cookie tag, which names the session.
   */
  static TokenHash hashFor(String sessionId) {
    return randomHash().withRoutingTag(RedisKeys.cookieTag(sessionId));
  }

  /** Returns a random hash carrying routing tag {@code bucket}. */
  static TokenHash hashIn(String bucket) {
    return randomHash().withRoutingTag(bucket);
  }

  static TokenHash randomHash() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  static String randomId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
