// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What concerns all sessions of a principal: force logout (the sweep), revoking one session,
 * listing, the per-principal cap, and purging expired sessions and series.
 *
 * <h2>The sweep and the fence</h2>
 *
 * <p>A force logout must be final (OWASP ASVS 7.4.3, 7.5.2): once it returns, no session of the
 * principal resolves except the kept ones, including sessions that logins and remember-me resumes
 * in flight create afterwards. It runs in two steps:
 *
 * <ol>
 *   <li>the session store raises the principal's revocation generation above the one read first
 *       and deletes every other session, in one atomic step;
 *   <li>the remember-me store deletes every other series of the principal and raises the kept
 *       series' generation to the principal's generation as read after step 1.
 * </ol>
 *
 * <p>Every login and resume reads the generation before it decides, and the session store stores
 * its session only if the generation is unchanged: a session stored before step 1 is deleted by
 * it, one stored after is refused. A series carries the generation it was issued (or kept) under;
 * one below the principal's grants nothing, whether it was issued by a login in flight or is a
 * kept series in the instant before step 2 raises it. Sessions go first so that a sweep that fails
 * half way (a theft response whose store call times out) never destroys the evidence, the series,
 * while leaving the sessions alive: whatever remains is below the generation, or is swept again
 * when the series is presented again. Raising (rather than incrementing) makes a repeated sweep,
 * such as a double-submitted form, idempotent.
 */
final class PrincipalAdministration {

  private static final Logger SECURITY = LoggerFactory.getLogger("dev.sessionkit.security");

  /** Sessions or series removed per store call while purging. */
  static final int PURGE_BATCH = 1000;

  private final Context ctx;

  PrincipalAdministration(Context ctx) {
    this.ctx = ctx;
  }

  EventDispatcher events() {
    return ctx.events;
  }

  /**
   * Ends every session and series of {@code principal} except the kept ones (see the class
   * comment) and returns how many sessions ended, including any that had timed out but were not
   * yet purged.
   */
  int sweep(String principal, Set<String> keepSessions, Set<TokenHash> keepSeries,
      EndReason reason, long nowMillis) {
    int ended = revokeSessions(principal, keepSessions, reason, nowMillis);
    revokeSeries(principal, keepSeries);
    return ended;
  }

  /** Step 1: raises the generation and ends every session but the kept ones; returns how many. */
  int revokeSessions(String principal, Set<String> keepSessions, EndReason reason,
      long nowMillis) {
    long target = ctx.sessions.principalGeneration(principal) + 1;
    List<String> ended = ctx.sessions.revokePrincipal(principal, keepSessions, target);
    Instant at = Instant.ofEpochMilli(nowMillis);
    for (String id : ended) {
      ctx.events.fire(SessionEvent.Type.REVOKED, id, principal, null, at, reason);
    }
    return ended.size();
  }

  /**
   * Step 2: ends every series but the kept ones, which get the principal's current generation.
   *
   * @return the principal's generation the kept series now carry (read after step 1)
   */
  long revokeSeries(String principal, Set<TokenHash> keepSeries) {
    long generation = ctx.sessions.principalGeneration(principal);
    ctx.rememberMe.revokeSeries(principal, keepSeries, generation);
    return generation;
  }

  int logoutOthers(SessionRecord current, long nowMillis) {
    if (!current.isAuthenticated()) {
      return 0;
    }
    TokenHash series = current.rememberMeSeries();
    return sweep(current.principal(), Set.of(current.id()),
        series == null ? Set.of() : Set.of(series), EndReason.FORCE_LOGOUT, nowMillis);
  }

  int logoutAll(String principal, long nowMillis) {
    int ended = sweep(principal, Set.of(), Set.of(), EndReason.FORCE_LOGOUT, nowMillis);
    ctx.events.fire(SessionEvent.Type.LOGGED_OUT_EVERYWHERE, null, principal, null,
        Instant.ofEpochMilli(nowMillis), EndReason.FORCE_LOGOUT);
    return ended;
  }

