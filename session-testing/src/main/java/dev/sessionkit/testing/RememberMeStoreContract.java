// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RememberMeStore} must show: one test per rule of its Javadoc. A store
 * module extends this class and supplies {@link #createRememberMeStore()}; each test gets a fresh,
 * empty store.
 *
 * <pre>{@code
 * class MyRememberMeStoreTest extends RememberMeStoreContract {
 *   protected RememberMeStore createRememberMeStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * <p>Times are epoch milliseconds near the real clock, and every series made here lives at least
 * an hour, so that a store which also expires entries physically (Redis TTLs) keeps them for the
 * whole test; expiry is tested by passing a later {@code now}.
 */
public abstract class RememberMeStoreContract {

  /** Lifetime of the series made here, in milliseconds (30 days). */
  protected static final long LIFETIME = Duration.ofDays(30).toMillis();
  /** Lifetime of the short-lived series made here, in milliseconds (1 hour). */
  protected static final long SHORT_LIFETIME = Duration.ofHours(1).toMillis();
  /** Grace of a replaced validator in the rotations made here, in milliseconds (1 minute). */
  protected static final long GRACE = Duration.ofMinutes(1).toMillis();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The store under test. */
  protected RememberMeStore store;
  /** A time near the real clock at which the test starts, epoch milliseconds. */
  protected long t0;

  /**
   * Returns a new, empty store (or a fresh namespace of a shared backend).
   *
   * @return a new, empty store (or a fresh namespace of a shared backend)
   */
  protected abstract RememberMeStore createRememberMeStore();

  /**
   * Releases what {@link #createRememberMeStore()} acquired; the default closes the store.
   *
   * @param store the store under test
   * @throws Exception if releasing fails; the test then fails
   */
  protected void closeRememberMeStore(RememberMeStore store) throws Exception {
    store.close();
  }

  @BeforeEach
  void setUpRememberMeStore() {
    store = createRememberMeStore();
    t0 = System.currentTimeMillis();
  }

  @AfterEach
  void tearDownRememberMeStore() throws Exception {
    closeRememberMeStore(store);
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * Returns a random hash (of a selector or validator).
   *
   * @return a random hash (of a selector or validator)
   */
  protected static TokenHash randomHash() {
    byte[] bytes = new byte[TokenHash.LENGTH];
    RANDOM.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  /**
   * Returns a random 16-character session id.
   *
   * @return a random 16-character session id
   */
  protected static String randomId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Returns a random selector hash for a series of {@code principal}, carrying the store's
   * {@linkplain RememberMeStore#seriesRoutingTag routing tag} as the manager's does.
   *
   * @param principal the principal the series belongs to
   * @return a random selector hash with the store's tag for {@code principal}
   */
  protected TokenHash selectorHash(String principal) {
    return randomHash().withRoutingTag(store.seriesRoutingTag(principal));
  }

  /**
   * Returns a series of {@code principal} issued at {@code nowMillis} (epoch milliseconds) with a
   * 30-day lifetime, generation 0 and a random latest session.
   *
   * @param principal the principal (the user's id)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return a series of {@code principal} issued at {@code nowMillis} (epoch milliseconds) with a
   *     30-day lifetime, generation 0 and a random latest session
   */
  protected RememberMeSeries series(String principal, long nowMillis) {
    return RememberMeSeries.issue(selectorHash(principal), principal, randomHash(), nowMillis,
        LIFETIME, randomId(), 0);
  }

  /**
   * Returns {@code series} after a use at {@code nowMillis}: a new validator, a new session.
   *
   * @param series a series
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return {@code series} after a use at {@code nowMillis}
   */
  protected static RememberMeSeries used(RememberMeSeries series, long nowMillis) {
    return series.rotated(series.validatorHash(), randomHash(), nowMillis + GRACE, nowMillis,
        randomId());
  }

  /**
   * Creates {@code series} and returns it.
   *
   * @param series a series
   * @return {@code series}
   */
  protected RememberMeSeries created(RememberMeSeries series) {
    store.createSeries(series);
    return series;
  }

  // ------------------------------------------------------------------ create and find

  @Test
  void createdSeriesIsFound() {
    RememberMeSeries s = created(series("alice", t0));
    assertThat(store.findSeries(s.selectorHash())).contains(s);
  }

  @Test
  void everyFieldRoundTrips() {
    RememberMeSeries unconfirmed = new RememberMeSeries(selectorHash("Jürgen 渡辺 ✓"),
        "Jürgen 渡辺 ✓",
        randomHash(), randomHash(), t0 + 1234, false, t0 - 5000, t0 + LIFETIME, t0 - 17,
        "session-1", 7);
    RememberMeSeries fresh = new RememberMeSeries(selectorHash("alice"), "alice", randomHash(),
        null, 0, true, t0, t0 + SHORT_LIFETIME, t0, null, 0);
    created(unconfirmed);
    created(fresh);

    assertThat(store.findSeries(unconfirmed.selectorHash())).contains(unconfirmed);
    assertThat(store.findSeries(fresh.selectorHash())).contains(fresh);
  }

  @Test
  void replacedFieldsRoundTrip() {
    RememberMeSeries s = created(series("alice", t0));
    RememberMeSeries unconfirmed = used(s, t0 + 10);
    assertThat(store.replaceSeries(unconfirmed, s.validatorHash())).isTrue();
    assertThat(store.findSeries(s.selectorHash())).contains(unconfirmed);

    RememberMeSeries confirmed = unconfirmed.confirmed();
    assertThat(store.replaceSeries(confirmed, unconfirmed.validatorHash())).isTrue();
    assertThat(store.findSeries(s.selectorHash())).contains(confirmed);
  }

  @Test
  void createRejectsADuplicateSelectorHash() {
    RememberMeSeries first = created(series("alice", t0));
    RememberMeSeries same = new RememberMeSeries(first.selectorHash(), "alice", randomHash(),
        null, 0, true, t0, t0 + LIFETIME, t0, randomId(), 0);

    assertThatThrownBy(() -> store.createSeries(same)).isInstanceOf(SessionStoreException.class);
    assertThat(store.findSeries(first.selectorHash())).contains(first);
    assertThat(store.revokeSeries("alice", Set.of(first.selectorHash()), 0)).isZero();
    assertThat(store.findSeries(first.selectorHash())).contains(first);
  }

  @Test
  void unknownSelectorFindsNothing() {
    created(series("alice", t0));
    assertThat(store.findSeries(randomHash())).isEmpty();
  }

  // ------------------------------------------------------------------ replace

  @Test
  void replaceIsACompareAndSetOnTheValidatorHash() {
    RememberMeSeries s = created(series("alice", t0));
    RememberMeSeries next = used(s, t0 + 5000);

    assertThat(store.replaceSeries(next, s.validatorHash())).isTrue();
    assertThat(store.findSeries(s.selectorHash())).contains(next);

    RememberMeSeries stale = used(s, t0 + 6000);
    assertThat(store.replaceSeries(stale, s.validatorHash()))
        .as("the replaced validator").isFalse();
    assertThat(store.replaceSeries(stale, randomHash())).as("an unknown validator").isFalse();
    assertThat(store.findSeries(s.selectorHash())).contains(next);
  }

  @Test
  void replaceOfAnUnknownOrDeletedSeriesCreatesNothing() {
    RememberMeSeries unknown = series("alice", t0);
    assertThat(store.replaceSeries(used(unknown, t0 + 1), unknown.validatorHash())).isFalse();
    assertThat(store.findSeries(unknown.selectorHash())).isEmpty();

    RememberMeSeries deleted = created(series("alice", t0));
    assertThat(store.deleteSeries(deleted.selectorHash())).isTrue();
    assertThat(store.replaceSeries(used(deleted, t0 + 1), deleted.validatorHash())).isFalse();
    assertThat(store.findSeries(deleted.selectorHash())).isEmpty();
  }

  @Test
  void ofRacingUsesOfOneValidatorExactlyOneWins() throws Exception {
    int racers = 4;
    for (int round = 0; round < 10; round++) {
      RememberMeSeries s = created(series("alice", t0));
      List<RememberMeSeries> replacements = new ArrayList<>();
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        RememberMeSeries replacement = used(s, t0 + 1);
        replacements.add(replacement);
        tasks.add(() -> store.replaceSeries(replacement, s.validatorHash()));
      }
      List<Boolean> results = runTogether(tasks);

      assertThat(results).filteredOn(won -> won).hasSize(1);
      RememberMeSeries winner = replacements.get(results.indexOf(true));
      assertThat(store.findSeries(s.selectorHash())).contains(winner);
    }
  }

  @Test
  void replaceNeverLowersTheGeneration() {
    RememberMeSeries s = created(series("alice", t0));
    assertThat(store.revokeSeries("alice", Set.of(s.selectorHash()), 5)).isZero();
    RememberMeSeries raised = store.findSeries(s.selectorHash()).orElseThrow();
    assertThat(raised.generation()).isEqualTo(5);

    // a use that read the series before the force logout carries generation 0
    RememberMeSeries next = used(s, t0 + 1);
    assertThat(store.replaceSeries(next, s.validatorHash())).isTrue();
    assertThat(store.findSeries(s.selectorHash()))
        .contains(next.withGenerationAtLeast(5));

    RememberMeSeries higher = used(next, t0 + 2).withGenerationAtLeast(8);
    assertThat(store.replaceSeries(higher, next.validatorHash())).isTrue();
    assertThat(store.findSeries(s.selectorHash()).orElseThrow().generation()).isEqualTo(8);
  }

  // ------------------------------------------------------------------ delete

  @Test
  void deleteReportsTheEndOnlyOnce() throws Exception {
    RememberMeSeries s = created(series("alice", t0));
    List<Boolean> results = runTogether(List.of(
        () -> store.deleteSeries(s.selectorHash()), () -> store.deleteSeries(s.selectorHash()),
        () -> store.deleteSeries(s.selectorHash())));

    assertThat(results).containsExactlyInAnyOrder(true, false, false);
    assertThat(store.findSeries(s.selectorHash())).isEmpty();
    assertThat(store.deleteSeries(s.selectorHash())).isFalse();
    assertThat(store.deleteSeries(randomHash())).isFalse();
    assertThat(store.revokeSeries("alice", Set.of(), 1)).as("not left under the principal")
        .isZero();
  }

  @Test
  void deleteIfLatestDeletesOnlyForTheLatestSession() {
    RememberMeSeries s = created(series("alice", t0));
    String issuedWith = s.latestSessionId();

    assertThat(store.deleteSeriesIfLatest(s.selectorHash(), randomId())).isFalse();
    assertThat(store.findSeries(s.selectorHash())).contains(s);

    RememberMeSeries next = used(s, t0 + 1);
    assertThat(store.replaceSeries(next, s.validatorHash())).isTrue();
    assertThat(store.deleteSeriesIfLatest(s.selectorHash(), issuedWith))
        .as("an older session of the device").isFalse();
    assertThat(store.findSeries(s.selectorHash())).contains(next);

    assertThat(store.deleteSeriesIfLatest(s.selectorHash(), next.latestSessionId())).isTrue();
    assertThat(store.findSeries(s.selectorHash())).isEmpty();
    assertThat(store.deleteSeriesIfLatest(s.selectorHash(), next.latestSessionId())).isFalse();
    assertThat(store.revokeSeries("alice", Set.of(), 1)).as("not left under the principal")
        .isZero();
  }

  @Test
  void deleteIfLatestOfASeriesWithoutSessionDeletesNothing() {
    RememberMeSeries s = created(new RememberMeSeries(selectorHash("alice"), "alice", randomHash(),
        null, 0, true, t0, t0 + LIFETIME, t0, null, 0));

    assertThat(store.deleteSeriesIfLatest(s.selectorHash(), randomId())).isFalse();
    assertThat(store.findSeries(s.selectorHash())).contains(s);
    assertThat(store.deleteSeriesIfLatest(randomHash(), randomId())).isFalse();
  }

  // ------------------------------------------------------------------ revoke

  @Test
  void revokeDeletesOtherSeriesAndRaisesTheKeptOnes() {
    RememberMeSeries keep = created(series("alice", t0));
    RememberMeSeries end1 = created(series("alice", t0));
    RememberMeSeries end2 = created(series("alice", t0));
    RememberMeSeries bob = created(series("bob", t0));

    assertThat(store.revokeSeries("alice", Set.of(keep.selectorHash()), 3)).isEqualTo(2);

    assertThat(store.findSeries(end1.selectorHash())).isEmpty();
    assertThat(store.findSeries(end2.selectorHash())).isEmpty();
    assertThat(store.findSeries(keep.selectorHash())).contains(keep.withGenerationAtLeast(3));
    assertThat(store.findSeries(bob.selectorHash())).contains(bob);

    assertThat(store.revokeSeries("alice", Set.of(keep.selectorHash()), 1)).isZero();
    assertThat(store.findSeries(keep.selectorHash()).orElseThrow().generation())
        .as("never lowered").isEqualTo(3);

    assertThat(store.revokeSeries("alice", Set.of(), 4)).isEqualTo(1);
    assertThat(store.findSeries(keep.selectorHash())).isEmpty();
    assertThat(store.findSeries(bob.selectorHash())).contains(bob);
    assertThat(store.revokeSeries("carol", Set.of(), 1)).isZero();
  }

  @Test
  void racingRevocationsCountEachSeriesOnce() throws Exception {
    for (int i = 0; i < 20; i++) {
      created(series("alice", t0));
    }
    List<Integer> results = runTogether(List.of(
        () -> store.revokeSeries("alice", Set.of(), 1),
        () -> store.revokeSeries("alice", Set.of(), 1)));

    assertThat(results.get(0) + results.get(1)).isEqualTo(20);
  }

  @Test
  void revokeAllSeriesDeletesEverySeriesOfEveryPrincipal() {
    RememberMeSeries alice = created(series("alice", t0));
    RememberMeSeries aliceUsed = created(used(series("alice", t0), t0 + 1));
    RememberMeSeries bob = created(series("bob", t0));

    assertThat(store.revokeAllSeries()).isEqualTo(3);

    for (RememberMeSeries s : List.of(alice, aliceUsed, bob)) {
      assertThat(store.findSeries(s.selectorHash())).isEmpty();
    }
    assertThat(store.revokeSeries("alice", Set.of(), 1)).as("nothing left under alice").isZero();
    assertThat(store.purgeExpiredSeries(t0 + 2 * LIFETIME, 100)).as("nothing left due").isZero();
    RememberMeSeries after = created(series("alice", t0 + 2));
    assertThat(store.findSeries(after.selectorHash())).contains(after);
    assertThat(store.revokeAllSeries()).isEqualTo(1);
    assertThat(store.revokeAllSeries()).isZero();
  }

  // ------------------------------------------------------------------ purge

  @Test
  void purgeRemovesOnlyExpiredSeries() {
    RememberMeSeries live = created(series("alice", t0));
    RememberMeSeries shortLived = created(RememberMeSeries.issue(selectorHash("alice"), "alice",
        randomHash(), t0, SHORT_LIFETIME, randomId(), 0));
    long later = t0 + SHORT_LIFETIME;

    assertThat(store.purgeExpiredSeries(later - 1, 100)).as("not yet due").isZero();
    assertThat(store.purgeExpiredSeries(later, 100)).isEqualTo(1);
    assertThat(store.findSeries(shortLived.selectorHash())).isEmpty();
    assertThat(store.findSeries(live.selectorHash())).contains(live);
    assertThat(store.purgeExpiredSeries(later, 100)).isZero();
    assertThat(store.revokeSeries("alice", Set.of(live.selectorHash()), 0))
        .as("the purged series is not left under the principal").isZero();
  }

  @Test
  void purgeHonoursItsLimitInBatches() {
    List<TokenHash> due = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      due.add(created(RememberMeSeries.issue(selectorHash("user" + (i % 3)), "user" + (i % 3),
          randomHash(), t0, SHORT_LIFETIME, randomId(), 0)).selectorHash());
    }
    RememberMeSeries live = created(series("user0", t0));
    long later = t0 + SHORT_LIFETIME;

    List<Integer> batches = new ArrayList<>();
    int removed;
    do {
      removed = store.purgeExpiredSeries(later, 10);
      batches.add(removed);
    } while (removed == 10 && batches.size() < 10);

    assertThat(batches).as("full batches until fewer than the limit are due")
        .containsExactly(10, 10, 5);
    assertThat(due).allSatisfy(selector -> assertThat(store.findSeries(selector)).isEmpty());
    assertThat(store.findSeries(live.selectorHash())).contains(live);
    assertThat(store.purgeExpiredSeries(later, 10)).isZero();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Runs the tasks on separate threads released at the same moment.
   *
   * @param <T> the type of the tasks' results
   * @param tasks the tasks, started together
   * @return the results, in the order of the tasks
   * @throws Exception if a task failed (its exception is the cause) or took over a minute
   */
  protected static <T> List<T> runTogether(List<? extends Callable<T>> tasks) throws Exception {
    return Concurrently.run(tasks);
  }
}
