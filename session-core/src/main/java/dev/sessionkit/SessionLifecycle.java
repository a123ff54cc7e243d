// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's life: start, resolve, login, renewal, credential change, attributes, logout.
 *
 * <h2>Rotation</h2>
 *
 * <p>Every change of authentication state issues a new token (OWASP ASVS 7.2.4, 7.5.1). The
 * replaced token is kept as the session's {@link PreviousToken} for the rotation grace period:
 * after a renewal it still resolves (the browser's parallel requests, sent before the new cookie
 * arrived, are not signed out); after a login it never resolves (fixation), and only lets a second,
 * parallel login of the same principal land in the same session; after a credential change it is
 * dead at once. A rotation that loses a compare-and-set to a parallel rotation of the same kind
 * rotates again from the winner's token, so every response carries a working cookie.
 *
 * <h2>Unknown outcomes</h2>
 *
 * <p>A store call that throws may have been applied. A failed create is undone by deleting the id;
 * a failed rotation by rotating back from the new token to the old record. Both undo steps are
 * idempotent, so they are right whether or not the failed call took effect.
 */
final class SessionLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);

  private final Context ctx;
  private final PrincipalAdministration admin;
  private final RememberMeLogins rememberMe;

  SessionLifecycle(Context ctx, PrincipalAdministration admin, RememberMeLogins rememberMe) {
    this.ctx = ctx;
    this.admin = admin;
    this.rememberMe = rememberMe;
  }

  IssuedSession startAnonymous(ClientInfo client, long nowMillis) {
    String tag = ctx.sessionTag(null);
    String token = ctx.newToken();
    SessionRecord record = SessionRecord.anonymous(ctx.newSessionId(tag),
        Tokens.hash(token).withRoutingTag(tag),
        Lifetime.startingAt(nowMillis, ctx.idleMillis, ctx.absoluteMillis), client);
    create(record, Context.NOT_FENCED);
    ctx.fire(SessionEvent.Type.CREATED, record, nowMillis, null);
    return new IssuedSession(ctx.session(record), ctx.sessionCookie(token, record.id()), null);
  }

  /**
   * The per-request path. It allocates the {@link Session} and its {@link Optional} and nothing
   * else when the store answers with a view of its own state: the token is hashed into a
   * per-thread buffer and handed to the store as four words ({@code SessionStore.findAndTouch}).
   */
  Optional<Session> resolve(String token, long nowMillis) {
    byte[] digest = Tokens.sessionTokenDigest(token);
    if (digest == null) {
      return Optional.empty();
    }
    long w0 = Tokens.digestWord(digest, 0);
    long w1 = Tokens.digestWord(digest, 1);
    long w2 = Tokens.digestWord(digest, 2);
    long w3 = Tokens.digestWord(digest, 3);
    SessionView view = ctx.sessions.findAndTouch(w0, w1, w2, w3,
        Tokens.tagAfter(token, Tokens.TOKEN_LENGTH), nowMillis, ctx.touchMillis);
    if (view == null || !view.resolvesBy(w0, w1, w2, w3, nowMillis)) {
      return Optional.empty();
    }
    if (view.isExpired(nowMillis)) {
      ctx.expire(view.toRecord());
      return Optional.empty();
    }
    return Optional.of(ctx.session(view));
  }

  /** Returns the live record {@code token} resolves to (no touch), expiring a dead one. */
  SessionRecord live(String token, long nowMillis) {
    TokenHash hash = Tokens.sessionTokenHash(token);
    SessionRecord record = find(hash);
    if (record == null || !record.resolvesBy(hash, nowMillis)) {
      return null;
    }
    if (record.isExpired(nowMillis)) {
      ctx.expire(record);
      return null;
    }
    return record;
  }

  /** Returns the session of {@code hash} (null for a malformed token: no session). */
  private SessionRecord find(TokenHash hash) {
    return hash != null ? ctx.sessions.findByTokenHash(hash).orElse(null) : null;
  }

  /**
   * Returns the session a login from {@code token} starts from: its live session, or the session
   * that a parallel login of the same principal just rotated away from this token.
   */
  SessionRecord loginOrigin(String token, String principal, long nowMillis) {
    TokenHash hash = Tokens.sessionTokenHash(token);
    SessionRecord record = find(hash);
    if (record == null) {
      return null;
    }
    PreviousToken previous = record.previousToken();
    boolean current = record.tokenHash().equals(hash);
    boolean parallelLogin = !current && previous != null && previous.isInGrace(nowMillis)
        && principal.equals(record.principal());
    if (!current && !parallelLogin) {
      return null;
    }
    if (record.isExpired(nowMillis)) {
      ctx.expire(record);
      return null;
    }
    return record;
  }

  // ---------------------------------------------------------------- login

  IssuedSession authenticate(SessionRecord current, String principal, ClientInfo client,
      boolean withRememberMe, long nowMillis) {
    long generation = ctx.sessions.principalGeneration(principal);
    boolean inPlace = current != null
        && (current.principal() == null || current.principal().equals(principal));
    admin.enforceCap(principal, inPlace ? Set.of(current.id()) : Set.of(), nowMillis);
    if (current != null && !inPlace) {
      // one user's attributes never reach another: end the other principal's session
      ctx.end(current, SessionEvent.Type.LOGGED_OUT, EndReason.REPLACED, nowMillis, true);
    }
    String tag = ctx.sessionTag(principal);
    String token = ctx.newToken();
    TokenHash hash = Tokens.hash(token).withRoutingTag(tag);
    if (inPlace) {
      IssuedSession rotated = loginInPlace(current, principal, client, withRememberMe, token,
          hash, generation, nowMillis);
      if (rotated != null) {
        return rotated;
      }
    }
    String sessionId = ctx.newSessionId(tag);
    RememberMeLogins.IssuedSeries series = withRememberMe
        ? rememberMe.issue(principal, sessionId, generation, nowMillis) : null;
    SessionRecord fresh = SessionRecord.authenticated(sessionId, hash,
        Authentication.interactive(principal, nowMillis,
            series == null ? null : series.selectorHash()),
        Lifetime.startingAt(nowMillis, ctx.idleMillis, ctx.absoluteMillis), client);
    boolean created;
    try {
      created = create(fresh, generation);
    } catch (RuntimeException e) {
      forgetSeries(series, e);
      throw e;
    }
    if (!created) {
      forgetSeries(series, null);
      throw revokedDuringLogin();
    }
    ctx.fire(SessionEvent.Type.CREATED, fresh, nowMillis, null);
    ctx.fire(SessionEvent.Type.AUTHENTICATED, fresh, nowMillis, null);
    return new IssuedSession(ctx.session(fresh), ctx.sessionCookie(token, fresh.id()),
        series == null ? null : series.token());
  }

  /**
   * Logs in by rotating {@code current} (anonymous, or of the same principal): the attributes
   * stay. On a routing store whose tag for the principal is not the session's, the session moves
   * to a new id under the principal's tag (see {@link dev.sessionkit.spi.SessionStore#rotate}).
   * Returns {@code null} if the session ended meanwhile (the caller starts a fresh one).
   */
  private IssuedSession loginInPlace(SessionRecord current, String principal, ClientInfo client,
      boolean withRememberMe, String token, TokenHash hash, long generation, long nowMillis) {
    String tag = hash.routingTag();
    // The id the session has after the login: its own, or a new one under the principal's tag
    // when a routing store moves it. The device's new series names it as its latest session, so
    // that revoking or evicting the moved session ends the series too.
    String landingId = tag.equals(RoutingTag.ofSessionId(current.id())) ? current.id()
        : ctx.newSessionId(tag);
    RememberMeLogins.IssuedSeries series = withRememberMe
        ? rememberMe.issue(principal, landingId, generation, nowMillis) : null;
    TokenHash oldSeries = principal.equals(current.principal()) ? current.rememberMeSeries()
        : null;
    Authentication authentication = Authentication.interactive(principal, nowMillis,
        series != null ? series.selectorHash() : oldSeries);
    ClientInfo seen = ClientInfo.of(
        client.address().orElse(current.client().addressOrNull()),
        client.userAgent().orElse(current.client().userAgentOrNull()));
    SessionRecord result;
    try {
      result = rotate(current, generation, from -> movedTo(tag, landingId, from.authenticated(
          hash, authentication, ctx.absoluteMillis, seen,
          Lifetime.saturatedAdd(nowMillis, ctx.rotationGraceMillis), nowMillis)), nowMillis,
          PreviousToken.Rotation.LOGIN, principal, landed -> {
            if (series != null) {
              // a parallel login moved the session first: this login rotated it where it landed
              rememberMe.follow(series, landed.id());
            }
          });
    } catch (RuntimeException e) {
      forgetSeries(series, e);
      throw e;
    }
    if (result == null) {
      if (ctx.sessions.principalGeneration(principal) > generation) {
        forgetSeries(series, null);
        throw revokedDuringLogin();
      }
      forgetSeries(series, null);
      return null;
    }
    if (series != null && oldSeries != null && !oldSeries.equals(series.selectorHash())) {
      ctx.rememberMe.deleteSeries(oldSeries); // this device's earlier series is replaced
    }
    ctx.fire(SessionEvent.Type.AUTHENTICATED, result, nowMillis, null);
    return new IssuedSession(ctx.session(result), ctx.sessionCookie(token, result.id()),
        series == null ? null : series.token(), true);
  }

  /** Returns {@code record}, under {@code newId} (tagged {@code tag}) if its id has another tag. */
  private static SessionRecord movedTo(String tag, String newId, SessionRecord record) {
    if (tag.equals(RoutingTag.ofSessionId(record.id()))) {
      return record;
    }
    return new SessionRecord(newId, record.tokenHash(), record.previousToken(),
        record.authentication(), record.lifetime(), record.client(), record.attributes());
  }

  private void forgetSeries(RememberMeLogins.IssuedSeries series, RuntimeException cause) {
    if (series == null) {
      return;
    }
    if (cause != null) {
      Context.undo(cause, () -> ctx.rememberMe.deleteSeries(series.selectorHash()));
    } else {
      ctx.rememberMe.deleteSeries(series.selectorHash());
    }
  }

  private static SessionEndedException revokedDuringLogin() {
    return new SessionEndedException("the principal was signed out everywhere while this login"
        + " ran (a force logout or a credential change); sign in again");
  }

  // ---------------------------------------------------------------- renewal and credentials

  Optional<IssuedSession> renew(Session session, long nowMillis) {
    SessionRecord record = session.record();
    if (record.isExpired(nowMillis)) {
      ctx.expire(record);
      return Optional.empty();
    }
    String tag = RoutingTag.ofSessionId(record.id());
    String token = ctx.newToken();
    SessionRecord renewed = rotate(record, Context.NOT_FENCED,
        from -> from.rotated(Tokens.hash(token).withRoutingTag(tag),
            PreviousToken.Rotation.RENEWAL,
            Lifetime.saturatedAdd(nowMillis, ctx.rotationGraceMillis), nowMillis),
        nowMillis, PreviousToken.Rotation.RENEWAL, record.principal(), landed -> { });
    if (renewed == null) {
      return Optional.empty();
    }
    session.record(renewed);
    ctx.fire(SessionEvent.Type.RENEWED, renewed, nowMillis, null);
    return Optional.of(new IssuedSession(session, ctx.sessionCookie(token, renewed.id()), null, true));
  }

  /**
   * After the principal's credentials changed (OWASP ASVS 7.4.3): every other session and series
   * ends, this session gets a new token (the old one dead at once), and its device a new series.
   */
  IssuedSession credentialsChanged(Session session, long nowMillis) {
    SessionRecord record = session.record();
    if (!record.isAuthenticated()) {
      throw new IllegalStateException("session " + record.id() + " is anonymous: no credentials");
    }
    // The credential has changed whatever became of this session: the others end first, so that
    // a session that timed out while the form was filled in never leaves them signed in.
    String principal = record.principal();
    boolean ended = record.isExpired(nowMillis);
    if (ended) {
      ctx.expire(record);
    }
    admin.revokeSessions(principal, ended ? Set.of() : Set.of(record.id()),
        EndReason.FORCE_LOGOUT, nowMillis);
    long generation = admin.revokeSeries(principal, Set.of()); // this device's old one too
    if (ended) {
      throw new SessionEndedException("session " + record.id() + " has ended");
    }
    RememberMeLogins.IssuedSeries series = record.rememberMeSeries() == null ? null
        : rememberMe.issue(principal, record.id(), generation, nowMillis);
    String tag = RoutingTag.ofSessionId(record.id());
    String token = ctx.newToken();
    SessionRecord rotated = rotate(record, Context.NOT_FENCED,
        from -> new SessionRecord(from.id(), Tokens.hash(token).withRoutingTag(tag), null,
            from.authentication().withRememberMeSeries(
                series == null ? null : series.selectorHash()),
            from.lifetime().accessed(nowMillis), from.client(), from.attributes()),
        nowMillis, PreviousToken.Rotation.RENEWAL, principal, landed -> { });
    if (rotated == null) {
      forgetSeries(series, null);
      throw new SessionEndedException("session " + record.id() + " has ended");
    }
    session.record(rotated);
    ctx.fire(SessionEvent.Type.RENEWED, rotated, nowMillis, null);
    return new IssuedSession(session, ctx.sessionCookie(token, rotated.id()),
        series == null ? null : series.token(), true);
  }

  /**
   * Rotates {@code from} to {@code next.apply(from)}. If a parallel rotation of the kind {@code
   * parallel} won the compare-and-set (the stored session's previous token is {@code from}'s, in
   * its grace, and its principal is {@code principal}), rotates again from the winner's record.
   * {@code landed} gets the stored record after the rotation, as part of it: if it throws, the
   * rotation is undone. Returns the new record, or {@code null} if the session ended or was
   * rotated otherwise. A failed store call is undone before it is thrown.
   */
  private SessionRecord rotate(SessionRecord from, long generation,
      Function<SessionRecord, SessionRecord> next, long nowMillis,
      PreviousToken.Rotation parallel, String principal, Consumer<SessionRecord> landed) {
    SessionRecord origin = from;
    for (int attempt = 0; attempt < 3; attempt++) {
      SessionRecord replacement = next.apply(origin);
      boolean rotated;
      try {
        rotated = ctx.sessions.rotate(origin.id(), origin.tokenHash(), replacement, generation);
        if (rotated) {
          landed.accept(replacement);
        }
      } catch (RuntimeException e) {
        SessionRecord undoTo = origin;
        Context.undo(e, () -> {
          boolean back = ctx.sessions.rotate(replacement.id(), replacement.tokenHash(), undoTo,
              Context.NOT_FENCED);
          if (!back && !replacement.id().equals(undoTo.id())) {
            ctx.sessions.delete(replacement.id()); // a move that never left: drop its copy
          }
        });
        throw e;
      }
      if (rotated) {
        return replacement;
      }
      SessionRecord stored = ctx.sessions.findById(origin.id()).orElse(null);
      if (stored == null || stored.isExpired(nowMillis) || !rotatedInParallel(stored, origin,
          parallel, principal, nowMillis)) {
        return null;
      }
      origin = stored;
    }
    LOG.debug("session {}: gave up rotating after three parallel rotations", from.id());
    return null;
  }

  private static boolean rotatedInParallel(SessionRecord stored, SessionRecord origin,
      PreviousToken.Rotation kind, String principal, long nowMillis) {
    PreviousToken previous = stored.previousToken();
    return previous != null && previous.hash().equals(origin.tokenHash())
        && previous.cause() == kind && previous.isInGrace(nowMillis)
        && Objects.equals(stored.principal(), principal);
  }

  // ---------------------------------------------------------------- attributes and logout

  private static SessionEndedException endedOrSignedIn(SessionRecord view) {
    return new SessionEndedException("session " + view.id() + " has ended"
        + (view.isAuthenticated() ? "" : " or was signed in by another request"));
  }

  /**
   * Writes attribute changes, fenced by the principal of {@code session}'s view: a view taken
   * while the session was anonymous writes nothing after a parallel login (the session's
   * anonymous life, and so this view, ended with it).
   */
  void updateAttributes(Session session, Map<String, Object> puts, Set<String> removals) {
    SessionRecord record = session.record();
    if (!ctx.sessions.updateAttributes(record.id(), record.principal(), puts, removals)) {
      throw endedOrSignedIn(record);
    }
    Map<String, Object> merged = new HashMap<>(record.attributes());
    merged.keySet().removeAll(removals);
    merged.putAll(puts);
    session.record(record.withAttributes(merged));
  }

  /** Sets the session's own idle timeout; an ended session is expired and refused. */
  void setIdleTimeout(Session session, long idleTimeoutMillis, long nowMillis) {
    if (idleTimeoutMillis != Lifetime.NO_IDLE_TIMEOUT && idleTimeoutMillis <= ctx.touchMillis) {
      // accesses are recorded once per touch interval: a shorter idle timeout ends used sessions
      throw new IllegalArgumentException("idle timeout " + idleTimeoutMillis + " ms must be longer"
          + " than the touch interval " + ctx.touchMillis + " ms");
    }
    SessionRecord record = session.record();
    if (record.isExpired(nowMillis)) {
      ctx.expire(record);
      throw new SessionEndedException("session " + record.id() + " has ended");
    }
    if (!ctx.sessions.setIdleTimeout(record.id(), record.principal(), idleTimeoutMillis)) {
      throw endedOrSignedIn(record);
    }
    session.record(record.withLifetime(record.lifetime().withIdleTimeout(idleTimeoutMillis)));
  }

  /**
   * Logs out the session of {@code token} and ends its device's remember-me series, even when the
   * session had already timed out (but was not yet purged). Returns whether a live session ended.
   */
  boolean logout(String token, long nowMillis) {
    // hashed once, into this thread's buffer: it is most of a logout's own work
    byte[] digest = Tokens.sessionTokenDigest(token);
    if (digest == null) {
      return false;
    }
    // one store call finds the session the token resolves to and deletes it
    SessionView ended = ctx.sessions.findAndDelete(Tokens.digestWord(digest, 0),
        Tokens.digestWord(digest, 1), Tokens.digestWord(digest, 2), Tokens.digestWord(digest, 3),
        Tokens.tagAfter(token, Tokens.TOKEN_LENGTH), nowMillis);
    if (ended == null) {
      return false;
    }
    TokenHash series = ended.rememberMeSeries();
    if (series != null) {
      ctx.rememberMe.deleteSeries(series);
    }
    if (ended.isExpired(nowMillis)) {
      ctx.expired(ended);
      return false;
    }
    ctx.fire(SessionEvent.Type.LOGGED_OUT, ended, nowMillis, EndReason.LOGOUT);
    return true;
  }

  boolean logout(SessionRecord record, long nowMillis) {
    if (record.isExpired(nowMillis)) {
      if (record.rememberMeSeries() != null) {
        ctx.rememberMe.deleteSeries(record.rememberMeSeries());
      }
      ctx.expire(record);
      return false;
    }
    return ctx.end(record, SessionEvent.Type.LOGGED_OUT, EndReason.LOGOUT, nowMillis, true);
  }

  /** Stores a new session; a failed call is undone by deleting the id before it is thrown. */
  private boolean create(SessionRecord record, long generation) {
    try {
      return ctx.sessions.create(record, generation);
    } catch (RuntimeException e) {
      Context.undo(e, () -> ctx.sessions.delete(record.id()));
      throw e;
    }
  }
}
