// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       requests) and is theft afterwards: every session and series of the principal ends. A
 *       rotation whose store call failed is never taken for theft later.
 *   <li>Force logout ({@link #logoutOthers}, {@link #logoutAll}, {@link #credentialsChanged}, a
 *       theft response) is final: once it returns, no session of the principal resolves except
 *       the kept one, including sessions that logins and resumes in flight would create.
 *   <li>A store call that fails may or may not have been applied; the manager undoes or tolerates
 *       it so that neither case later raises a false theft alarm, loses a live session, or keeps a
 *       session that a completed logout ended.
 * </ul>
 *
 * <h2>Stores</h2>
 *
 * <p>Sessions live in a {@link SessionStore} and remember-me series in a {@link RememberMeStore};
 * the bundled stores implement both ({@link Builder#stores}).
 *
 * <p>Login from a browser that already holds a session: an anonymous session, or one of the same
 * principal, is rotated (new token, attributes kept, authentication time and absolute deadline
 * reset). A session of a different principal is ended and a fresh, empty session starts, so that
 * one user's attributes never reach another.
 */
public final class SessionManager {

  private static final Logger SECURITY = LoggerFactory.getLogger("dev.sessionkit.security");

  /** Longest accepted principal. */
  public static final int MAX_PRINCIPAL_LENGTH = 256;

  private final SessionConfig config;
  private final SessionStore userStore;
  private final RememberMeStore userRememberMeStore;
  private final InstantSource clock;
  private final SessionLifecycle lifecycle;
  private final RememberMeLogins rememberMe;
  private final PrincipalAdministration admin;
  private final StoreCheck storeCheck;

  private SessionManager(Builder b) {
    this.config = b.config;
    Stores stores = b.chosenStores();
    for (UnaryOperator<Stores> wrapper : b.storeWrappers) {
      stores = Objects.requireNonNull(wrapper.apply(stores), "a store wrapper returned null");
    }
    this.userStore = stores.sessions();
    this.userRememberMeStore = stores.rememberMe();
    this.clock = b.clock;
    Context ctx = new Context(this, config, new GuardedStores.Sessions(userStore),
        new GuardedStores.RememberMe(userRememberMeStore), b.random,
        new EventDispatcher(b.listeners));
    this.admin = new PrincipalAdministration(ctx);
    this.rememberMe = new RememberMeLogins(ctx, admin);
    this.lifecycle = new SessionLifecycle(ctx, admin, rememberMe);
    this.storeCheck = new StoreCheck(userStore, userRememberMeStore);
  }

  /**
   * Returns a builder: defaults are {@link SessionConfig#defaults()}, an in-memory store and the
   * system clock.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  public SessionConfig config() {
    return config;
  }

  /**
   * Returns the session store this manager uses.
   *
   * @return the session store this manager uses
   */
  public SessionStore store() {
    return userStore;
  }

  /**
   * Returns the remember-me store this manager uses.
   *
   * @return the remember-me store this manager uses
   */
  public RememberMeStore rememberMeStore() {
    return userRememberMeStore;
  }

  /**
   * Returns the clock this manager reads.
   *
   * @return the clock this manager reads
   */
  public InstantSource clock() {
    return clock;
  }

  /**
   * Checks that the stores answer, for a health endpoint: pings the session store ({@link
   * SessionStore#ping()}) and, if it is another object, reads the remember-me store once, and
   * waits at most {@code timeout} for both. Never throws for a failing store: the answer says
   * what failed.
   *
   * <p>The ping runs on a daemon thread, so a store that hangs costs the caller the timeout and
   * nothing more; while one ping is in flight, further checks wait for that one rather than
   * starting another. Thread-safe.
   *
   * @param timeout how long to wait for the answer; positive
   * @return {@code up} if both stores answered in time without an error
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public StoreHealth checkStore(Duration timeout) {
    return storeCheck.check(Objects.requireNonNull(timeout, "timeout"));
  }

  // ---------------------------------------------------------------- start and resolve

  /**
   * Starts an anonymous session (a cart before login).
   *
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @return the new session and its token
   * @throws SessionStoreException if the store fails
   */
  public IssuedSession startAnonymous(ClientInfo client) {
    return lifecycle.startAnonymous(client(client), clock.millis());
  }

  /**
   * Returns the live session that {@code token} belongs to and records the access (at most once per
   * touch interval). Within the rotation grace period after {@link #renew}, the replaced token
   * resolves too. Anything else (null, malformed, unknown, expired, revoked) gives empty; an
   * expired session found here is removed and its expired event fires.
   *
   * @param token the session token from the cookie
   * @return the live session that {@code token} belongs to and records the access (at most once
   *     per touch interval)
   * @throws SessionStoreException if the store fails (never a session)
   */
  public Optional<Session> resolve(String token) {
    return lifecycle.resolve(token, clock.millis());
  }

  // ---------------------------------------------------------------- authentication

  /**
   * Signs {@code principal} in with a fresh session.
   *
   * @param principal the principal (the user's id)
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @param rememberMe whether to issue a remember-me token as well
   * @return the authenticated session and its token (and the remember-me token, if asked for)
   * @throws SessionLimitExceededException if the principal is at the cap and the policy refuses
   * @throws SessionEndedException if a force logout of the principal ran during this login
   * @throws SessionStoreException if the store fails
   */
  public IssuedSession authenticate(String principal, ClientInfo client, boolean rememberMe) {
    return authenticate((Session) null, principal, client, rememberMe);
  }

  /**
   * Signs {@code principal} in from a browser that presented {@code currentToken} (may be null):
   * a live anonymous session, or one of the same principal, is rotated (new token, attributes
   * kept); a session of another principal ends and a fresh session starts. A second, parallel
   * login of the same principal from the token that the first one just replaced lands in the same
   * session.
   *
   * @param currentToken the token the browser presented, or {@code null}
   * @param principal the principal (the user's id)
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @param rememberMe whether to issue a remember-me token too
   * @return the authenticated session and its token (and the remember-me token, if asked for)
   * @throws SessionLimitExceededException if the principal is at the cap and the policy refuses
   * @throws SessionEndedException if a force logout of the principal ran during this login
   * @throws SessionStoreException if the store fails
   */
  public IssuedSession authenticate(String currentToken, String principal, ClientInfo client,
      boolean rememberMe) {
    checkPrincipal(principal);
    long now = clock.millis();
    return lifecycle.authenticate(lifecycle.loginOrigin(currentToken, principal, now), principal,
        client(client), rememberMe, now);
  }

  /**
   * Returns the public id of the live session of {@code principal} that a login from {@code
   * token} would land in: the session whose current token it is, or the session that a login of
   * {@code principal} just moved away from it (within {@link SessionConfig#rotationGracePeriod()}:
   * a request the browser sent before the new cookie arrived). Grants nothing and changes nothing
   * but removing a session found expired (a token replaced by a login never {@link #resolve
   * resolves}); it lets an integration tell
   * such a request from one whose session has ended, before it logs the browser in again with
   * {@link #authenticate(String, String, ClientInfo, boolean)}.
   *
   * @param token the session token the request presented, or {@code null}
   * @param principal the principal (the user's id) that would log in
   * @return the public id of the session such a login would land in, or empty if there is none
   * @throws SessionStoreException if the store fails
   */
  public Optional<String> loginTarget(String token, String principal) {
    checkPrincipal(principal);
    SessionRecord origin = lifecycle.loginOrigin(token, principal, clock.millis());
    return origin != null && principal.equals(origin.principal()) ? Optional.of(origin.id())
        : Optional.empty();
  }

  /**
   * Like {@link #authenticate(String, String, ClientInfo, boolean)}, for a session already
   * resolved in this request ({@code null} for none).
   *
   * @param current the session of the current request
   * @param principal the principal (the user's id)
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @param rememberMe whether to issue a remember-me token too
   * @return the authenticated session and its token (and the remember-me token, if asked for)
   */
  public IssuedSession authenticate(Session current, String principal, ClientInfo client,
      boolean rememberMe) {
    checkPrincipal(principal);
    IssuedSession issued = lifecycle.authenticate(current == null ? null : current.record(),
        principal, client(client), rememberMe, clock.millis());
    PreviousToken replaced = issued.session().record().previousToken();
    if (current != null && replaced != null
        && replaced.hash().equals(current.record().tokenHash())) {
      // rotated in place (or moved by a routing store): the same values, still watched
      issued.session().continueFrom(current);
    }
    return issued;
  }

  /**
   * Issues a new token for the session of {@code token}, keeping its data, principal,
   * authentication time and absolute deadline (call it on a privilege change, OWASP ASVS 7.2.4).
   * The old token keeps resolving for {@link SessionConfig#rotationGracePeriod()}, for the
   * browser's parallel requests; a parallel renewal of the same session gets a token too.
   *
   * @param token the session token from the cookie
   * @return the renewed session, or empty if {@code token} has no live session
   * @throws SessionStoreException if the store fails
   */
  public Optional<IssuedSession> renew(String token) {
    long now = clock.millis();
    SessionRecord record = lifecycle.live(token, now);
    return record == null ? Optional.empty() : lifecycle.renew(new Session(this, record), now);
  }

  /**
   * Like {@link #renew(String)}, for a session resolved in this request.
   *
   * @param session a session resolved in this request
   * @return the session with its new token, or empty if it has ended
   */
  public Optional<IssuedSession> renew(Session session) {
    return lifecycle.renew(session, clock.millis());
  }

  /**
   * Call after the principal of {@code current} changed or reset a credential (password, second
   * factor): in one call, every other session and remember-me series of the principal ends, the
   * current session gets a new token (the old one dead at once, no grace) and, if its device had
   * remember-me, a new remember-me token. OWASP ASVS 7.4.3 and 7.2.4.
   *
   * @param current the session of the current request
   * @return the current session with its new token(s); send both cookies
   * @throws IllegalStateException if the session is anonymous
   * @throws SessionEndedException if the session has ended (timed out, or ended by a parallel
   *     request); every other session and series of the principal has been ended all the same
   * @throws SessionStoreException if the store fails (retrying is safe)
   */
  public IssuedSession credentialsChanged(Session current) {
    return lifecycle.credentialsChanged(Objects.requireNonNull(current, "current"),
        clock.millis());
  }

  // ---------------------------------------------------------------- logout

  /**
   * Logs out the session of {@code token} on the server: the session and its device's remember-me
   * series end, the series even if the session had already timed out.
   *
   * @param token the session token from the cookie
   * @return whether a live session ended
   * @throws SessionStoreException if the store fails
   */
  public boolean logout(String token) {
    return lifecycle.logout(token, clock.millis());
  }

  /**
   * Like {@link #logout(String)}, for a session resolved in this request.
   *
   * @param session a session resolved in this request
   * @return whether a session ended
   */
  public boolean logout(Session session) {
    return lifecycle.logout(session.record(), clock.millis());
  }

  /**
   * Ends the remember-me series of {@code rememberMeToken} if the token is its current credential
   * (or the one replaced within the grace period); used at logout when the session cookie is
   * already gone. Any other validator is ignored here (logout never raises a theft alarm).
   *
   * @param rememberMeToken the remember-me cookie's value (selector and validator)
   * @return whether a series ended
   */
  public boolean forgetRememberMe(String rememberMeToken) {
    long now = clock.millis();
    return PresentedRememberMe.parse(rememberMeToken).map(p -> rememberMe.forget(p, now))
        .orElse(false);
  }

  /**
   * Ends every other session and remember-me series of the current session's principal, keeping
   * the current session and its device's series. The kept series is not rotated: if its cookie
   * may have been copied, or after a credential change, use {@link #credentialsChanged}, which
   * also renews this device's tokens.
   *
   * @param current the session of the current request
   * @return how many sessions ended (including any that had timed out but were not yet purged)
   */
  public int logoutOthers(Session current) {
    return admin.logoutOthers(current.record(), clock.millis());
  }

  /**
   * Ends every session and remember-me series of {@code principal} (an account disabled, an
   * administrator's action); final like every force logout (a login or resume in flight is
   * refused). Fires a {@link SessionEvent.Type#REVOKED} event per session, then one {@link
   * SessionEvent.Type#LOGGED_OUT_EVERYWHERE} event. Cost: O(sessions and series of the
   * principal), whatever the size of the store.
   *
   * @param principal the principal (the user's id)
   * @return how many sessions ended (including any that had timed out but were not yet purged)
   */
  public int logoutAll(String principal) {
    checkPrincipal(principal);
    return admin.logoutAll(principal, clock.millis());
  }

  /**
   * Ends every session and remember-me series in the store: the administrative answer to a
   * breach (a copy of the store leaked, a vulnerability exploited, a signing key compromised).
   * Every user must sign in again; every remember-me cookie stops working. Like a force logout it
   * is final for every principal the store held anything of: a login or remember-me resume in
   * flight for one of them is refused (a first login of a principal the store never saw may
   * complete). Fires one {@link SessionEvent.Type#EVERYONE_LOGGED_OUT} event (no event per
   * session) and logs a WARN line with the counts.
   *
   * <p>Cost: O(sessions + series + principals in the store), the one operation that touches
   * everything; the JDBC store runs it in one transaction, the Redis store in one script (Redis
   * serves nothing else meanwhile), the in-memory store principal by principal. Call it from an
   * administrative task, not a request.
   *
   * @return how many sessions ended (including any that had timed out but were not yet purged)
   * @throws SessionStoreException if the store fails; calling again is safe
   */
  public long logoutEveryone() {
    return admin.logoutEveryone(clock.millis());
  }

  /**
   * Reports that the client at {@code clientAddress} presented more unknown session tokens,
   * forged remember-me values or malformed cookies than a threshold allows within a window: fires
   * a {@link SessionEvent.Type#TOKEN_GUESSING} event carrying the address and logs a WARN line on
   * the security log. The servlet filter's guessing detection calls it; an application with its
   * own detection may too.
   *
   * @param clientAddress the client's address as the container reports it (trimmed and stripped
   *     of control characters like {@link ClientInfo#of})
   * @param failures how many failures were counted within the window
   */
  public void reportGuessing(String clientAddress, int failures) {
    String address = ClientInfo.of(clientAddress, null).addressOrNull();
    SECURITY.warn("token guessing suspected: address={} presented {} unknown or malformed"
        + " session credentials within the detection window", address, failures);
    admin.events().fire(SessionEvent.Type.TOKEN_GUESSING, null, null, address,
        Instant.ofEpochMilli(clock.millis()), null);
  }

  /**
   * Ends one session of {@code principal} by its public id (from {@link #sessionsOf}); a session
   * of anyone else is left alone. Its device's remember-me series ends too if this session was
   * the series' latest.
   *
   * @param principal the principal (the user's id)
   * @param sessionId the public session id
   * @return whether a session of this principal ended
   */
  public boolean revoke(String principal, String sessionId) {
    if (principal == null || !Tokens.isSessionId(sessionId)) {
      return false;
    }
    return admin.revoke(principal, sessionId, clock.millis());
  }

  /**
   * Returns the live sessions of {@code principal}, oldest first, with their metadata (id,
   * created, last access, expiry, remember-me, client address and user agent).
   *
   * @param principal the principal (the user's id)
   * @return the live sessions of {@code principal}, oldest first, with their metadata (id,
   *     created, last access, expiry, remember-me, client address and user agent)
   */
  public List<Session> sessionsOf(String principal) {
    checkPrincipal(principal);
    return admin.sessionsOf(principal, clock.millis());
  }

  // ---------------------------------------------------------------- remember-me

  /**
   * Starts a new session from a remember-me token and rotates its validator. See {@link
   * RememberMeResult.Status} for the outcomes; only {@code RESUMED} grants a session. At the
   * per-principal cap the least recently used session makes room (or, under {@link
   * SessionCapPolicy#REFUSE_NEW}, the resume is refused and the token stays valid).
   *
   * @param rememberMeToken the remember-me cookie's value (selector and validator)
   * @param client the client's address and user agent ({@link ClientInfo#NONE} if unknown)
   * @return what happened, with the new session and tokens if it resumed
   * @throws SessionLimitExceededException if the principal is at the cap and the policy refuses
   * @throws SessionStoreException if the store fails (never a session; the token stays usable)
   */
  public RememberMeResult resumeRememberMe(String rememberMeToken, ClientInfo client) {
    Optional<PresentedRememberMe> presented = PresentedRememberMe.parse(rememberMeToken);
    if (presented.isEmpty()) {
      return RememberMeResult.invalid();
    }
    return rememberMe.resume(presented.get(), client(client), clock.millis());
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
    return admin.purgeExpired(clock.millis());
  }

  // ---------------------------------------------------------------- internals

  void updateAttributes(Session session, Map<String, Object> puts, Set<String> removals) {
    lifecycle.updateAttributes(session, puts, removals);
  }

  void setIdleTimeout(Session session, long idleTimeoutMillis) {
    lifecycle.setIdleTimeout(session, idleTimeoutMillis, clock.millis());
  }

  private static ClientInfo client(ClientInfo client) {
    return client == null ? ClientInfo.NONE : client;
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

  @Override
  public String toString() {
    return "SessionManager[" + config + ", store=" + userStore + "]";
  }

  /** Builds a {@link SessionManager}. Not thread-safe. */
  public static final class Builder {
    private SessionConfig config = SessionConfig.defaults();
    private SessionStore store;
    private RememberMeStore rememberMeStore;
    private InstantSource clock = InstantSource.system();
    private TokenGenerator random = TokenGenerator.secure();
    private final List<SessionListener> listeners = new ArrayList<>();
    private final List<UnaryOperator<Stores>> storeWrappers = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the configuration (default: {@link SessionConfig#defaults()}).
     *
     * @param value the configuration
     * @return this builder
     */
    public Builder config(SessionConfig value) {
      this.config = Objects.requireNonNull(value, "config");
      return this;
    }

    /**
     * Sets the session store (default: a new {@link InMemorySessionStore}). If it also implements
     * {@link RememberMeStore} and no remember-me store is set, it keeps the series too.
     *
     * @param value the session store
     * @return this builder
     */
    public Builder store(SessionStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /**
     * Sets the remember-me store (default: the session store, if it is one).
     *
     * @param value the remember-me store
     * @return this builder
     */
    public Builder rememberMeStore(RememberMeStore value) {
      this.rememberMeStore = Objects.requireNonNull(value, "rememberMeStore");
      return this;
    }

    /**
     * Sets both stores, as a {@link dev.sessionkit.spi.SessionStoreFactory} creates them.
     *
     * @param value both stores
     * @return this builder
     */
    public Builder stores(Stores value) {
      Objects.requireNonNull(value, "stores");
      this.store = value.sessions();
      this.rememberMeStore = value.rememberMe();
      return this;
    }

    /**
     * Sets the clock (default: the system clock); tests pass a controllable one.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(InstantSource value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the source of randomness (default: {@link TokenGenerator#secure()}).
     *
     * @param value the source of random bytes
     * @return this builder
     */
    public Builder tokenGenerator(TokenGenerator value) {
      this.random = Objects.requireNonNull(value, "tokenGenerator");
      return this;
    }

    /**
     * Adds a listener for session events.
     *
     * @param value the listener; called on the thread that caused the event
     * @return this builder
     */
    public Builder listener(SessionListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * Adds a wrapper that the manager applies to its stores when it is built, after the default
     * in-memory store was chosen if none was set: for example {@code SessionMetrics} (module
     * session-micrometer) times every store call this way. Wrappers apply in the order they were
     * added (the first one wraps the stores, the next one wraps its result); {@link
     * SessionManager#store()} and {@link SessionManager#rememberMeStore()} return the result.
     * {@link dev.sessionkit.spi.ForwardingSessionStore} and {@link
     * dev.sessionkit.spi.ForwardingRememberMeStore} are bases for wrappers.
     *
     * @param wrapper returns stores that forward to the ones it is given; must not return null
     * @return this builder
     */
    public Builder wrapStores(UnaryOperator<Stores> wrapper) {
      storeWrappers.add(Objects.requireNonNull(wrapper, "wrapper"));
      return this;
    }

    /**
     * Returns the manager.
     *
     * @return the manager
     * @throws IllegalStateException if a session store without remember-me support is set and no
     *     remember-me store
     */
    public SessionManager build() {
      return new SessionManager(this);
    }

    private Stores chosenStores() {
      if (store == null) {
        InMemorySessionStore memory = InMemorySessionStore.create();
        return new Stores(memory, rememberMeStore != null ? rememberMeStore : memory);
      }
      if (rememberMeStore != null) {
        return new Stores(store, rememberMeStore);
      }
      if (store instanceof RememberMeStore both) {
        return new Stores(store, both);
      }
      throw new IllegalStateException("the session store " + store + " keeps no remember-me"
          + " series: set a rememberMeStore too");
    }
  }
}
