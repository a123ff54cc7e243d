package dev.sessionkit.redis;

import dev.sessionkit.AuthenticationMethod;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
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

  private final SessionStore store;
  private final RoundTripCounter counter;
  private final Map<String, List<String>> sent = new LinkedHashMap<>();

  private RoundTripScenario(SessionStore store, RoundTripCounter counter) {
    this.store = store;
    this.counter = counter;
  }

  /** Returns, per operation, the commands it sent. */
  static Map<String, List<String>> run(SessionStore store, long now, RoundTripCounter counter) {
    return new RoundTripScenario(store, counter).all(now);
  }

  private Map<String, List<String>> all(long now) {
    String principal = "rt-" + randomId();
    SessionRecord session = new SessionRecord(randomId(), randomHash(), principal, now, now,
        AuthenticationMethod.INTERACTIVE, now, 60_000, now + 3_600_000, null, null, null,
        Map.of("cart", "apple"));
    SessionRecord rotated = new SessionRecord(session.id(), randomHash(), principal, now, now,
        AuthenticationMethod.INTERACTIVE, now + 1, 60_000, now + 3_600_000, null, null, null,
        Map.of());
    RememberMeSeries series = new RememberMeSeries(randomId(), principal, randomHash(), null, 0,
        now, now + 86_400_000, now);

    measure("create", () -> store.create(session));
    measure("findByTokenHash", () -> store.findByTokenHash(session.tokenHash()));
    measure("findById", () -> store.findById(session.id()));
    measure("touch", () -> store.touch(session.id(), now + 1000));
    measure("replaceMetadata",
        () -> store.replaceMetadata(session.id(), session.tokenHash(), rotated));
    measure("updateAttributes",
        () -> store.updateAttributes(session.id(), Map.of("theme", "dark"), Set.of("cart")));
    measure("findByPrincipal", () -> store.findByPrincipal(principal, now));
    measure("delete", () -> store.delete(session.id()));
    measure("deleteByPrincipal", () -> store.deleteByPrincipal(principal, Set.of()));
    measure("purgeExpired", () -> store.purgeExpired(now, 100));
    measure("createSeries", () -> store.createSeries(series));
    measure("findSeries", () -> store.findSeries(series.selector()));
    measure("rotateSeries", () -> store.rotateSeries(series.selector(), series.validatorHash(),
        randomHash(), now + 5000, now));
    measure("deleteSeries", () -> store.deleteSeries(series.selector()));
    measure("deleteSeriesByPrincipal", () -> store.deleteSeriesByPrincipal(principal, Set.of()));
    measure("purgeExpiredSeries", () -> store.purgeExpiredSeries(now, 100));
    return sent;
  }

  private void measure(String operation, Runnable call) {
    counter.take();
    call.run();
    sent.put(operation, counter.take());
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
