package dev.sessionkit.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.AuthenticationMethod;
import dev.sessionkit.EndReason;
import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SessionStore} must show. A store module extends this class and
 * supplies {@link #createStore()}; each test gets a fresh, empty store.
 *
 * <pre>{@code
 * class MyStoreTest extends SessionStoreContract {
 *   protected SessionStore createStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * <p>Times are epoch milliseconds near the real clock, with timeouts long enough (30 minutes idle,
 * 8 hours absolute) that a store which also expires entries physically (Redis TTLs) keeps every
 * record for the whole test; expiry is tested by passing a later {@code now}.
 */
public abstract class SessionStoreContract {

  /** Idle timeout of the records made here. */
  protected static final long IDLE = Duration.ofMinutes(30).toMillis();
  /** Absolute timeout of the records made here. */
  protected static final long ABSOLUTE = Duration.ofHours(8).toMillis();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The store under test. */
  protected SessionStore store;
  /** A time near the real clock at which the test starts. */
  protected long t0;

  /** Returns a new, empty store (or a fresh namespace of a shared backend). */
  protected abstract SessionStore createStore();

  /**
   * Overwrites the stored attributes of {@code sessionId} with bytes that do not decode. Stores
   * that keep objects (in memory) cannot be corrupted and leave this unimplemented, which skips the
   * test.
   */
  protected void corruptAttributes(SessionStore store, String sessionId) throws Exception {
    Assumptions.abort("this store keeps attribute objects; nothing can be corrupted");
  }

  /** Releases what {@link #createStore()} acquired; the default does nothing. */
  protected void closeStore(SessionStore store) throws Exception {}

  @BeforeEach
  void setUpStore() {
    store = createStore();
    t0 = System.currentTimeMillis();
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore(store);
  }

  // ------------------------------------------------------------------ fixtures

  /** Returns a random token hash. */
  protected static TokenHash randomHash() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  /** Returns a random 16-character id. */
  protected static String randomId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Returns an authenticated session record created at {@code now}. */
  protected static SessionRecord session(String principal, long now) {
    return new SessionRecord(randomId(), randomHash(), principal, now,
        principal == null ? 0 : now, principal == null ? null : AuthenticationMethod.INTERACTIVE,
        now, IDLE, now + ABSOLUTE, null, "203.0.113.7", "JUnit/5", Map.of());
  }

  /** Returns an anonymous session record created at {@code now}. */
  protected static SessionRecord anonymous(long now) {
    return session(null, now);
  }

  /** Returns a remember-me series of {@code principal} created at {@code now}. */
  protected static RememberMeSeries series(String principal, long now) {
    return new RememberMeSeries(randomId(), principal, randomHash(), null, 0, now,
        now + Duration.ofDays(30).toMillis(), now);
  }

  private SessionRecord created(SessionRecord record) {
    store.create(record);
    return record;
  }

  // ------------------------------------------------------------------ create and find

  @Test
  void createdSessionIsFoundByTokenHashAndByIdWithEveryField() {
    SessionRecord record = new SessionRecord(randomId(), randomHash(), "alice", t0, t0 + 1,
        AuthenticationMethod.REMEMBER_ME, t0 + 2, IDLE, t0 + ABSOLUTE, randomId(),
        "2001:db8::1", "Mozilla/5.0 (X11)",
        Map.of("cart", new ArrayList<>(List.of("apple", "pear")), "count", 3, "name", "Ålice"));
    store.create(record);

    assertThat(store.findByTokenHash(record.tokenHash())).contains(record);
    assertThat(store.findById(record.id())).contains(record);
  }

  @Test
  void anonymousSessionRoundTrips() {
    SessionRecord record = created(anonymous(t0));
    SessionRecord found = store.findByTokenHash(record.tokenHash()).orElseThrow();
    assertThat(found.principal()).isNull();
    assertThat(found.authenticationMethod()).isNull();
    assertThat(found).isEqualTo(record);
  }

  @Test
  void unknownKeysFindNothing() {
    created(session("alice", t0));
    assertThat(store.findByTokenHash(randomHash())).isEmpty();
    assertThat(store.findById(randomId())).isEmpty();
    assertThat(store.findSeries(randomId())).isEmpty();
  }

  @Test
  void createRejectsADuplicateId() {
    SessionRecord first = created(session("alice", t0));
    SessionRecord sameId = new SessionRecord(first.id(), randomHash(), "bob", t0, t0,
        AuthenticationMethod.INTERACTIVE, t0, IDLE, t0 + ABSOLUTE, null, null, null, Map.of());
    assertThatThrownBy(() -> store.create(sameId)).isInstanceOf(SessionStoreException.class);
    assertThat(store.findById(first.id())).contains(first);
  }

  // ------------------------------------------------------------------ touch

  @Test
  void touchMovesTheLastAccessForwardButNeverBack() {
    SessionRecord record = created(session("alice", t0));
    assertThat(store.touch(record.id(), t0 + 60_000)).isTrue();
    assertThat(store.findById(record.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0 + 60_000);

    assertThat(store.touch(record.id(), t0 + 30_000)).isTrue();
    SessionRecord after = store.findByTokenHash(record.tokenHash()).orElseThrow();
    assertThat(after.lastAccessedAt()).isEqualTo(t0 + 60_000);
    assertThat(after.expiresAt()).isEqualTo(t0 + 60_000 + IDLE);
  }

  @Test
  void touchOfADeletedSessionFailsAndDoesNotBringItBack() {
    SessionRecord record = created(session("alice", t0));
    assertThat(store.delete(record.id())).isTrue();

    assertThat(store.touch(record.id(), t0 + 1000)).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0 + 1000)).isEmpty();
  }

  @Test
  void touchOfAnUnknownSessionFails() {
    assertThat(store.touch(randomId(), t0)).isFalse();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
  }

  @Test
  void findAndTouchRecordsTheAccessOnlyWhenDue() {
    SessionRecord record = created(session("alice", t0));

    SessionRecord early = store.findByTokenHashAndTouch(record.tokenHash(), t0 + 999, 1000)
        .orElseThrow();
    assertThat(early.lastAccessedAt()).isEqualTo(t0);
    assertThat(store.findById(record.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0);

    SessionRecord due = store.findByTokenHashAndTouch(record.tokenHash(), t0 + 1000, 1000)
        .orElseThrow();
    assertThat(due.lastAccessedAt()).isEqualTo(t0 + 1000);
    assertThat(due.expiresAt()).isEqualTo(t0 + 1000 + IDLE);
    assertThat(store.findById(record.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0 + 1000);
    assertThat(store.purgeExpired(t0 + IDLE, 10)).as("the touch moved the expiry").isEmpty();

    assertThat(store.findByTokenHashAndTouch(record.tokenHash(), t0 + 500, 0).orElseThrow()
        .lastAccessedAt()).as("never backwards").isEqualTo(t0 + 1000);
  }

  @Test
  void findAndTouchLeavesAnExpiredSessionUntouchedAndFindsNothingUnknown() {
    SessionRecord record = created(session("alice", t0));
    long late = t0 + IDLE;

    SessionRecord found = store.findByTokenHashAndTouch(record.tokenHash(), late, 0).orElseThrow();
    assertThat(found.lastAccessedAt()).isEqualTo(t0);
    assertThat(found.isExpired(late)).isTrue();
    assertThat(store.findById(record.id()).orElseThrow().lastAccessedAt()).isEqualTo(t0);
    assertThat(store.findByTokenHashAndTouch(randomHash(), t0, 0)).isEmpty();
    store.delete(record.id());
    assertThat(store.findByTokenHashAndTouch(record.tokenHash(), t0 + 1, 0)).isEmpty();
    assertThat(store.findById(record.id())).isEmpty();
  }

  // ------------------------------------------------------------------ attributes

  @Test
  void updateAttributesPutsAndRemovesOnlyWhatItNames() {
    SessionRecord record = created(session("alice", t0).withAttributes(
        Map.of("keep", "k", "drop", "d", "change", 1)));

    assertThat(store.updateAttributes(record.id(), Map.of("change", 2, "add", List.of("x")),
        Set.of("drop"))).isTrue();

    assertThat(store.findByTokenHash(record.tokenHash()).orElseThrow().attributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("keep", "k", "change", 2, "add", List.of("x")));
  }

  @Test
  void updateAttributesOfADeletedSessionFailsAndDoesNotBringItBack() {
    SessionRecord record = created(session("alice", t0));
    store.delete(record.id());

    assertThat(store.updateAttributes(record.id(), Map.of("cart", "x"), Set.of())).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
  }

  @Test
  void concurrentUpdatesOfDifferentAttributesLoseNothing() throws Exception {
    SessionRecord record = created(session("alice", t0));
    int threads = 4;
    int perThread = 25;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      tasks.add(() -> {
        for (int i = 0; i < perThread; i++) {
          assertThat(store.updateAttributes(record.id(), Map.of("t" + thread + "-" + i, i),
              Set.of())).isTrue();
        }
        return null;
      });
    }
    runTogether(tasks);

    Map<String, Object> attributes = store.findById(record.id()).orElseThrow().attributes();
    assertThat(attributes).hasSize(threads * perThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(attributes).containsEntry("t" + t + "-" + i, i);
      }
    }
  }

  @Test
  void corruptAttributesMakeTheSessionAbsentAndRemoveIt() throws Exception {
    SessionRecord record = created(session("alice", t0).withAttributes(Map.of("cart", "x")));
    corruptAttributes(store, record.id());

    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.touch(record.id(), t0 + 1)).isFalse();
  }

  // ------------------------------------------------------------------ rotation

  @Test
  void replaceMetadataRotatesTheTokenAndKeepsAttributesAndCreationTime() {
    SessionRecord anonymous = created(anonymous(t0).withAttributes(Map.of("cart", "apple")));
    TokenHash newHash = randomHash();
    SessionRecord authenticated = new SessionRecord(anonymous.id(), newHash, "alice", t0 + 5,
        t0 + 5000, AuthenticationMethod.INTERACTIVE, t0 + 5000, IDLE, t0 + 5000 + ABSOLUTE,
        "selector-0123456", "198.51.100.1", "Firefox", Map.of());

    assertThat(store.replaceMetadata(anonymous.id(), anonymous.tokenHash(), authenticated)).isTrue();

    assertThat(store.findByTokenHash(anonymous.tokenHash())).isEmpty();
    SessionRecord found = store.findByTokenHash(newHash).orElseThrow();
    assertThat(found.id()).isEqualTo(anonymous.id());
    assertThat(found.createdAt()).isEqualTo(t0);
    assertThat(found.principal()).isEqualTo("alice");
    assertThat(found.authenticatedAt()).isEqualTo(t0 + 5000);
    assertThat(found.authenticationMethod()).isEqualTo(AuthenticationMethod.INTERACTIVE);
    assertThat(found.lastAccessedAt()).isEqualTo(t0 + 5000);
    assertThat(found.absoluteDeadline()).isEqualTo(t0 + 5000 + ABSOLUTE);
    assertThat(found.rememberMeSelector()).isEqualTo("selector-0123456");
    assertThat(found.clientAddress()).isEqualTo("198.51.100.1");
    assertThat(found.userAgent()).isEqualTo("Firefox");
    assertThat(found.attributes()).containsExactlyEntriesOf(Map.of("cart", "apple"));
    assertThat(store.findByPrincipal("alice", t0 + 5000)).extracting(SessionRecord::id)
        .containsExactly(anonymous.id());
  }

  @Test
  void replaceMetadataFailsWhenTheTokenHashIsNoLongerTheExpectedOne() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord first = withHash(record, randomHash());
    assertThat(store.replaceMetadata(record.id(), record.tokenHash(), first)).isTrue();

    SessionRecord second = withHash(record, randomHash());
    assertThat(store.replaceMetadata(record.id(), record.tokenHash(), second)).isFalse();
    assertThat(store.findByTokenHash(first.tokenHash())).isPresent();
    assertThat(store.findByTokenHash(second.tokenHash())).isEmpty();
  }

  @Test
  void replaceMetadataOfADeletedSessionFailsAndDoesNotBringItBack() {
    SessionRecord record = created(anonymous(t0));
    store.delete(record.id());
    SessionRecord replacement = new SessionRecord(record.id(), randomHash(), "alice", t0, t0,
        AuthenticationMethod.INTERACTIVE, t0, IDLE, t0 + ABSOLUTE, null, null, null, Map.of());

    assertThat(store.replaceMetadata(record.id(), record.tokenHash(), replacement)).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(replacement.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
  }

  @Test
  void ofTwoRacingRotationsExactlyOneWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      SessionRecord record = created(anonymous(t0));
      SessionRecord a = withHash(record, randomHash());
      SessionRecord b = withHash(record, randomHash());
      List<Boolean> results = runTogether(List.of(
          () -> store.replaceMetadata(record.id(), record.tokenHash(), a),
          () -> store.replaceMetadata(record.id(), record.tokenHash(), b)));
      assertThat(results).containsExactlyInAnyOrder(true, false);
      SessionRecord winner = results.get(0) ? a : b;
      SessionRecord loser = results.get(0) ? b : a;
      assertThat(store.findByTokenHash(winner.tokenHash())).isPresent();
      assertThat(store.findByTokenHash(loser.tokenHash())).isEmpty();
      assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    }
  }

  // ------------------------------------------------------------------ delete and principals

  @Test
  void deleteReportsTheEndOnlyOnce() throws Exception {
    SessionRecord record = created(session("alice", t0));
    List<Boolean> results = runTogether(List.of(
        () -> store.delete(record.id()), () -> store.delete(record.id()),
        () -> store.delete(record.id())));
    assertThat(results).containsExactlyInAnyOrder(true, false, false);
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.delete(record.id())).isFalse();
  }

  @Test
  void findByPrincipalListsOnlyLiveSessionsOfThatPrincipal() {
    SessionRecord a1 = created(session("alice", t0));
    SessionRecord a2 = created(session("alice", t0));
    SessionRecord gone = created(session("alice", t0));
    SessionRecord idle = created(session("alice", t0 - IDLE + 1000));
    created(session("bob", t0));
    created(anonymous(t0));
    store.delete(gone.id());

    assertThat(store.findByPrincipal("alice", t0 + 999)).extracting(SessionRecord::id)
        .containsExactlyInAnyOrder(a1.id(), a2.id(), idle.id());
    assertThat(store.findByPrincipal("alice", t0 + 1000)).extracting(SessionRecord::id)
        .containsExactlyInAnyOrder(a1.id(), a2.id());
    assertThat(store.findByPrincipal("carol", t0)).isEmpty();
  }

  @Test
  void findByPrincipalNeverListsASessionThatExpiredWithoutACall() {
    SessionRecord record = created(session("alice", t0));
    long afterAbsolute = t0 + ABSOLUTE;
    store.touch(record.id(), afterAbsolute - 1);
    assertThat(store.findByPrincipal("alice", afterAbsolute - 1)).hasSize(1);
    assertThat(store.findByPrincipal("alice", afterAbsolute)).isEmpty();
  }

  @Test
  void deleteByPrincipalKeepsTheExceptionsAndOtherPrincipals() {
    SessionRecord keep = created(session("alice", t0));
    SessionRecord end1 = created(session("alice", t0));
    SessionRecord end2 = created(session("alice", t0));
    SessionRecord bob = created(session("bob", t0));

    assertThat(store.deleteByPrincipal("alice", Set.of(keep.id())))
        .containsExactlyInAnyOrder(end1.id(), end2.id());

    assertThat(store.findByTokenHash(end1.tokenHash())).isEmpty();
    assertThat(store.findByTokenHash(end2.tokenHash())).isEmpty();
    assertThat(store.findByTokenHash(keep.tokenHash())).isPresent();
    assertThat(store.findByTokenHash(bob.tokenHash())).isPresent();
    assertThat(store.findByPrincipal("alice", t0)).extracting(SessionRecord::id)
        .containsExactly(keep.id());
    assertThat(store.deleteByPrincipal("alice", Set.of(keep.id()))).isEmpty();
    assertThat(store.deleteByPrincipal("alice", Set.of())).containsExactly(keep.id());
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
  }

  @Test
  void racingForceLogoutsReportEachSessionOnce() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(created(session("alice", t0)).id());
    }
    List<List<String>> results = runTogether(List.of(
        () -> store.deleteByPrincipal("alice", Set.of()),
        () -> store.deleteByPrincipal("alice", Set.of())));
    List<String> all = new ArrayList<>(results.get(0));
    all.addAll(results.get(1));
    assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
  }

  // ------------------------------------------------------------------ purge

  @Test
  void purgeRemovesExpiredSessionsOnlyAndSaysWhy() {
    SessionRecord live = created(session("alice", t0));
    SessionRecord idle = created(session("alice", t0 - IDLE));
    SessionRecord absolute = new SessionRecord(randomId(), randomHash(), "bob", t0 - ABSOLUTE,
        t0 - ABSOLUTE, AuthenticationMethod.INTERACTIVE, t0 - 1, IDLE, t0, null, null, null,
        Map.of());
    store.create(absolute);

    List<ExpiredSession> purged = store.purgeExpired(t0, 100);

    assertThat(purged).containsExactlyInAnyOrder(
        new ExpiredSession(idle.id(), "alice", t0, EndReason.IDLE_TIMEOUT),
        new ExpiredSession(absolute.id(), "bob", t0, EndReason.ABSOLUTE_TIMEOUT));
    assertThat(store.findById(idle.id())).isEmpty();
    assertThat(store.findById(absolute.id())).isEmpty();
    assertThat(store.findById(live.id())).isPresent();
    assertThat(store.purgeExpired(t0, 100)).isEmpty();
  }

  @Test
  void purgeSparesASessionThatWasTouchedSinceItWasCreated() {
    SessionRecord record = created(session("alice", t0));
    store.touch(record.id(), t0 + IDLE - 1);

    assertThat(store.purgeExpired(t0 + IDLE, 100)).isEmpty();
    assertThat(store.findById(record.id())).isPresent();
    assertThat(store.purgeExpired(t0 + 2 * IDLE - 1, 100)).extracting(ExpiredSession::sessionId)
        .containsExactly(record.id());
  }

  @Test
  void purgeHonoursItsLimitAndReportsEachSessionOnce() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ids.add(created(session("user" + (i % 3), t0)).id());
    }
    long later = t0 + IDLE;
    List<String> purged = new ArrayList<>();
    List<ExpiredSession> batch;
    int calls = 0;
    do {
      batch = store.purgeExpired(later, 10);
      assertThat(batch.size()).isLessThanOrEqualTo(10);
      batch.forEach(e -> purged.add(e.sessionId()));
      calls++;
    } while (!batch.isEmpty() && calls < 10);
    assertThat(purged).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(store.findByPrincipal("user0", later)).isEmpty();
  }

  // ------------------------------------------------------------------ remember-me

  @Test
  void seriesIsCreatedFoundAndDeleted() {
    RememberMeSeries s = series("alice", t0);
    store.createSeries(s);
    assertThat(store.findSeries(s.selector())).contains(s);
    assertThat(store.deleteSeries(s.selector())).isTrue();
    assertThat(store.deleteSeries(s.selector())).isFalse();
    assertThat(store.findSeries(s.selector())).isEmpty();
  }

  @Test
  void rotateSeriesReplacesTheValidatorOnlyFromTheExpectedOne() {
    RememberMeSeries s = series("alice", t0);
    store.createSeries(s);
    TokenHash next = randomHash();

    assertThat(store.rotateSeries(s.selector(), s.validatorHash(), next, t0 + 5000, t0 + 10))
        .isTrue();
    RememberMeSeries rotated = store.findSeries(s.selector()).orElseThrow();
    assertThat(rotated).isEqualTo(s.rotated(next, t0 + 5000, t0 + 10));
    assertThat(rotated.validatorHash()).isEqualTo(next);
    assertThat(rotated.previousValidatorHash()).isEqualTo(s.validatorHash());

    assertThat(store.rotateSeries(s.selector(), s.validatorHash(), randomHash(), t0, t0))
        .isFalse();
    assertThat(store.findSeries(s.selector()).orElseThrow().validatorHash()).isEqualTo(next);
    assertThat(store.rotateSeries(randomId(), s.validatorHash(), next, t0, t0)).isFalse();
  }

  @Test
  void ofTwoRacingUsesOfOneValidatorExactlyOneWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      RememberMeSeries s = series("alice", t0);
      store.createSeries(s);
      List<Boolean> results = runTogether(List.of(
          () -> store.rotateSeries(s.selector(), s.validatorHash(), randomHash(), t0, t0),
          () -> store.rotateSeries(s.selector(), s.validatorHash(), randomHash(), t0, t0)));
      assertThat(results).containsExactlyInAnyOrder(true, false);
    }
  }

  @Test
  void deleteSeriesByPrincipalKeepsTheExceptionsAndOtherPrincipals() {
    RememberMeSeries keep = series("alice", t0);
    RememberMeSeries end1 = series("alice", t0);
    RememberMeSeries end2 = series("alice", t0);
    RememberMeSeries bob = series("bob", t0);
    for (RememberMeSeries s : List.of(keep, end1, end2, bob)) {
      store.createSeries(s);
    }

    assertThat(store.deleteSeriesByPrincipal("alice", Set.of(keep.selector()))).isEqualTo(2);

    assertThat(store.findSeries(end1.selector())).isEmpty();
    assertThat(store.findSeries(end2.selector())).isEmpty();
    assertThat(store.findSeries(keep.selector())).isPresent();
    assertThat(store.findSeries(bob.selector())).isPresent();
    assertThat(store.deleteSeriesByPrincipal("alice", Set.of())).isEqualTo(1);
    assertThat(store.findSeries(keep.selector())).isEmpty();
  }

  @Test
  void purgeExpiredSeriesRemovesOnlyExpiredOnes() {
    RememberMeSeries live = series("alice", t0);
    RememberMeSeries old = series("alice", t0 - Duration.ofDays(30).toMillis());
    store.createSeries(live);
    store.createSeries(old);

    assertThat(store.purgeExpiredSeries(t0, 100)).isEqualTo(1);
    assertThat(store.findSeries(old.selector())).isEmpty();
    assertThat(store.findSeries(live.selector())).isPresent();
    assertThat(store.purgeExpiredSeries(t0, 100)).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private static SessionRecord withHash(SessionRecord r, TokenHash hash) {
    return new SessionRecord(r.id(), hash, r.principal(), r.createdAt(), r.authenticatedAt(),
        r.authenticationMethod(), r.lastAccessedAt(), r.idleTimeout(), r.absoluteDeadline(),
        r.rememberMeSelector(), r.clientAddress(), r.userAgent(), r.attributes());
  }

  /** Runs the tasks on separate threads released at the same moment; returns results in order. */
  protected static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
    return Concurrently.run(tasks);
  }
}
