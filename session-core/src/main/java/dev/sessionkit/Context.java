// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;

/**
 * What the parts of a {@link SessionManager} share: the configuration in milliseconds, the guarded
 * stores, the token generator and the event dispatcher, and the few steps every part takes (end a
 * session, expire one, undo a step whose outcome is unknown). Immutable and thread-safe.
 */
final class Context {

  /** The generation to pass where the store must not fence (anonymous or same principal). */
  static final long NOT_FENCED = Long.MAX_VALUE;

  final SessionManager manager;
  final SessionConfig config;
  final SessionStore sessions;
  final RememberMeStore rememberMe;
  final TokenGenerator random;
  final EventDispatcher events;
  final long idleMillis;
  final long absoluteMillis;
  final long touchMillis;
  final long rememberMeMillis;
  final long rememberMeGraceMillis;
  final long rotationGraceMillis;

  Context(SessionManager manager, SessionConfig config, SessionStore sessions,
      RememberMeStore rememberMe, TokenGenerator random, EventDispatcher events) {
    this.manager = manager;
    this.config = config;
    this.sessions = sessions;
    this.rememberMe = rememberMe;
    this.random = random;
    this.events = events;
    this.idleMillis = config.idleTimeout().toMillis();
    this.absoluteMillis = config.absoluteTimeout().toMillis();
    this.touchMillis = config.touchInterval().toMillis();
    this.rememberMeMillis = config.rememberMeLifetime().toMillis();
    this.rememberMeGraceMillis = config.rememberMeGracePeriod().toMillis();
    this.rotationGraceMillis = config.rotationGracePeriod().toMillis();
  }

  String newToken() {
    return Tokens.newToken(random);
  }

  String newId() {
    return Tokens.newId(random);
  }

  /** Returns a new session id carrying routing tag {@code tag} (none if empty). */
  String newSessionId(String tag) {
    return RoutingTag.append(Tokens.newId(random), tag);
  }

  /** Returns the store's routing tag for new sessions of {@code principal} (null: anonymous). */
  String sessionTag(String principal) {
    return RoutingTag.require(sessions.routingTag(principal));
  }

  /**
   * Returns the session cookie's value for {@code token} of session {@code sessionId}: the token,
   * then the store's cookie tag for that session if it has one.
   */
  String sessionCookie(String token, String sessionId) {
    return RoutingTag.append(token, RoutingTag.require(sessions.sessionCookieTag(sessionId)));
  }

  /** Returns the store's routing tag for new remember-me series of {@code principal}. */
  String seriesTag(String principal) {
    return RoutingTag.require(rememberMe.seriesRoutingTag(principal));
  }

  Session session(SessionView view) {
    return new Session(manager, view);
  }

  /**
   * Fires {@code type} for {@code session}; builds nothing (not even the id string) when no
   * listener and no log level wants the event.
   */
  void fire(SessionEvent.Type type, SessionView session, long nowMillis, EndReason reason) {
    if (events.isSilent(type)) {
      return;
    }
    events.fire(type, session.id(), session.principal(), session.client().addressOrNull(),
        nowMillis, reason);
  }

  /** Removes a session found expired; the expired event fires if this call removed it. */
  void expire(SessionRecord record) {
    if (sessions.delete(record.id())) {
      expired(record);
    }
  }

  /** Fires the expired event of a session that this caller removed. */
  void expired(SessionView session) {
    if (events.isSilent(SessionEvent.Type.EXPIRED)) {
      return;
    }
    ExpiredSession expired = ExpiredSession.of(session.toRecord());
    events.fire(SessionEvent.Type.EXPIRED, expired.sessionId(), expired.principal(),
        session.client().addressOrNull(), expired.expiredAt(), EndReason.of(expired.timeout()));
  }

  /**
   * Ends a session and, with it, its device's remember-me series: always when the user signs out
   * of this device ({@code wholeDevice}), otherwise only if the session is the series' latest (an
   * older session of the device was revoked or evicted; the device stays remembered).
   *
   * @return whether this call removed the session
   */
  boolean end(SessionRecord record, SessionEvent.Type type, EndReason reason, long nowMillis,
      boolean wholeDevice) {
    boolean ended = sessions.delete(record.id());
    TokenHash series = record.rememberMeSeries();
    if (series != null) {
      if (wholeDevice) {
        rememberMe.deleteSeries(series);
      } else {
        rememberMe.deleteSeriesIfLatest(series, record.id());
      }
    }
    if (ended) {
      fire(type, record, nowMillis, reason);
    }
    return ended;
  }

  /**
   * Runs {@code undo} after a store call failed with {@code cause}, whose outcome is unknown: the
   * undo is idempotent, so it is right whether or not the failed call was applied. A failing undo
   * is added to {@code cause} as suppressed.
   */
  static void undo(RuntimeException cause, Runnable undo) {
    try {
      undo.run();
    } catch (RuntimeException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }
}