  /**
   * Ends every session and series in the stores: sessions first, which raises every principal's
   * generation (so that a series not yet deleted grants nothing and a resume in flight is
   * refused), then the series.
   */
  long logoutEveryone(long nowMillis) {
    long sessions = ctx.sessions.revokeAll();
    long series = ctx.rememberMe.revokeAllSeries();
    SECURITY.warn("every session and remember-me series ended: {} sessions, {} series",
        sessions, series);
    ctx.events.fire(SessionEvent.Type.EVERYONE_LOGGED_OUT, null, null, null,
        Instant.ofEpochMilli(nowMillis), EndReason.FORCE_LOGOUT);
    return sessions;
  }

  /** Ends one session of {@code principal} by id; its series only if it was the latest. */
  boolean revoke(String principal, String sessionId, long nowMillis) {
    SessionRecord record = ctx.sessions.findById(sessionId).orElse(null);
    if (record == null || !principal.equals(record.principal())) {
      return false;
    }
    if (record.isExpired(nowMillis)) {
      ctx.expire(record);
      return false;
    }
    return ctx.end(record, SessionEvent.Type.REVOKED, EndReason.REVOKED, nowMillis, false);
  }

  /** Returns the live sessions of {@code principal}, oldest first. */
  List<Session> sessionsOf(String principal, long nowMillis) {
    List<SessionRecord> records = new ArrayList<>(ctx.sessions.findByPrincipal(principal,
        nowMillis));
    records.removeIf(r -> r.isExpired(nowMillis) || !principal.equals(r.principal()));
    records.sort(Comparator.comparingLong((SessionRecord r) -> r.lifetime().createdAt())
        .thenComparing(SessionRecord::id));
    List<Session> result = new ArrayList<>(records.size());
    for (SessionRecord r : records) {
      result.add(ctx.session(r));
    }
    return List.copyOf(result);
  }

  /**
   * Makes room for one more session of {@code principal} under the cap: refuses with {@link
   * SessionLimitExceededException} under {@link SessionCapPolicy#REFUSE_NEW}, or ends the least
   * recently used sessions (last access, then id) other than {@code keep}. The count is read, not
   * locked: concurrent logins on several app servers may briefly exceed the cap.
   */
  void enforceCap(String principal, Set<String> keep, long nowMillis) {
    OptionalInt cap = ctx.config.maxSessionsPerPrincipal();
    if (cap.isEmpty()) {
      return;
    }
    List<SessionRecord> others = new ArrayList<>();
    for (SessionRecord r : ctx.sessions.findByPrincipal(principal, nowMillis)) {
      if (!keep.contains(r.id()) && !r.isExpired(nowMillis)) {
        others.add(r);
      }
    }
    int excess = others.size() + 1 - cap.getAsInt();
    if (excess <= 0) {
      return;
    }
    if (ctx.config.sessionCapPolicy() == SessionCapPolicy.REFUSE_NEW) {
      throw new SessionLimitExceededException(cap.getAsInt());
    }
    others.sort(Comparator.comparingLong((SessionRecord r) -> r.lifetime().lastAccessedAt())
        .thenComparing(SessionRecord::id));
    for (int i = 0; i < excess; i++) {
      ctx.end(others.get(i), SessionEvent.Type.REVOKED, EndReason.SESSION_CAP, nowMillis, false);
    }
  }

  /** Removes every expired session and series in batches; returns how many sessions went. */
  int purgeExpired(long nowMillis) {
    int total = 0;
    List<ExpiredSession> batch;
    do {
      batch = ctx.sessions.purgeExpired(nowMillis, PURGE_BATCH);
      for (ExpiredSession e : batch) {
        ctx.events.fire(SessionEvent.Type.EXPIRED, e.sessionId(), e.principal(), null,
            Instant.ofEpochMilli(e.expiredAt()), EndReason.of(e.timeout()));
      }
      total += batch.size();
    } while (batch.size() >= PURGE_BATCH);
    while (ctx.rememberMe.purgeExpiredSeries(nowMillis, PURGE_BATCH) >= PURGE_BATCH) {
      // keep going until no more are due
    }
    return total;
  }
}
