// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.PreviousToken.Rotation;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SessionStore} must show: one test per rule of its Javadoc. A store
 * module extends this class and supplies {@link #createStore()}; each test gets a fresh, empty
 * store.
 *
 * <pre>{@code
 * class MyStoreTest extends SessionStoreContract {
 *   protected SessionStore createStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * <p>Times are epoch milliseconds near the real clock, with timeouts long enough (30 minutes idle,
 * 8 hours absolute, a one-minute rotation grace) that a store which also expires entries
 * physically (Redis TTLs) keeps every record for the whole test; expiry is tested by passing a
 * later {@code now}.
 *
 * <p>Race tests run a few threads for well under two seconds; they find a missing atomic step in
 * most runs, never a false failure.
 */
public abstract class SessionStoreContract {

  /** Idle timeout of the records made here, in milliseconds (30 minutes). */
  protected static final long IDLE = Duration.ofMinutes(30).toMillis();
  /** Absolute timeout of the records made here, in milliseconds (8 hours). */
  protected static final long ABSOLUTE = Duration.ofHours(8).toMillis();
  /** Grace of the previous token after the rotations made here, in milliseconds (1 minute). */
  protected static final long GRACE = Duration.ofMinutes(1).toMillis();
  /** The client of the records made here. */
  protected static final ClientInfo CLIENT = ClientInfo.of("203.0.113.7", "JUnit/5");

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The store under test. */
  protected SessionStore store;
  /** A time near the real clock at which the test starts, epoch milliseconds. */
  protected long t0;

  /**
   * Returns a new, empty store (or a fresh namespace of a shared backend).
   *
   * @return a new, empty store (or a fresh namespace of a shared backend)
   */
  protected abstract SessionStore createStore();

  /**
   * Overwrites the stored attributes of {@code sessionId} with bytes that do not decode. Stores
   * that keep objects (in memory) cannot be corrupted and leave this unimplemented, which skips the
   * test.
   *
   * @param store the store under test
   * @param sessionId the public session id
   * @throws Exception if the backend fails; the test then fails
   */
  protected void corruptAttributes(SessionStore store, String sessionId) throws Exception {
    Assumptions.abort("this store keeps attribute objects; nothing can be corrupted");
  }

  /**
   * Releases what {@link #createStore()} acquired; the default closes the store.
   *
   * @param store the store under test
   * @throws Exception if releasing fails; the test then fails
   */
  protected void closeStore(SessionStore store) throws Exception {
    store.close();
  }

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

  /**
   * Returns a random token hash without routing tag (it finds nothing on any store).
   *
   * @return a random token hash
   */
  protected static TokenHash randomHash() {
    byte[] bytes = new byte[TokenHash.LENGTH];
    RANDOM.nextBytes(bytes);
    return TokenHash.of(bytes);
  }

  /**
   * Returns a random 16-character id without routing tag (it finds nothing on any store).
   *
   * @return a random 16-character id
   */
  protected static String randomId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Returns a new session id for a session of {@code principal} ({@code null}: anonymous) as the
   * manager makes it: random, with the store's {@linkplain SessionStore#routingTag routing tag}.
   *
   * @param principal the principal, or {@code null} for an anonymous session
   * @return a new session id
   */
  protected String newId(String principal) {
    return RoutingTag.append(randomId(), store.routingTag(principal));
  }

  /**
   * Returns a random token hash carrying the routing tag that the session cookie of {@code
   * sessionId} carries ({@link SessionStore#sessionCookieTag}), as the manager's.
   *
   * @param sessionId the id of the session the token belongs to
   * @return a random token hash with that session's cookie tag
   */
  protected TokenHash hashFor(String sessionId) {
    return randomHash().withRoutingTag(store.sessionCookieTag(sessionId));
  }

  /**
   * Returns whether the store keeps an index of token hashes, and so refuses a second session with
   * a token hash that a stored session has ({@link SessionStore#create}). A store whose cookie
   * names the session ({@link SessionStore#sessionCookieTag}) finds a session by its id and then
   * checks the hash, and may answer {@code false}: two sessions with one hash then stay apart.
   *
   * @return whether {@link SessionStore#create} refuses a duplicate token hash; {@code true}
   *     unless overridden
   */
  protected boolean indexesTokenHashes() {
    return true;
  }

  /**
   * Returns a session of {@code principal} that logged in interactively at {@code nowMillis}
   * (epoch milliseconds), without attributes.
   *
   * @param principal the principal (the user's id)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return a session of {@code principal} that logged in interactively at {@code nowMillis}
   *     (epoch milliseconds), without attributes
   */
  protected SessionRecord session(String principal, long nowMillis) {
    String id = newId(principal);
    return SessionRecord.authenticated(id, hashFor(id),
        Authentication.interactive(principal, nowMillis, null),
        Lifetime.startingAt(nowMillis, IDLE, ABSOLUTE), CLIENT);
  }

  /**
   * Returns an anonymous session created at {@code nowMillis} (epoch milliseconds).
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return an anonymous session created at {@code nowMillis} (epoch milliseconds)
   */
  protected SessionRecord anonymous(long nowMillis) {
    String id = newId(null);
    return SessionRecord.anonymous(id, hashFor(id), Lifetime.startingAt(nowMillis, IDLE, ABSOLUTE),
        CLIENT);
  }

  /**
   * Returns {@code record} renewed at {@code nowMillis}: a new token, the old one in grace.
   *
   * @param record a session
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return {@code record} renewed at {@code nowMillis}
   */
  protected SessionRecord renewed(SessionRecord record, long nowMillis) {
    return record.rotated(hashFor(record.id()), Rotation.RENEWAL, nowMillis + GRACE, nowMillis);
  }

  /**
   * Returns {@code record} after an interactive login of {@code principal} at {@code nowMillis}.
   * On a store that routes, it has a new id with the principal's tag when the session moves (see
   * {@link SessionStore#rotate}): compare with the returned record's id.
   *
   * @param record a session
   * @param principal the principal (the user's id)
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @return {@code record} after an interactive login of {@code principal} at {@code nowMillis}
   */
  protected SessionRecord loggedIn(SessionRecord record, String principal, long nowMillis) {
    return routed(record.authenticated(randomHash(),
        Authentication.interactive(principal, nowMillis, null),
        ABSOLUTE, CLIENT, nowMillis + GRACE, nowMillis));
  }

  /**
   * Returns {@code login} (a record after a login rotation) with the id and token hash the manager
   * would give it: the same id if the store's tag for its principal is the id's, else a new id
   * with that tag (a move); a token hash with the id's tag.
   *
   * @param login a record after a login rotation
   * @return {@code login} with the id and token hash a routing store expects
   */
  protected SessionRecord routed(SessionRecord login) {
    String tag = store.routingTag(login.principal());
    String id = tag.equals(RoutingTag.ofSessionId(login.id())) ? login.id()
        : newId(login.principal());
    return new SessionRecord(id, hashFor(id), login.previousToken(), login.authentication(),
        login.lifetime(), login.client(), login.attributes());
  }

  /**
   * Creates {@code record} with its principal's current revocation generation, checks that the
   * store accepted it, and returns it.
   *
   * @param record a session
   * @return {@code record}
   */
  protected SessionRecord created(SessionRecord record) {
    assertThat(store.create(record, currentGeneration(record)))
        .as("create with the current generation").isTrue();
    return record;
  }

  /**
   * Rotates {@code from} (by its current token hash) to {@code to}, with the current generation.
   *
   * @param from the session as stored
   * @param to the session after the rotation
   * @return whether the rotation applied
   */
  protected boolean rotate(SessionRecord from, SessionRecord to) {
    return store.rotate(from.id(), from.tokenHash(), to, currentGeneration(to));
  }

  private long currentGeneration(SessionRecord record) {
    return record.isAuthenticated() ? store.principalGeneration(record.principal()) : 0L;
  }

  private long lastAccess(String sessionId) {
    return store.findById(sessionId).orElseThrow().lifetime().lastAccessedAt();
  }

  // ------------------------------------------------------------------ create and find

  @Test
  void createdSessionIsFoundByTokenHashAndByIdWithEveryField() {
    String id = newId("alice");
    SessionRecord record = new SessionRecord(id, hashFor(id), null,
        new Authentication("alice", t0 + 1, AuthenticationMethod.REMEMBER_ME,
            t0 - 86_400_000L, randomHash()),
        new Lifetime(t0, t0 + 2, IDLE, t0 + ABSOLUTE),
        ClientInfo.of("2001:db8::1", "Mozilla/5.0 (X11)"),
        Map.of("cart", new ArrayList<>(List.of("apple", "pear")), "count", 3, "name", "Ålice"));
    created(record);

    assertThat(store.findByTokenHash(record.tokenHash())).contains(record);
    assertThat(store.findById(record.id())).contains(record);
  }

  @Test
  void anonymousSessionRoundTrips() {
    SessionRecord record = created(anonymous(t0));
    SessionRecord found = store.findByTokenHash(record.tokenHash()).orElseThrow();
    assertThat(found.authentication()).isNull();
    assertThat(found.principal()).isNull();
    assertThat(found).isEqualTo(record);
  }

  @Test
  void sessionWithoutClientInformationRoundTrips() {
    String id = newId("Jürgen 渡辺");
    SessionRecord record = SessionRecord.authenticated(id, hashFor(id),
        Authentication.interactive("Jürgen 渡辺", t0, null),
        Lifetime.startingAt(t0, IDLE, ABSOLUTE), ClientInfo.NONE);
    created(record);
    assertThat(store.findById(record.id())).contains(record);
    assertThat(store.findByPrincipal("Jürgen 渡辺", t0)).containsExactly(record);
  }

  @Test
  void unknownKeysFindNothing() {
    created(session("alice", t0));
    assertThat(store.findByTokenHash(randomHash())).isEmpty();
    assertThat(store.findByTokenHashAndTouch(randomHash(), t0, 0)).isEmpty();
    assertThat(store.findById(randomId())).isEmpty();
    assertThat(store.findByPrincipal("carol", t0)).isEmpty();
    assertThat(store.principalGeneration("carol")).isZero();
  }

  @Test
  void createRejectsADuplicateId() {
    SessionRecord first = created(session("alice", t0));
    SessionRecord sameId = SessionRecord.authenticated(first.id(), hashFor(first.id()),
        Authentication.interactive("alice", t0, null),
        Lifetime.startingAt(t0, IDLE, ABSOLUTE), CLIENT);

    assertThatThrownBy(() -> store.create(sameId, 0)).isInstanceOf(SessionStoreException.class);
    assertThat(store.findById(first.id())).contains(first);
    assertThat(store.findByTokenHash(sameId.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).containsExactly(first);
  }

  @Test
  void createRejectsADuplicateTokenHashOrKeepsTheTwoSessionsApart() {
    SessionRecord first = created(session("alice", t0));
    String otherId = newId("alice");
    SessionRecord sameHash = SessionRecord.authenticated(otherId,
        first.tokenHash().withRoutingTag(store.sessionCookieTag(otherId)),
        first.authentication(), Lifetime.startingAt(t0, IDLE, ABSOLUTE), CLIENT);

    if (indexesTokenHashes()) {
      assertThatThrownBy(() -> store.create(sameHash, 0))
          .isInstanceOf(SessionStoreException.class);
      assertThat(store.findById(sameHash.id())).isEmpty();
    } else {
      assertThat(store.create(sameHash, 0)).isTrue();
      assertThat(store.findByTokenHash(sameHash.tokenHash())).contains(sameHash);
    }
    assertThat(store.findByTokenHash(first.tokenHash())).contains(first);
  }

  // ------------------------------------------------------------------ touch

  @Test
  void touchMovesTheLastAccessForwardButNeverBack() {
    SessionRecord record = created(session("alice", t0));
    assertThat(store.touch(record.id(), t0 + 60_000)).isTrue();
    assertThat(lastAccess(record.id())).isEqualTo(t0 + 60_000);

    assertThat(store.touch(record.id(), t0 + 30_000)).isTrue();
    SessionRecord after = store.findByTokenHash(record.tokenHash()).orElseThrow();
    assertThat(after.lifetime().lastAccessedAt()).isEqualTo(t0 + 60_000);
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
    assertThat(early.lifetime().lastAccessedAt()).isEqualTo(t0);
    assertThat(lastAccess(record.id())).isEqualTo(t0);

    SessionRecord due = store.findByTokenHashAndTouch(record.tokenHash(), t0 + 1000, 1000)
        .orElseThrow();
    assertThat(due.lifetime().lastAccessedAt()).isEqualTo(t0 + 1000);
    assertThat(due.expiresAt()).isEqualTo(t0 + 1000 + IDLE);
    assertThat(lastAccess(record.id())).isEqualTo(t0 + 1000);
    assertThat(store.purgeExpired(t0 + IDLE, 10)).as("the touch moved the expiry").isEmpty();

    assertThat(store.findByTokenHashAndTouch(record.tokenHash(), t0 + 500, 0).orElseThrow()
        .lifetime().lastAccessedAt()).as("never backwards").isEqualTo(t0 + 1000);
  }

  @Test
  void findAndTouchLeavesAnExpiredSessionUntouchedAndFindsNothingUnknown() {
    SessionRecord record = created(session("alice", t0));
    long late = t0 + IDLE;

    SessionRecord found = store.findByTokenHashAndTouch(record.tokenHash(), late, 0).orElseThrow();
    assertThat(found.lifetime().lastAccessedAt()).isEqualTo(t0);
    assertThat(found.isExpired(late)).isTrue();
    assertThat(lastAccess(record.id())).isEqualTo(t0);
    assertThat(store.findByTokenHashAndTouch(randomHash(), t0, 0)).isEmpty();
    store.delete(record.id());
    assertThat(store.findByTokenHashAndTouch(record.tokenHash(), t0 + 1, 0)).isEmpty();
    assertThat(store.findById(record.id())).isEmpty();
  }

  @Test
  void findAndTouchByARenewedAwayTokenTouchesOnlyWithinItsGrace() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord renewed = renewed(record, t0 + 1000);
    assertThat(rotate(record, renewed)).isTrue();

    SessionRecord inGrace = store.findByTokenHashAndTouch(record.tokenHash(), t0 + 5000, 0)
        .orElseThrow();
    assertThat(inGrace.id()).isEqualTo(record.id());
    assertThat(inGrace.tokenHash()).isEqualTo(renewed.tokenHash());
    assertThat(inGrace.lifetime().lastAccessedAt()).isEqualTo(t0 + 5000);
    assertThat(lastAccess(record.id())).isEqualTo(t0 + 5000);

    long afterGrace = t0 + 1000 + GRACE;
    Optional<SessionRecord> late = store.findByTokenHashAndTouch(record.tokenHash(), afterGrace, 0);
    late.ifPresent(r -> assertThat(r.lifetime().lastAccessedAt()).isEqualTo(t0 + 5000));
    assertThat(lastAccess(record.id())).as("a dead token keeps nothing alive")
        .isEqualTo(t0 + 5000);
  }

  @Test
  void findAndTouchByALoggedInAwayTokenFindsButNeverTouches() {
    SessionRecord anonymous = created(anonymous(t0));
    SessionRecord login = loggedIn(anonymous, "alice", t0 + 1000);
    assertThat(rotate(anonymous, login)).isTrue();

    SessionRecord found = store.findByTokenHashAndTouch(anonymous.tokenHash(), t0 + 2000, 0)
        .orElseThrow();
    assertThat(found.id()).isEqualTo(login.id());
    assertThat(found.lifetime().lastAccessedAt()).isEqualTo(t0 + 1000);
    assertThat(lastAccess(anonymous.id())).isEqualTo(t0 + 1000);
  }

  /** The per-request call, with the hash as its four words (and its routing tag). */
  private SessionView findAndTouch(TokenHash hash, long nowMillis, long minIntervalMillis) {
    return store.findAndTouch(hash.word(0), hash.word(1), hash.word(2), hash.word(3),
        hash.routingTag(), nowMillis, minIntervalMillis);
  }

  @Test
  void findAndTouchByWordsRecordsTheAccessOnlyWhenDue() {
    SessionRecord record = created(session("alice", t0));

    SessionView early = findAndTouch(record.tokenHash(), t0 + 999, 1000);
    assertThat(early.lastAccessedAt()).isEqualTo(t0);
    assertThat(lastAccess(record.id())).isEqualTo(t0);

    SessionView due = findAndTouch(record.tokenHash(), t0 + 1000, 1000);
    assertThat(due.lastAccessedAt()).isEqualTo(t0 + 1000);
    assertThat(due.expiresAt()).isEqualTo(t0 + 1000 + IDLE);
    assertThat(lastAccess(record.id())).isEqualTo(t0 + 1000);
    assertThat(store.purgeExpired(t0 + IDLE, 10)).as("the touch moved the expiry").isEmpty();

    assertThat(findAndTouch(record.tokenHash(), t0 + 500, 0).lastAccessedAt())
        .as("never backwards").isEqualTo(t0 + 1000);
  }

  @Test
  void findAndTouchByWordsShowsTheStoredSession() {
    SessionRecord record = created(session("alice", t0));
    Map<String, Object> attributes = Map.of("cart", "apple");
    assertThat(store.updateAttributes(record.id(), "alice", attributes, Set.of())).isTrue();
    TokenHash h = record.tokenHash();

    SessionView view = findAndTouch(h, t0 + 2000, 0);
    SessionRecord stored = store.findById(record.id()).orElseThrow();
    assertThat(view.id()).isEqualTo(record.id());
    assertThat(view.hasCurrentToken(h.word(0), h.word(1), h.word(2), h.word(3))).isTrue();
    assertThat(view.resolvesBy(h.word(0), h.word(1), h.word(2), h.word(3), t0 + 2000)).isTrue();
    assertThat(view.hasCurrentToken(h.word(0), h.word(1), h.word(2), ~h.word(3))).isFalse();
    assertThat(view.principal()).isEqualTo("alice");
    assertThat(view.authentication()).isEqualTo(record.authentication());
    assertThat(view.client()).isEqualTo(record.client());
    assertThat(view.previousToken()).isNull();
    assertThat(view.attributes()).isEqualTo(attributes);
    assertThat(view.createdAt()).isEqualTo(t0);
    assertThat(view.lastAccessedAt()).isEqualTo(t0 + 2000);
    assertThat(view.idleTimeout()).isEqualTo(IDLE);
    assertThat(view.absoluteDeadline()).isEqualTo(record.lifetime().absoluteDeadline());
    assertThat(view.toRecord()).isEqualTo(stored);
    assertThat(view.toRecord().lifetime().lastAccessedAt()).isEqualTo(t0 + 2000);
    assertThat(view.toString()).doesNotContain(h.toBase64Url());
  }

  @Test
  void findAndTouchByWordsLeavesAnExpiredSessionUntouchedAndFindsNothingUnknown() {
    SessionRecord record = created(session("alice", t0));
    long late = t0 + IDLE;

    SessionView found = findAndTouch(record.tokenHash(), late, 0);
    assertThat(found.lastAccessedAt()).isEqualTo(t0);
    assertThat(found.isExpired(late)).isTrue();
    assertThat(lastAccess(record.id())).isEqualTo(t0);
    assertThat(findAndTouch(randomHash(), t0, 0)).isNull();
    store.delete(record.id());
    assertThat(findAndTouch(record.tokenHash(), t0 + 1, 0)).isNull();
    assertThat(store.findById(record.id())).isEmpty();
  }

  @Test
  void findAndTouchByWordsOfARenewedAwayTokenTouchesOnlyWithinItsGrace() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord renewed = renewed(record, t0 + 1000);
    assertThat(rotate(record, renewed)).isTrue();
    TokenHash old = record.tokenHash();
    TokenHash current = renewed.tokenHash();

    SessionView inGrace = findAndTouch(old, t0 + 5000, 0);
    assertThat(inGrace.id()).isEqualTo(record.id());
    assertThat(inGrace.hasCurrentToken(old.word(0), old.word(1), old.word(2), old.word(3)))
        .isFalse();
    assertThat(inGrace.hasCurrentToken(current.word(0), current.word(1), current.word(2),
        current.word(3))).isTrue();
    assertThat(inGrace.resolvesBy(old.word(0), old.word(1), old.word(2), old.word(3), t0 + 5000))
        .isTrue();
    assertThat(inGrace.lastAccessedAt()).isEqualTo(t0 + 5000);
    assertThat(lastAccess(record.id())).isEqualTo(t0 + 5000);

    long afterGrace = t0 + 1000 + GRACE;
    SessionView late = findAndTouch(old, afterGrace, 0);
    if (late != null) {
      assertThat(late.resolvesBy(old.word(0), old.word(1), old.word(2), old.word(3), afterGrace))
          .isFalse();
    }
    assertThat(lastAccess(record.id())).as("a dead token keeps nothing alive")
        .isEqualTo(t0 + 5000);
  }

  @Test
  void findAndTouchByWordsOfALoggedInAwayTokenFindsButNeverTouches() {
    SessionRecord anonymous = created(anonymous(t0));
    SessionRecord login = loggedIn(anonymous, "alice", t0 + 1000);
    assertThat(rotate(anonymous, login)).isTrue();
    TokenHash old = anonymous.tokenHash();

    SessionView found = findAndTouch(old, t0 + 2000, 0);
    assertThat(found.id()).isEqualTo(login.id());
    assertThat(found.resolvesBy(old.word(0), old.word(1), old.word(2), old.word(3), t0 + 2000))
        .isFalse();
    assertThat(found.lastAccessedAt()).isEqualTo(t0 + 1000);
    assertThat(lastAccess(anonymous.id())).isEqualTo(t0 + 1000);
  }

  // ------------------------------------------------------------------ logout: find and delete

  /** Logout's call, with the hash as its four words (and its routing tag). */
  private SessionView findAndDelete(TokenHash hash, long nowMillis) {
    return store.findAndDelete(hash.word(0), hash.word(1), hash.word(2), hash.word(3),
        hash.routingTag(), nowMillis);
  }

  @Test
  void findAndDeleteDeletesTheSessionOfItsCurrentTokenAndReturnsItOnce() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord other = created(session("alice", t0));
    SessionRecord stored = store.findById(record.id()).orElseThrow();

    SessionView deleted = findAndDelete(record.tokenHash(), t0 + 1000);

    assertThat(deleted.id()).isEqualTo(record.id());
    assertThat(deleted.principal()).isEqualTo("alice");
    assertThat(deleted.toRecord()).isEqualTo(stored);
    assertThat(deleted.toString()).doesNotContain(record.tokenHash().toBase64Url());
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0 + 1000)).extracting(SessionRecord::id)
        .containsExactly(other.id());
    assertThat(findAndDelete(record.tokenHash(), t0 + 1000)).as("deleted once").isNull();
    assertThat(store.delete(record.id())).isFalse();
    assertThat(findAndDelete(randomHash(), t0 + 1000)).isNull();
    assertThat(store.findById(other.id())).as("the other session stays").isPresent();
  }

  @Test
  void findAndDeleteByARenewedAwayTokenDeletesOnlyWithinItsGrace() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord renewed = renewed(record, t0 + 1000);
    assertThat(rotate(record, renewed)).isTrue();

    assertThat(findAndDelete(record.tokenHash(), t0 + 1000 + GRACE))
        .as("a dead token ends nothing").isNull();
    assertThat(store.findById(record.id())).isPresent();

    SessionView deleted = findAndDelete(record.tokenHash(), t0 + 5000);
    assertThat(deleted.id()).isEqualTo(record.id());
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(renewed.tokenHash())).isEmpty();
  }

  @Test
  void findAndDeleteByALoggedInAwayTokenDeletesNothing() {
    SessionRecord anonymous = created(anonymous(t0));
    SessionRecord login = loggedIn(anonymous, "alice", t0 + 1000);
    assertThat(rotate(anonymous, login)).isTrue();

    assertThat(findAndDelete(anonymous.tokenHash(), t0 + 2000)).isNull();
    assertThat(store.findById(login.id())).isPresent();

    assertThat(findAndDelete(login.tokenHash(), t0 + 2000).principal()).isEqualTo("alice");
    assertThat(store.findById(login.id())).isEmpty();
  }

  @Test
  void findAndDeleteDeletesAndReturnsAnExpiredSessionThatThePurgeThenNeverReports() {
    SessionRecord record = created(session("alice", t0));
    long late = t0 + IDLE;

    SessionView deleted = findAndDelete(record.tokenHash(), late);

    assertThat(deleted.id()).isEqualTo(record.id());
    assertThat(deleted.isExpired(late)).isTrue();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.purgeExpired(late, 10)).as("its deleter reports it, not a purge").isEmpty();
  }

  @Test
  void ofAFindAndDeleteAndADeleteThatRaceExactlyOneDeletes() throws Exception {
    for (int round = 0; round < 20; round++) {
      SessionRecord record = created(session("alice", t0));
      List<Boolean> results = runTogether(List.of(
          () -> findAndDelete(record.tokenHash(), t0 + 1) != null,
          () -> store.delete(record.id())));
      assertThat(results).containsExactlyInAnyOrder(true, false);
      assertThat(store.findById(record.id())).isEmpty();
    }
  }

  // ------------------------------------------------------------------ attributes

  @Test
  void updateAttributesPutsAndRemovesOnlyWhatItNames() {
    SessionRecord record = created(session("alice", t0).withAttributes(
        Map.of("keep", "k", "drop", "d", "change", 1)));

    assertThat(store.updateAttributes(record.id(), record.principal(),
        Map.of("change", 2, "add", List.of("x")), Set.of("drop"))).isTrue();

    assertThat(store.findByTokenHash(record.tokenHash()).orElseThrow().attributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("keep", "k", "change", 2, "add", List.of("x")));
  }

  /**
   * The fence on writes: an anonymous view of a session that a login has since signed in, or a
   * view naming another principal, changes neither attributes nor the idle timeout; the view of
   * the stored principal does.
   */
  @Test
  void writesFromAViewOfAnotherAuthenticationStateChangeNothing() {
    SessionRecord visit = created(anonymous(t0).withAttributes(Map.of("cart", "book")));
    SessionRecord alice = loggedIn(visit, "alice", t0 + 1);
    assertThat(rotate(visit, alice)).isTrue();

    assertThat(store.updateAttributes(visit.id(), null, Map.of("next", "/planted"),
        Set.of("cart"))).as("the anonymous view").isFalse();
    assertThat(store.setIdleTimeout(visit.id(), null, 4 * IDLE)).isFalse();
    assertThat(store.updateAttributes(alice.id(), "mallory", Map.of("role", "admin"), Set.of()))
        .as("another principal").isFalse();
    assertThat(store.setIdleTimeout(alice.id(), "mallory", 4 * IDLE)).isFalse();

    SessionRecord stored = store.findById(alice.id()).orElseThrow();
    assertThat(stored.attributes()).containsExactlyEntriesOf(Map.of("cart", "book"));
    assertThat(stored.lifetime().idleTimeout()).isEqualTo(alice.lifetime().idleTimeout());
    assertThat(store.updateAttributes(alice.id(), "alice", Map.of("theme", "dark"), Set.of()))
        .isTrue();
    assertThat(store.setIdleTimeout(alice.id(), "alice", 2 * IDLE)).isTrue();
    assertThat(store.findById(alice.id()).orElseThrow().attributes()).containsKey("theme");
  }

  @Test
  void updateAttributesOfADeletedSessionFailsAndDoesNotBringItBack() {
    SessionRecord record = created(session("alice", t0));
    store.delete(record.id());

    assertThat(store.updateAttributes(record.id(), record.principal(), Map.of("cart", "x"),
        Set.of())).isFalse();
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
          assertThat(store.updateAttributes(record.id(), record.principal(), Map.of("t" + thread + "-" + i, i),
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

  // ------------------------------------------------------------------ per-session idle timeout

  @Test
  void aShorterIdleTimeoutEndsTheSessionEarlierOnEveryPath() {
    SessionRecord record = created(session("alice", t0));
    long idle = Duration.ofMinutes(5).toMillis();

    assertThat(store.setIdleTimeout(record.id(), record.principal(), idle)).isTrue();

    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lifetime()).isEqualTo(new Lifetime(t0, t0, idle, t0 + ABSOLUTE));
    assertThat(store.findByTokenHash(record.tokenHash())).contains(found);
    assertThat(store.findByPrincipal("alice", t0 + idle - 1)).extracting(SessionRecord::id)
        .containsExactly(record.id());
    assertThat(store.findByPrincipal("alice", t0 + idle)).isEmpty();
    SessionRecord late = store.findByTokenHashAndTouch(record.tokenHash(), t0 + idle, 0)
        .orElseThrow();
    assertThat(late.lifetime().lastAccessedAt()).as("an expired session is not touched")
        .isEqualTo(t0);
    assertThat(store.purgeExpired(t0 + idle - 1, 10)).isEmpty();
    assertThat(store.purgeExpired(t0 + idle, 10)).containsExactly(
        new ExpiredSession(record.id(), "alice", t0 + idle, ExpiredSession.Timeout.IDLE));
    assertThat(store.findById(record.id())).isEmpty();
  }

  @Test
  void aLongerIdleTimeoutKeepsTheSessionAndTouchesCountFromIt() {
    SessionRecord record = created(session("alice", t0));

    assertThat(store.setIdleTimeout(record.id(), record.principal(), 2 * IDLE)).isTrue();
    assertThat(store.purgeExpired(t0 + IDLE, 10)).isEmpty();
    assertThat(store.findByPrincipal("alice", t0 + IDLE)).hasSize(1);

    assertThat(store.touch(record.id(), t0 + IDLE)).isTrue();
    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lifetime().idleTimeout()).isEqualTo(2 * IDLE);
    assertThat(found.expiresAt()).isEqualTo(t0 + 3 * IDLE);
    assertThat(store.purgeExpired(t0 + 3 * IDLE - 1, 10)).isEmpty();
    assertThat(store.purgeExpired(t0 + 3 * IDLE, 10)).extracting(ExpiredSession::sessionId)
        .containsExactly(record.id());
  }

  @Test
  void withoutAnIdleTimeoutOnlyTheAbsoluteDeadlineEndsTheSession() {
    SessionRecord record = created(session("alice", t0));

    assertThat(store.setIdleTimeout(record.id(), record.principal(), Lifetime.NO_IDLE_TIMEOUT)).isTrue();

    SessionRecord found = store.findById(record.id()).orElseThrow();
    assertThat(found.lifetime().hasIdleTimeout()).isFalse();
    assertThat(found.expiresAt()).isEqualTo(t0 + ABSOLUTE);
    assertThat(store.findByTokenHashAndTouch(record.tokenHash(), t0 + ABSOLUTE - 1, 0)
        .orElseThrow().lifetime().lastAccessedAt()).isEqualTo(t0 + ABSOLUTE - 1);
    assertThat(store.findByPrincipal("alice", t0 + ABSOLUTE - 1)).hasSize(1);
    assertThat(store.purgeExpired(t0 + ABSOLUTE - 1, 10)).isEmpty();
    assertThat(store.purgeExpired(t0 + ABSOLUTE, 10)).containsExactly(
        new ExpiredSession(record.id(), "alice", t0 + ABSOLUTE, ExpiredSession.Timeout.ABSOLUTE));
  }

  @Test
  void theIdleTimeoutCanBeSetAgainAndRotationsKeepIt() {
    SessionRecord record = created(anonymous(t0));
    long idle = Duration.ofMinutes(5).toMillis();
    assertThat(store.setIdleTimeout(record.id(), record.principal(), Lifetime.NO_IDLE_TIMEOUT)).isTrue();
    assertThat(store.setIdleTimeout(record.id(), record.principal(), idle)).isTrue();
    assertThat(store.setIdleTimeout(record.id(), record.principal(), idle)).as("the same value again").isTrue();

    // a login and a renewal built from a snapshot that still carries the configured timeout
    SessionRecord login = loggedIn(record, "alice", t0 + 1000);
    assertThat(login.lifetime().idleTimeout()).isEqualTo(IDLE);
    assertThat(rotate(record, login)).isTrue();
    SessionRecord renewal = renewed(login, t0 + 2000);
    assertThat(rotate(login, renewal)).isTrue();

    SessionRecord found = store.findByTokenHash(renewal.tokenHash()).orElseThrow();
    assertThat(found.lifetime().idleTimeout()).isEqualTo(idle);
    assertThat(found.expiresAt()).isEqualTo(t0 + 2000 + idle);
    assertThat(store.findByPrincipal("alice", t0 + 2000 + idle)).isEmpty();
    assertThat(store.purgeExpired(t0 + 2000 + idle, 10)).extracting(ExpiredSession::sessionId)
        .containsExactly(login.id());
  }

  @Test
  void idleTimeoutChangesRacingTouchesAndRotationsKeepTheLastChangeAndAConsistentExpiry()
      throws Exception {
    SessionRecord record = created(session("alice", t0));
    long shorter = Duration.ofMinutes(5).toMillis();
    int rounds = 30;
    List<Callable<Void>> tasks = new ArrayList<>();
    tasks.add(() -> { // the application changes the idle timeout back and forth, shorter last
      for (int i = 0; i < rounds; i++) {
        assertThat(store.setIdleTimeout(record.id(), record.principal(), i % 2 == 0 ? 2 * IDLE : shorter)).isTrue();
      }
      assertThat(store.setIdleTimeout(record.id(), record.principal(), shorter)).isTrue();
      return null;
    });
    tasks.add(() -> { // requests record their accesses
      for (int i = 1; i <= rounds; i++) {
        assertThat(store.touch(record.id(), t0 + i)).isTrue();
      }
      return null;
    });
    tasks.add(() -> { // renewals built from whatever they read, with the configured timeout
      for (int i = 0; i < rounds; i++) {
        SessionRecord read = store.findById(record.id()).orElseThrow();
        SessionRecord stale = read.withLifetime(read.lifetime().withIdleTimeout(IDLE));
        rotate(read, renewed(stale, t0));
      }
      return null;
    });
    runTogether(tasks);

    SessionRecord found = store.findById(record.id()).orElseThrow();
    long expiresAt = t0 + rounds + shorter;
    assertThat(found.lifetime().idleTimeout()).isEqualTo(shorter);
    assertThat(found.lifetime().lastAccessedAt()).isEqualTo(t0 + rounds);
    assertThat(found.expiresAt()).isEqualTo(expiresAt);
    assertThat(store.findByPrincipal("alice", expiresAt - 1)).hasSize(1);
    assertThat(store.findByPrincipal("alice", expiresAt)).isEmpty();
    assertThat(store.purgeExpired(expiresAt - 1, 10)).isEmpty();
    assertThat(store.purgeExpired(expiresAt, 10)).extracting(ExpiredSession::sessionId)
        .containsExactly(record.id());
  }

  @Test
  void settingTheIdleTimeoutOfADeletedOrUnknownSessionFailsAndBringsNothingBack() {
    SessionRecord record = created(session("alice", t0));
    assertThat(store.delete(record.id())).isTrue();

    assertThat(store.setIdleTimeout(record.id(), record.principal(), IDLE)).isFalse();
    assertThat(store.setIdleTimeout(randomId(), null, IDLE)).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.purgeExpired(t0 + ABSOLUTE, 10)).isEmpty();
  }

  @Test
  void aNonPositiveIdleTimeoutIsRefused() {
    SessionRecord record = created(session("alice", t0));

    assertThatThrownBy(() -> store.setIdleTimeout(record.id(), record.principal(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.setIdleTimeout(record.id(), record.principal(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.findById(record.id()).orElseThrow().lifetime().idleTimeout())
        .isEqualTo(IDLE);
  }

  // ------------------------------------------------------------------ rotation

  @Test
  void loginRotationReplacesTokenAuthenticationLifetimeAndClient() {
    SessionRecord anonymous = created(anonymous(t0).withAttributes(Map.of("cart", "apple")));
    SessionRecord login = routed(anonymous.authenticated(randomHash(),
        Authentication.interactive("alice", t0 + 5000, randomHash()),
        ABSOLUTE, ClientInfo.of("198.51.100.1", "Firefox"), t0 + 5000 + GRACE, t0 + 5000));

    assertThat(store.rotate(anonymous.id(), anonymous.tokenHash(), login,
        store.principalGeneration("alice"))).isTrue();

    SessionRecord found = store.findByTokenHash(login.tokenHash()).orElseThrow();
    assertThat(found).isEqualTo(login);
    assertThat(found.lifetime().createdAt()).isEqualTo(t0);
    assertThat(found.lifetime().absoluteDeadline()).isEqualTo(t0 + 5000 + ABSOLUTE);
    assertThat(found.previousToken())
        .isEqualTo(new PreviousToken(anonymous.tokenHash(), t0 + 5000 + GRACE, Rotation.LOGIN));
    assertThat(found.attributes()).containsExactlyEntriesOf(Map.of("cart", "apple"));
    assertThat(store.findById(anonymous.id())).as("by the old id too").contains(login);
    assertThat(store.findById(login.id())).contains(login);
    assertThat(store.findByPrincipal("alice", t0 + 5000)).extracting(SessionRecord::id)
        .containsExactly(login.id());
  }

  @Test
  void stepUpOfARememberMeSessionStoresTheInteractiveTimeAndARenewalKeepsIt() {
    TokenHash series = randomHash();
    String id = newId("alice");
    SessionRecord remembered = created(SessionRecord.authenticated(id, hashFor(id),
        Authentication.rememberMe("alice", t0, t0 - 86_400_000L, series),
        Lifetime.startingAt(t0, IDLE, ABSOLUTE), CLIENT).withAttributes(Map.of("cart", "pear")));
    SessionRecord stored = store.findById(remembered.id()).orElseThrow();
    assertThat(stored.authentication().interactiveAt()).isEqualTo(t0 - 86_400_000L);
    assertThat(stored.authentication().method()).isEqualTo(AuthenticationMethod.REMEMBER_ME);

    SessionRecord steppedUp = remembered.authenticated(hashFor(id),
        Authentication.interactive("alice", t0 + 60_000, series), ABSOLUTE, CLIENT,
        t0 + 60_000 + GRACE, t0 + 60_000);
    assertThat(rotate(remembered, steppedUp)).isTrue();
    SessionRecord found = store.findByTokenHash(steppedUp.tokenHash()).orElseThrow();
    assertThat(found.authentication()).isEqualTo(steppedUp.authentication());
    assertThat(found.authentication().interactiveAt()).isEqualTo(t0 + 60_000);
    assertThat(found.attributes()).containsExactlyEntriesOf(Map.of("cart", "pear"));

    SessionRecord later = renewed(found, t0 + 120_000);
    assertThat(rotate(found, later)).isTrue();
    assertThat(store.findById(remembered.id()).orElseThrow().authentication())
        .as("a renewal keeps the interactive time").isEqualTo(steppedUp.authentication());
  }

  @Test
  void rotationKeepsIdCreationTimeIdleTimeoutAndAttributesAndTheLaterLastAccess() {
    SessionRecord record = created(session("alice", t0).withAttributes(Map.of("cart", "apple")));
    store.touch(record.id(), t0 + 10_000);
    // the replacement claims another creation time, idle timeout, other attributes and an earlier
    // last access
    SessionRecord stale = new SessionRecord(record.id(), hashFor(record.id()),
        new PreviousToken(record.tokenHash(), t0 + 5000 + GRACE, Rotation.RENEWAL),
        record.authentication(), new Lifetime(t0 + 1, t0 + 5000, 2 * IDLE, t0 + 2 * ABSOLUTE),
        ClientInfo.of("198.51.100.2", "Safari"), Map.of("cart", "forged", "extra", 1));

    assertThat(rotate(record, stale)).isTrue();

    SessionRecord found = store.findByTokenHash(stale.tokenHash()).orElseThrow();
    assertThat(found.id()).isEqualTo(record.id());
    assertThat(found.previousToken()).isEqualTo(stale.previousToken());
    assertThat(found.client()).isEqualTo(stale.client());
    assertThat(found.attributes()).containsExactlyEntriesOf(Map.of("cart", "apple"));
    assertThat(found.lifetime())
        .isEqualTo(new Lifetime(t0, t0 + 10_000, IDLE, t0 + 2 * ABSOLUTE));

    SessionRecord later = renewed(found, t0 + 20_000);
    assertThat(rotate(found, later)).isTrue();
    assertThat(lastAccess(record.id())).as("the replacement's later access").isEqualTo(t0 + 20_000);
  }

  @Test
  void afterRotationTheSessionIsFoundByThePreviousTokenAndNotByTheOneBefore() {
    SessionRecord first = created(session("alice", t0));
    SessionRecord second = renewed(first, t0 + 1);
    assertThat(rotate(first, second)).isTrue();

    assertThat(store.findByTokenHash(second.tokenHash())).map(SessionRecord::id)
        .contains(first.id());
    assertThat(store.findByTokenHash(first.tokenHash())).as("previous token, in grace")
        .map(SessionRecord::tokenHash).contains(second.tokenHash());

    SessionRecord third = renewed(store.findById(first.id()).orElseThrow(), t0 + 2);
    assertThat(rotate(second, third)).isTrue();

    assertThat(store.findByTokenHash(third.tokenHash())).map(SessionRecord::id)
        .contains(first.id());
    assertThat(store.findByTokenHash(second.tokenHash())).map(SessionRecord::tokenHash)
        .contains(third.tokenHash());
    assertThat(store.findByTokenHash(first.tokenHash())).as("the token before the previous")
        .isEmpty();
    assertThat(store.findByTokenHashAndTouch(first.tokenHash(), t0 + 3, 0)).isEmpty();
  }

  @Test
  void rotationWithoutAPreviousTokenEndsTheExpectedTokenAtOnce() {
    SessionRecord first = created(session("alice", t0));
    SessionRecord second = renewed(first, t0 + 1);
    assertThat(rotate(first, second)).isTrue();
    SessionRecord third = new SessionRecord(first.id(), hashFor(first.id()), null,
        second.authentication(), second.lifetime(), second.client(), Map.of());

    assertThat(rotate(second, third)).isTrue();

    assertThat(store.findByTokenHash(third.tokenHash()).orElseThrow().previousToken()).isNull();
    assertThat(store.findByTokenHash(second.tokenHash())).isEmpty();
    assertThat(store.findByTokenHash(first.tokenHash())).isEmpty();
  }

  @Test
  void rotationWithAWrongExpectedTokenHashChangesNothing() {
    SessionRecord first = created(session("alice", t0).withAttributes(Map.of("cart", "apple")));
    SessionRecord second = renewed(first, t0 + 1);
    assertThat(rotate(first, second)).isTrue();
    SessionRecord before = store.findById(first.id()).orElseThrow();
    SessionRecord attempt = renewed(before, t0 + 2);

    assertThat(store.rotate(first.id(), first.tokenHash(), attempt, 0))
        .as("the previous token is not the current one").isFalse();
    assertThat(store.rotate(first.id(), randomHash(), attempt, 0)).isFalse();
    assertThat(store.rotate(randomId(), second.tokenHash(), attempt, 0)).isFalse();

    assertThat(store.findById(first.id())).contains(before);
    assertThat(store.findByTokenHash(attempt.tokenHash())).isEmpty();
    assertThat(store.findByTokenHash(first.tokenHash())).map(SessionRecord::tokenHash)
        .contains(second.tokenHash());
  }

  @Test
  void rotationOfADeletedSessionFailsAndDoesNotBringItBack() {
    SessionRecord record = created(anonymous(t0));
    store.delete(record.id());
    SessionRecord login = loggedIn(record, "alice", t0 + 1);

    assertThat(rotate(record, login)).isFalse();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(login.tokenHash())).isEmpty();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
  }

  @Test
  void rotationToAnotherOwnerMovesTheSessionBetweenPrincipals() {
    SessionRecord bobs = created(session("bob", t0));
    SessionRecord alices = loggedIn(bobs, "alice", t0 + 1);
    assertThat(rotate(bobs, alices)).isTrue();
    assertThat(store.findByPrincipal("bob", t0 + 1)).isEmpty();
    assertThat(store.findByPrincipal("alice", t0 + 1)).extracting(SessionRecord::id)
        .containsExactly(alices.id());

    SessionRecord signedOut = new SessionRecord(alices.id(), hashFor(alices.id()),
        new PreviousToken(alices.tokenHash(), t0 + 2 + GRACE, Rotation.LOGIN), null,
        alices.lifetime(), alices.client(), Map.of());
    assertThat(rotate(alices, signedOut)).isTrue();
    assertThat(store.findByPrincipal("alice", t0 + 2)).isEmpty();
    assertThat(store.findByTokenHash(signedOut.tokenHash()).orElseThrow().principal()).isNull();
    assertThat(store.revokePrincipal("alice", Set.of(), 1)).isEmpty();
    assertThat(store.findById(alices.id())).as("no longer alice's").isPresent();
  }

  @Test
  void ofTwoRacingRotationsExactlyOneWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      SessionRecord record = created(anonymous(t0));
      SessionRecord a = renewed(record, t0 + 1);
      SessionRecord b = renewed(record, t0 + 1);
      List<Boolean> results = runTogether(List.of(
          () -> store.rotate(record.id(), record.tokenHash(), a, 0),
          () -> store.rotate(record.id(), record.tokenHash(), b, 0)));
      assertThat(results).containsExactlyInAnyOrder(true, false);
      SessionRecord winner = results.get(0) ? a : b;
      SessionRecord loser = results.get(0) ? b : a;
      assertThat(store.findByTokenHash(winner.tokenHash())).isPresent();
      assertThat(store.findByTokenHash(loser.tokenHash())).isEmpty();
      assertThat(store.findByTokenHash(record.tokenHash())).map(SessionRecord::tokenHash)
          .contains(winner.tokenHash());
    }
  }

  // ------------------------------------------------------------------ the revocation fence

  @Test
  void principalGenerationStartsAtZeroAndRevocationOnlyRaisesIt() {
    assertThat(store.principalGeneration("alice")).isZero();

    assertThat(store.revokePrincipal("alice", Set.of(), 3)).isEmpty();
    assertThat(store.principalGeneration("alice")).isEqualTo(3);

    store.revokePrincipal("alice", Set.of(), 1);
    assertThat(store.principalGeneration("alice")).as("never lowered").isEqualTo(3);
    store.revokePrincipal("alice", Set.of(), 3);
    assertThat(store.principalGeneration("alice")).isEqualTo(3);
    store.revokePrincipal("alice", Set.of(), 4);
    assertThat(store.principalGeneration("alice")).isEqualTo(4);
    assertThat(store.principalGeneration("bob")).isZero();
  }

  @Test
  void revokedPrincipalKeepsItsGenerationWithoutSessions() {
    SessionRecord record = created(session("alice", t0));
    store.revokePrincipal("alice", Set.of(), 1);
    assertThat(store.findById(record.id())).isEmpty();
    store.purgeExpired(t0 + ABSOLUTE, 100);

    assertThat(store.principalGeneration("alice")).isEqualTo(1);
  }

  @Test
  void createOfAnAuthenticatedSessionWithAStaleGenerationStoresNothing() {
    store.revokePrincipal("alice", Set.of(), 2);
    SessionRecord stale = session("alice", t0);

    assertThat(store.create(stale, 1)).isFalse();
    assertThat(store.findById(stale.id())).isEmpty();
    assertThat(store.findByTokenHash(stale.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();

    SessionRecord current = session("alice", t0);
    assertThat(store.create(current, 2)).isTrue();
    assertThat(store.findByTokenHash(current.tokenHash())).contains(current);
    SessionRecord ahead = session("alice", t0);
    assertThat(store.create(ahead, 5)).as("a generation above the stored one").isTrue();
    assertThat(store.findByPrincipal("alice", t0)).extracting(SessionRecord::id)
        .containsExactlyInAnyOrder(current.id(), ahead.id());
    assertThat(store.principalGeneration("alice")).isEqualTo(2);
  }

  @Test
  void anonymousCreateIgnoresTheGeneration() {
    store.revokePrincipal("alice", Set.of(), 7);
    SessionRecord record = anonymous(t0);

    assertThat(store.create(record, 0)).isTrue();
    assertThat(store.findByTokenHash(record.tokenHash())).contains(record);
  }

  @Test
  void loginRotationIsFencedLikeACreate() {
    SessionRecord anonymous = created(anonymous(t0).withAttributes(Map.of("cart", "apple")));
    store.revokePrincipal("alice", Set.of(), 1);
    SessionRecord login = loggedIn(anonymous, "alice", t0 + 1);

    assertThat(store.rotate(anonymous.id(), anonymous.tokenHash(), login, 0)).isFalse();
    assertThat(store.findById(anonymous.id())).contains(anonymous);
    assertThat(store.findByTokenHash(login.tokenHash())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0 + 1)).isEmpty();

    assertThat(store.rotate(anonymous.id(), anonymous.tokenHash(), login, 1)).isTrue();
    assertThat(store.findByTokenHash(login.tokenHash())).map(SessionRecord::principal)
        .contains("alice");
  }

  @Test
  void rotationToAnotherPrincipalIsFencedByTheNewOne() {
    SessionRecord bobs = created(session("bob", t0));
    store.revokePrincipal("alice", Set.of(), 1);
    SessionRecord alices = loggedIn(bobs, "alice", t0 + 1);

    assertThat(store.rotate(bobs.id(), bobs.tokenHash(), alices, 0)).isFalse();
    assertThat(store.findById(bobs.id())).contains(bobs);
    assertThat(store.findByPrincipal("bob", t0 + 1)).containsExactly(bobs);
  }

  @Test
  void rotationOfTheSamePrincipalIsNotFenced() {
    SessionRecord kept = created(session("alice", t0));
    store.revokePrincipal("alice", Set.of(kept.id()), 1);
    SessionRecord renewed = renewed(kept, t0 + 1);

    assertThat(store.rotate(kept.id(), kept.tokenHash(), renewed, 0)).isTrue();
    assertThat(store.findByTokenHash(renewed.tokenHash())).map(SessionRecord::id)
        .contains(kept.id());
  }

  @Test
  void revokePrincipalKeepsTheKeptSessionsAndOtherPrincipals() {
    SessionRecord keep = created(session("alice", t0));
    SessionRecord end1 = created(session("alice", t0));
    SessionRecord end2 = created(session("alice", t0));
    SessionRecord bob = created(session("bob", t0));
    SessionRecord anonymous = created(anonymous(t0));

    assertThat(store.revokePrincipal("alice", Set.of(keep.id()), 1))
        .containsExactlyInAnyOrder(end1.id(), end2.id());

    assertThat(store.findByTokenHash(end1.tokenHash())).isEmpty();
    assertThat(store.findById(end2.id())).isEmpty();
    assertThat(store.findByTokenHash(keep.tokenHash())).contains(keep);
    assertThat(store.findByTokenHash(bob.tokenHash())).contains(bob);
    assertThat(store.findByTokenHash(anonymous.tokenHash())).contains(anonymous);
    assertThat(store.principalGeneration("bob")).isZero();
    assertThat(store.findByPrincipal("alice", t0)).containsExactly(keep);

    assertThat(store.revokePrincipal("alice", Set.of(keep.id()), 2)).isEmpty();
    assertThat(store.revokePrincipal("alice", Set.of(), 3)).containsExactly(keep.id());
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.findByTokenHash(keep.tokenHash())).isEmpty();
  }

  @Test
  void revokeAllDeletesEverySessionAndFencesEveryPrincipal() {
    SessionRecord alice = created(session("alice", t0).withAttributes(Map.of("cart", "apple")));
    SessionRecord renewedAway = created(session("alice", t0));
    SessionRecord renewed = renewed(renewedAway, t0 + 1);
    assertThat(rotate(renewedAway, renewed)).isTrue();
    SessionRecord bob = created(session("bob", t0));
    SessionRecord anonymous = created(anonymous(t0));
    long aliceBefore = store.principalGeneration("alice");
    long bobBefore = store.principalGeneration("bob");

    assertThat(store.revokeAll()).isEqualTo(4);

    for (SessionRecord r : List.of(alice, renewed, bob, anonymous)) {
      assertThat(store.findById(r.id())).isEmpty();
      assertThat(store.findByTokenHash(r.tokenHash())).isEmpty();
      assertThat(store.touch(r.id(), t0 + 2)).as("never brought back").isFalse();
    }
    assertThat(store.findByTokenHash(renewedAway.tokenHash())).as("the previous token").isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.findByPrincipal("bob", t0)).isEmpty();
    assertThat(store.purgeExpired(t0 + 10 * ABSOLUTE, 10)).as("nothing left to purge").isEmpty();
    assertThat(store.principalGeneration("alice")).isGreaterThan(aliceBefore);
    assertThat(store.principalGeneration("bob")).isGreaterThan(bobBefore);
    assertThat(store.create(session("bob", t0), bobBefore))
        .as("a login that read the generation before is refused").isFalse();
    assertThat(store.create(session("bob", t0), store.principalGeneration("bob"))).isTrue();
    assertThat(store.revokeAll()).as("again: only the new session").isEqualTo(1);
    assertThat(store.revokeAll()).isZero();
  }

  @Test
  void revokePrincipalDeletesExpiredSessionsThatWereNotPurgedAndReportsThem() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord renewedAway = created(session("alice", t0));
    SessionRecord renewed = renewed(renewedAway, t0 + 1);
    assertThat(rotate(renewedAway, renewed)).isTrue();
    long late = t0 + IDLE + 1;
    assertThat(store.findByPrincipal("alice", late)).as("expired at the manager's clock").isEmpty();

    assertThat(store.revokePrincipal("alice", Set.of(), 1))
        .containsExactlyInAnyOrder(record.id(), renewedAway.id());

    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByTokenHash(renewedAway.tokenHash())).as("the previous token").isEmpty();
    assertThat(store.findByTokenHash(renewed.tokenHash())).isEmpty();
    assertThat(store.purgeExpired(late, 10)).as("gone, not left for the purge").isEmpty();
  }

  @Test
  void racingRevocationsReportEachSessionOnce() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(created(session("alice", t0)).id());
    }
    List<List<String>> results = runTogether(List.of(
        () -> store.revokePrincipal("alice", Set.of(), 1),
        () -> store.revokePrincipal("alice", Set.of(), 1)));
    List<String> all = new ArrayList<>(results.get(0));
    all.addAll(results.get(1));
    assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
  }

  /**
   * The fence under a real race: threads sign a principal in as the manager does ({@code g =
   * principalGeneration(p); create(session, g)}) while the test revokes the principal. Afterwards
   * every session of the principal must have been created with the new generation: one created
   * with the old generation either happened before the revocation (and was deleted by it) or was
   * refused. Bounded to a few hundred logins and under two seconds.
   */
  @Test
  void revocationFencesLoginsThatRaceIt() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    for (int round = 0; round < 3; round++) {
      raceLoginsAgainstARevocation("racer-" + round, deadline);
    }
  }

  private void raceLoginsAgainstARevocation(String principal, long deadlineNanos)
      throws Exception {
    int threads = 3;
    int before = 10;
    int bound = 200;
    long g0 = store.principalGeneration(principal);
    Map<String, Long> generationOf = new ConcurrentHashMap<>();
    AtomicInteger logins = new AtomicInteger();
    AtomicBoolean revoked = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<String> deleted;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          while (!stop.get() && System.nanoTime() < deadlineNanos) {
            if (!revoked.get() && logins.get() >= bound) {
              LockSupport.parkNanos(100_000); // the test thread is late: keep the count bounded
              continue;
            }
            long g = store.principalGeneration(principal);
            SessionRecord s = session(principal, t0);
            generationOf.put(s.id(), g);
            if (store.create(s, g)) {
              logins.incrementAndGet();
            } else {
              generationOf.remove(s.id());
            }
          }
          return null;
        }));
      }
      awaitLogins(logins, before, deadlineNanos);
      deleted = store.revokePrincipal(principal, Set.of(), g0 + 1);
      revoked.set(true);
      // more than one per thread: at least one of them was applied after the revocation
      awaitLogins(logins, logins.get() + threads + before, deadlineNanos);
      stop.set(true);
      for (Future<?> worker : workers) {
        worker.get(10, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }

    assertThat(store.principalGeneration(principal)).isEqualTo(g0 + 1);
    assertThat(deleted).as("sessions created before the revocation").isNotEmpty()
        .allSatisfy(id -> assertThat(generationOf.get(id)).isEqualTo(g0));
    List<SessionRecord> remaining = store.findByPrincipal(principal, t0);
    assertThat(remaining).as("sessions created after the revocation").isNotEmpty()
        .allSatisfy(r -> assertThat(generationOf.get(r.id()))
            .as("generation of surviving session %s", r.id()).isGreaterThanOrEqualTo(g0 + 1));
    assertThat(store.create(session(principal, t0), g0)).as("a later stale login").isFalse();
    assertThat(store.findByPrincipal(principal, t0)).hasSameSizeAs(remaining);
  }

  private static void awaitLogins(AtomicInteger logins, int atLeast, long deadlineNanos) {
    while (logins.get() < atLeast) {
      if (System.nanoTime() >= deadlineNanos) {
        throw new AssertionError("only " + logins.get() + " of " + atLeast
            + " racing logins within the time bound; is create blocked?");
      }
      LockSupport.parkNanos(100_000);
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
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.delete(record.id())).isFalse();
  }

  @Test
  void deleteEndsThePreviousTokenToo() {
    SessionRecord record = created(session("alice", t0));
    SessionRecord renewed = renewed(record, t0 + 1);
    assertThat(rotate(record, renewed)).isTrue();

    assertThat(store.delete(record.id())).isTrue();
    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findByTokenHash(renewed.tokenHash())).isEmpty();
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

  // ------------------------------------------------------------------ purge

  @Test
  void purgeRemovesExpiredSessionsOnlyAndSaysWhy() {
    SessionRecord live = created(session("alice", t0));
    SessionRecord idle = created(session("alice", t0 - IDLE));
    String absoluteId = newId("bob");
    SessionRecord absolute = SessionRecord.authenticated(absoluteId, hashFor(absoluteId),
        Authentication.interactive("bob", t0 - ABSOLUTE, null),
        new Lifetime(t0 - ABSOLUTE, t0 - 1, IDLE, t0), CLIENT);
    created(absolute);

    List<ExpiredSession> purged = store.purgeExpired(t0, 100);

    assertThat(purged).containsExactlyInAnyOrder(
        new ExpiredSession(idle.id(), "alice", t0, ExpiredSession.Timeout.IDLE),
        new ExpiredSession(absolute.id(), "bob", t0, ExpiredSession.Timeout.ABSOLUTE));
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
    List<Integer> batchSizes = new ArrayList<>();
    List<ExpiredSession> batch;
    do {
      batch = store.purgeExpired(later, 10);
      batchSizes.add(batch.size());
      batch.forEach(e -> purged.add(e.sessionId()));
    } while (batch.size() == 10 && batchSizes.size() < 10);

    assertThat(batchSizes).as("full batches until fewer than the limit are due")
        .containsExactly(10, 10, 5);
    assertThat(purged).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(store.purgeExpired(later, 10)).isEmpty();
    assertThat(store.findByPrincipal("user0", t0)).isEmpty();
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
