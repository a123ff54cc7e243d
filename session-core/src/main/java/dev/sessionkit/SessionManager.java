package dev.sessionkit;

import dev.sessionkit.internal.EventDispatcher;
import dev.sessionkit.internal.GuardedStore;
import dev.sessionkit.internal.Tokens;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The facade of Sessionkit: starts, resolves, renews, lists and ends sessions, and issues and
 * checks remember-me tokens. One instance serves the whole application and is safe for concurrent
 * use.
 *
 * <pre>{@code
 * SessionManager sessions = SessionManager.builder()
 *     .config(SessionConfig.builder().idleTimeout(Duration.ofMinutes(15)).build())
 *     .build();                                   // in-memory store, system clock
 * IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
 * String cookieValue = login.token();             // send it in the session cookie
 * Optional<Session> session = sessions.resolve(cookieValue); // on each request
 * }</pre>
 *
 * <h2>Rules it enforces</h2>
 *
 * <ul>
 *   <li>Every change of authentication state issues a new token and kills the old one at once:
 *       login ({@link #authenticate}), privilege change ({@link #renew}), logout.
 *   <li>A session lives while {@code now < min(lastAccess + idleTimeout, absoluteDeadline)}; the
 *       absolute deadline counts from authentication (or creation, when anonymous) and nothing
 *       extends it. Accesses are recorded at most once per {@link SessionConfig#touchInterval()},
 *       so a session may end up to that much early, never late.
 *   <li>A malformed, unknown, expired or revoked token resolves to {@link Optional#empty()},
 *       never to an exception; malformed tokens never reach the store.
 *   <li>A failing store raises {@link SessionStoreException} and never yields a session.
 *   <li>Remember-me tokens ({@code selector.validator}) are rotated on every use; a replaced
 *       validator is harmless for {@link SessionConfig#rememberMeGracePeriod()} (parallel
 *       requests) and is theft afterwards: every session and series of the principal ends.
 * </ul>
 *
 * <p>Login from a browser that already holds a session: an anonymous session, or one of the same
 * principal, is rotated (new token, attributes kept, authentication time and absolute deadline
 * reset). A session of a different principal is ended and a fresh, empty session starts, so that
 * one user's attributes never reach another.
 */
public final class SessionManager {

  /** Sessions removed per store call while purging. */
  static final int PURGE_BATCH = 1000;

  /** Longest accepted principal. */
  public static final int MAX_PRINCIPAL_LENGTH = 256;

  private final SessionConfig config;
  private final SessionStore userStore;
  private final GuardedStore store;
  private final InstantSource clock;
  private final TokenGenerator random;
  private final EventDispatcher events;
  private final long idleMillis;
  private final long absoluteMillis;
  private final long touchMillis;
  private final long rememberMeMillis;
  private final long graceMillis;

  private SessionManager(Builder b) {
    this.config = b.config;
    this.userStore = b.store != null ? b.store : InMemorySessionStore.create();
    this.store = new GuardedStore(userStore);
    this.clock = b.clock;
    this.random = b.random;
    this.events = new EventDispatcher(b.listeners);
    this.idleMillis = config.idleTimeout().toMillis();
    this.absoluteMillis = config.absoluteTimeout().toMillis();
    this.touchMillis = config.touchInterval().toMillis();
    this.rememberMeMillis = config.rememberMeLifetime().toMillis();
    this.graceMillis = config.rememberMeGracePeriod().toMillis();
  }

  /** Returns a builder: defaults are {@link SessionConfig#defaults()}, an in-memory store and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the configuration. */
  public SessionConfig config() {
    return config;
  }

  /** Returns the store this manager uses. */
  public SessionStore store() {
    return userStore;
  }

  /** Returns the clock this manager reads. */
  public InstantSource clock() {
    return clock;
  }

  // ---------------------------------------------------------------- start and resolve

  /**
   * Starts an anonymous session (a cart before login).
   *
   * @throws SessionStoreException if the store fails
   */
  public IssuedSession startAnonymous(ClientInfo client) {
    client = client == null ? ClientInfo.NONE : client;
    long now = clock.millis();
    String token = Tokens.newToken(random);
    SessionRecord record = new SessionRecord(Tokens.newId(random), Tokens.hash(token), null, now,
        0L, null, now, idleMillis, saturatedAdd(now, absoluteMillis), null,
        client.addressOrNull(), client.userAgentOrNull(), Map.of());
    store.create(record);
    fire(SessionEvent.Type.CREATED, record, now, null);
    return new IssuedSession(new Session(this, record), token, null);
  }

  /**
   * Returns the live session that {@code token} belongs to and records the access (at most once per
   * touch interval). Anything else (null, malformed, unknown, expired, revoked) gives empty; an
   * expired session found here is removed and its expired event fires.
   *
   * @throws SessionStoreException if the store fails (never a session)
   */
  public Optional<Session> resolve(String token) {
    if (!Tokens.isToken(token)) {
      return Optional.empty();
    }
    TokenHash hash = Tokens.hash(token);
    long now = clock.millis();
    SessionRecord record = store.findByTokenHashAndTouch(hash, now, touchMillis).orElse(null);
    if (record == null || !record.tokenHash().equals(hash)) {
      return Optional.empty();
    }
    if (record.isExpired(now)) {
      expire(record, now);
      return Optional.empty();
    }
    return Optional.of(new Session(this, record));
  }

  // ---------------------------------------------------------------- authentication

  /**
   * Signs {@code principal} in with a fresh session.
   *
   * @param rememberMe whether to issue a remember-me token as well
   * @throws SessionLimitExceededException if the principal is at the cap and the policy refuses
   * @throws SessionStoreException if the store fails
   */
  public IssuedSession authenticate(String principal, ClientInfo client, boolean rememberMe) {
    return authenticate((Session) null, principal, client, rememberMe);
  }

  /**
   * Signs {@code principal} in from a browser that presented {@code currentToken} (may be null):
   * a live anonymous session, or one of the same principal, is rotated (new token, the old one dead
   * at once, attributes kept); otherwise a fresh session starts.
   *
   * @throws SessionLimitExceededException if the principal is at the cap and the policy refuses
   * @throws SessionStoreException if the store fails
   */
  public IssuedSession authenticate(String currentToken, String principal, ClientInfo client,
      boolean rememberMe) {
    long now = clock.millis();
    SessionRecord current = live(currentToken, now);
    return authenticate(current, principal, client, rememberMe, now);
  }

  /**
   * Like {@link #authenticate(String, String, ClientInfo, boolean)}, for a session already
   * resolved in this request ({@code null} for none).
   */
  public IssuedSession authenticate(Session current, String principal, ClientInfo client,
      boolean rememberMe) {
    return authenticate(current == null ? null : current.record(), principal, client, rememberMe,
        clock.millis());
  }

  private IssuedSession authenticate(SessionRecord current, String principal, ClientInfo client,
      boolean rememberMe, long now) {
    checkPrincipal(principal);
    client = client == null ? ClientInfo.NONE : client;
    boolean rotate = current != null
        && (current.principal() == null || current.principal().equals(principal));
    enforceCap(principal, rotate ? Set.of(current.id()) : Set.of(), now);

    String token = Tokens.newToken(random);
    TokenHash hash = Tokens.hash(token);
    String validator = null;
    RememberMeSeries series = null;
    if (rememberMe) {
      validator = Tokens.newToken(random);
      series = new RememberMeSeries(Tokens.newId(random), principal, Tokens.hash(validator), null,
          0L, now, saturatedAdd(now, rememberMeMillis), now);
      store.createSeries(series);
    }
    RememberMeToken rememberMeToken = series == null ? null
        : new RememberMeToken(series.selector() + "." + validator,
            Instant.ofEpochMilli(series.expiresAt()));

    if (rotate) {
      String selector = series != null ? series.selector() : current.rememberMeSelector();
      SessionRecord rotated = new SessionRecord(current.id(), hash, principal, current.createdAt(),
          now, AuthenticationMethod.INTERACTIVE, Math.max(now, current.lastAccessedAt()),
          current.idleTimeout(), saturatedAdd(now, absoluteMillis), selector,
          orElse(client.addressOrNull(), current.clientAddress()),
          orElse(client.userAgentOrNull(), current.userAgent()), current.attributes());
      if (store.replaceMetadata(current.id(), current.tokenHash(), rotated)) {
        if (series != null && current.rememberMeSelector() != null) {
          store.deleteSeries(current.rememberMeSelector());
        }
        fire(SessionEvent.Type.AUTHENTICATED, rotated, now, null);
        return new IssuedSession(new Session(this, rotated), token, rememberMeToken);
      }
      // The session ended or was rotated by a parallel request meanwhile: start a fresh one.
    } else if (current != null) {
      end(current, SessionEvent.Type.LOGGED_OUT, EndReason.REPLACED, now);
    }

    SessionRecord fresh = new SessionRecord(Tokens.newId(random), hash, principal, now, now,
        AuthenticationMethod.INTERACTIVE, now, idleMillis, saturatedAdd(now, absoluteMillis),
        series == null ? null : series.selector(), client.addressOrNull(),
        client.userAgentOrNull(), Map.of());
    createOrForgetSeries(fresh, series);
    fire(SessionEvent.Type.CREATED, fresh, now, null);
    fire(SessionEvent.Type.AUTHENTICATED, fresh, now, null);
    return new IssuedSession(new Session(this, fresh), token, rememberMeToken);
  }

  /**
   * Issues a new token for the session of {@code token}, keeping its data, principal,
   * authentication time and absolute deadline (call it on a privilege change). The old token is
   * dead at once.
   *
   * @return the renewed session, or empty if {@code token} has no live session
   */
  public Optional<IssuedSession> renew(String token) {
    long now = clock.millis();
    SessionRecord record = live(token, now);
    return record == null ? Optional.empty() : renew(new Session(this, record), now);
  }

  /** Like {@link #renew(String)}, for a session resolved in this request. */
  public Optional<IssuedSession> renew(Session session) {
    return renew(session, clock.millis());
  }

  private Optional<IssuedSession> renew(Session session, long now) {
    SessionRecord record = session.record();
    if (record.isExpired(now)) {
      expire(record, now);
      return Optional.empty();
    }
    String token = Tokens.newToken(random);
    SessionRecord renewed = new SessionRecord(record.id(), Tokens.hash(token), record.principal(),
        record.createdAt(), record.authenticatedAt(), record.authenticationMethod(),
        Math.max(now, record.lastAccessedAt()), record.idleTimeout(), record.absoluteDeadline(),
        record.rememberMeSelector(), record.clientAddress(), record.userAgent(),
        record.attributes());
    if (!store.replaceMetadata(record.id(), record.tokenHash(), renewed)) {
      return Optional.empty();
    }
    session.record(renewed);
    fire(SessionEvent.Type.RENEWED, renewed, now, null);
    return Optional.of(new IssuedSession(session, token, null));
  }

  // ---------------------------------------------------------------- logout

  /**
   * Logs out the session of {@code token} on the server: the session and its remember-me series
   * end. Returns whether a live session ended.
   */
  public boolean logout(String token) {
    long now = clock.millis();
    SessionRecord record = live(token, now);
    return record != null && end(record, SessionEvent.Type.LOGGED_OUT, EndReason.LOGOUT, now);
  }

  /** Like {@link #logout(String)}, for a session resolved in this request. */
  public boolean logout(Session session) {
    return end(session.record(), SessionEvent.Type.LOGGED_OUT, EndReason.LOGOUT, clock.millis());
  }

  /**
   * Ends the remember-me series of {@code rememberMeToken} if the token is its current (or
   * just-replaced) credential; used at logout when the session cookie is already gone. A wrong
   * validator is ignored here (logout never raises a theft alarm).
   */
  public boolean forgetRememberMe(String rememberMeToken) {
    if (!Tokens.isRememberMeToken(rememberMeToken)) {
      return false;
    }
    String selector = rememberMeToken.substring(0, Tokens.ID_LENGTH);
    TokenHash presented = Tokens.hash(rememberMeToken, Tokens.ID_LENGTH + 1,
        Tokens.REMEMBER_ME_LENGTH);
    RememberMeSeries series = store.findSeries(selector).orElse(null);
    if (series == null) {
      return false;
    }
    boolean matches = series.validatorHash().constantTimeEquals(presented)
        | (series.previousValidatorHash() != null
            && series.previousValidatorHash().constantTimeEquals(presented));
    return matches && store.deleteSeries(selector);
  }

  /**
   * Ends every other session and remember-me series of the current session's principal, keeping
   * the current session and its own series (after a password change or reset).
   *
   * @return how many sessions ended (including any that had timed out but were not yet purged)
   */
  public int logoutOthers(Session current) {
    SessionRecord record = current.record();
    if (record.principal() == null) {
      return 0;
    }
    return endAllOf(record.principal(), Set.of(record.id()),
        record.rememberMeSelector() == null ? Set.of() : Set.of(record.rememberMeSelector()),
        EndReason.FORCE_LOGOUT, clock.millis());
  }

  /**
   * Ends every session and remember-me series of {@code principal} (an administrator's action).
   *
   * @return how many sessions ended (including any that had timed out but were not yet purged)
   */
  public int logoutAll(String principal) {
    checkPrincipal(principal);
    return revokeAll(principal, EndReason.FORCE_LOGOUT, clock.millis());
  }

  /**
   * Ends one session of {@code principal} by its public id, with its remember-me series; a session
   * of anyone else is left alone.
   *
   * @return whether a session of this principal ended
   */
  public boolean revoke(String principal, String sessionId) {
    if (principal == null || !Tokens.isId(sessionId)) {
      return false;
    }
    long now = clock.millis();
    SessionRecord record = store.findById(sessionId).orElse(null);
    if (record == null || !principal.equals(record.principal())) {
      return false;
    }
    if (record.isExpired(now)) {
      expire(record, now);
      return false;
    }
    return end(record, SessionEvent.Type.REVOKED, EndReason.REVOKED, now);
  }

  /**
   * Returns the live sessions of {@code principal}, oldest first, with their metadata (id,
   * created, last access, expiry, remember-me, client address and user agent).
   */
  public List<Session> sessionsOf(String principal) {
    checkPrincipal(principal);
    long now = clock.millis();
    List<SessionRecord> records = new ArrayList<>(store.findByPrincipal(principal, now));
    records.removeIf(r -> r.isExpired(now) || !principal.equals(r.principal()));
    records.sort(Comparator.comparingLong(SessionRecord::createdAt).thenComparing(SessionRecord::id));
    List<Session> sessions = new ArrayList<>(records.size());
    for (SessionRecord r : records) {
      sessions.add(new Session(this, r));
    }
    return List.copyOf(sessions);
  }

  // ---------------------------------------------------------------- remember-me

  /**
   * Starts a new session from a remember-me token and rotates its validator. See {@link
   * RememberMeResult.Status} for the outcomes; only {@code RESUMED} grants a session. The
   * validator is rotated only once nothing can refuse the resume any more; if the new session
   * cannot be stored, the rotation is undone, so that the client's cookie stays valid.
   *
   * @throws SessionLimitExceededException if the principal is at the cap and the policy refuses
   *     (the remember-me token stays valid)
   * @throws SessionStoreException if the store fails (never a session)
   */
  public RememberMeResult resumeRememberMe(String rememberMeToken, ClientInfo client) {
    if (!Tokens.isRememberMeToken(rememberMeToken)) {
      return RememberMeResult.invalid();
    }
    client = client == null ? ClientInfo.NONE : client;
    long now = clock.millis();
    String selector = rememberMeToken.substring(0, Tokens.ID_LENGTH);
    TokenHash presented = Tokens.hash(rememberMeToken, Tokens.ID_LENGTH + 1,
        Tokens.REMEMBER_ME_LENGTH);
    RememberMeSeries series = store.findSeries(selector).orElse(null);
    if (series == null) {
      return RememberMeResult.invalid();
    }
    if (series.isExpired(now)) {
      store.deleteSeries(selector);
      return RememberMeResult.invalid();
    }
    if (!series.validatorHash().constantTimeEquals(presented)) {
      boolean inGrace = series.previousValidatorHash() != null
          && series.previousValidatorHash().constantTimeEquals(presented)
          && now < series.previousValidUntil();
      if (inGrace) {
        return RememberMeResult.recentlyRotated();
      }
      revokeAll(series.principal(), EndReason.REMEMBER_ME_THEFT, now);
      events.fire(SessionEvent.Type.REMEMBER_ME_THEFT, null, series.principal(),
          Instant.ofEpochMilli(now), EndReason.REMEMBER_ME_THEFT);
      return RememberMeResult.theft();
    }
    // Everything that can refuse comes before the rotation, so that a refused or failed resume
    // leaves the presented validator current (a later retry is not mistaken for theft).
    enforceCap(series.principal(), Set.of(), now);
    String validator = Tokens.newToken(random);
    TokenHash next = Tokens.hash(validator);
    if (!store.rotateSeries(selector, series.validatorHash(), next,
        saturatedAdd(now, graceMillis), now)) {
      return RememberMeResult.recentlyRotated();
    }
    String token = Tokens.newToken(random);
    SessionRecord fresh = new SessionRecord(Tokens.newId(random), Tokens.hash(token),
        series.principal(), now, now, AuthenticationMethod.REMEMBER_ME, now, idleMillis,
        saturatedAdd(now, absoluteMillis), selector, client.addressOrNull(),
        client.userAgentOrNull(), Map.of());
    try {
      store.create(fresh);
    } catch (RuntimeException e) {
      undoRotation(series, next, now, e);
      throw e;
    }
    fire(SessionEvent.Type.CREATED, fresh, now, null);
    fire(SessionEvent.Type.REMEMBER_ME_USED, fresh, now, null);
    RememberMeToken nextToken = new RememberMeToken(selector + "." + validator,
        Instant.ofEpochMilli(series.expiresAt()));
    return RememberMeResult.resumed(
        new IssuedSession(new Session(this, fresh), token, nextToken));
  }

  /** Makes the presented validator current again after the session could not be created. */
  private void undoRotation(RememberMeSeries series, TokenHash next, long now,
      RuntimeException cause) {
    try {
      store.rotateSeries(series.selector(), next, series.validatorHash(), now, now);
    } catch (RuntimeException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Removes every expired session and remember-me series, in batches, firing the expired event for
   * each session. Its cost follows the number of expired entries, not of all sessions. Call it
   * periodically (the servlet filter does, once a minute).
   *
   * @return how many sessions were removed
   */
  public int purgeExpired() {
    long now = clock.millis();
    int total = 0;
    List<ExpiredSession> batch;
    do {
      batch = store.purgeExpired(now, PURGE_BATCH);
      for (ExpiredSession e : batch) {
        events.fire(SessionEvent.Type.EXPIRED, e.sessionId(), e.principal(),
            Instant.ofEpochMilli(e.expiredAt()), e.reason());
      }
      total += batch.size();
    } while (batch.size() >= PURGE_BATCH);
    while (store.purgeExpiredSeries(now, PURGE_BATCH) >= PURGE_BATCH) {
      // keep going until no more are due
    }
    return total;
  }

  // ---------------------------------------------------------------- internals

  void updateAttributes(Session session, Map<String, Object> puts, Set<String> removals) {
    SessionRecord record = session.record();
    if (!store.updateAttributes(record.id(), puts, removals)) {
      throw new IllegalStateException("session " + record.id() + " has ended");
    }
    Map<String, Object> merged = new HashMap<>(record.attributes());
    merged.keySet().removeAll(removals);
    merged.putAll(puts);
    session.record(record.withAttributes(merged));
  }

  /** Returns the live record of {@code token}, expiring it if its time has passed; no touch. */
  private SessionRecord live(String token, long now) {
    if (!Tokens.isToken(token)) {
      return null;
    }
    TokenHash hash = Tokens.hash(token);
    SessionRecord record = store.findByTokenHash(hash).orElse(null);
    if (record == null || !record.tokenHash().equals(hash)) {
      return null;
    }
    if (record.isExpired(now)) {
      expire(record, now);
      return null;
    }
    return record;
  }

  private void expire(SessionRecord record, long now) {
    if (store.delete(record.id())) {
      events.fire(SessionEvent.Type.EXPIRED, record.id(), record.principal(),
          Instant.ofEpochMilli(record.expiresAt()), record.expiryReason());
    }
  }

  private boolean end(SessionRecord record, SessionEvent.Type type, EndReason reason, long now) {
    boolean ended = store.delete(record.id());
    if (record.rememberMeSelector() != null) {
      store.deleteSeries(record.rememberMeSelector());
    }
    if (ended) {
      fire(type, record, now, reason);
    }
    return ended;
  }

  private int revokeAll(String principal, EndReason reason, long now) {
    return endAllOf(principal, Set.of(), Set.of(), reason, now);
  }

  /**
   * Ends the principal's sessions and series except the kept ones, and returns how many sessions
   * ended. A session that had timed out but was not yet purged is removed and counted too.
   */
  private int endAllOf(String principal, Set<String> keepSessions, Set<String> keepSeries,
      EndReason reason, long now) {
    List<String> ended = store.deleteByPrincipal(principal, keepSessions);
    store.deleteSeriesByPrincipal(principal, keepSeries);
    Instant at = Instant.ofEpochMilli(now);
    for (String id : ended) {
      events.fire(SessionEvent.Type.REVOKED, id, principal, at, reason);
    }
    return ended.size();
  }

  private void enforceCap(String principal, Set<String> keep, long now) {
    OptionalInt cap = config.maxSessionsPerPrincipal();
    if (cap.isEmpty()) {
      return;
    }
    List<SessionRecord> others = new ArrayList<>();
    for (SessionRecord r : store.findByPrincipal(principal, now)) {
      if (!keep.contains(r.id()) && !r.isExpired(now)) {
        others.add(r);
      }
    }
    int excess = others.size() + 1 - cap.getAsInt();
    if (excess <= 0) {
      return;
    }
    if (config.sessionCapPolicy() == SessionCapPolicy.REFUSE_NEW) {
      throw new SessionLimitExceededException(cap.getAsInt());
    }
    others.sort(Comparator.comparingLong(SessionRecord::createdAt).thenComparing(SessionRecord::id));
    for (int i = 0; i < excess; i++) {
      end(others.get(i), SessionEvent.Type.REVOKED, EndReason.SESSION_CAP, now);
    }
  }

  private void createOrForgetSeries(SessionRecord record, RememberMeSeries series) {
    try {
      store.create(record);
    } catch (RuntimeException e) {
      if (series != null) {
        try {
          store.deleteSeries(series.selector());
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private void fire(SessionEvent.Type type, SessionRecord record, long now, EndReason reason) {
    events.fire(type, record.id(), record.principal(), Instant.ofEpochMilli(now), reason);
  }

  private static void checkPrincipal(String principal) {
    Objects.requireNonNull(principal, "principal");
    if (principal.isBlank() || principal.length() > MAX_PRINCIPAL_LENGTH) {
      throw new IllegalArgumentException(
          "principal must have 1 to " + MAX_PRINCIPAL_LENGTH + " characters, not blank");
    }
    for (int i = 0; i < principal.length(); i++) {
      char c = principal.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("principal must not contain control characters");
      }
    }
  }

  private static String orElse(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String toString() {
    return "SessionManager[" + config + ", store=" + userStore + "]";
  }

  /** Builds a {@link SessionManager}. Not thread-safe. */
  public static final class Builder {
    private SessionConfig config = SessionConfig.defaults();
    private SessionStore store;
    private InstantSource clock = InstantSource.system();
    private TokenGenerator random = TokenGenerator.secure();
    private final List<SessionListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Sets the configuration (default: {@link SessionConfig#defaults()}). */
    public Builder config(SessionConfig value) {
      this.config = Objects.requireNonNull(value, "config");
      return this;
    }

    /** Sets the store (default: a new {@link InMemorySessionStore}). */
    public Builder store(SessionStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** Sets the clock (default: the system clock); tests pass a {@link MutableClock}. */
    public Builder clock(InstantSource value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Sets the source of randomness (default: {@link TokenGenerator#secure()}). */
    public Builder tokenGenerator(TokenGenerator value) {
      this.random = Objects.requireNonNull(value, "tokenGenerator");
      return this;
    }

    /** Adds a listener for session events. */
    public Builder listener(SessionListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /** Returns the manager. */
    public SessionManager build() {
      return new SessionManager(this);
    }
  }
}
