// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remember-me: issuing a series at login, resuming from a presented token, and the theft response.
 *
 * <h2>What a presented token means</h2>
 *
 * <ul>
 *   <li>The current validator of a live series: resume. The validator is rotated (compare-and-set,
 *       so of two parallel uses exactly one wins), a new session is created, and the rotation is
 *       then confirmed.
 *   <li>The validator replaced at the last rotation, within the grace period: a parallel request
 *       of the same browser; nothing granted, no alarm ({@code RECENTLY_ROTATED}).
 *   <li>The replaced validator after the grace period, while that rotation is unconfirmed: the
 *       rotation may never have reached the browser (a store call timed out after it was applied),
 *       so this is the browser's only cookie and it resumes. Never a theft alarm for an unknown
 *       outcome (the lifecycle's invariant "unknown outcomes are safe").
 *   <li>The replaced validator after the grace period of a confirmed rotation, or a validator the
 *       series never had as current or previous: theft (the series' cookie was copied). Every
 *       session and series of the principal ends, and the security log says which of the two.
 *   <li>A series whose generation is below the principal's: revoked by a force logout (issued by
 *       a login that was in flight then), or kept by one that has not yet raised it; nothing
 *       granted, no alarm ({@code RECENTLY_ROTATED}).
 * </ul>
 */
final class RememberMeLogins {

  private static final Logger SECURITY = LoggerFactory.getLogger("dev.sessionkit.security");

  private final Context ctx;
  private final PrincipalAdministration admin;

  RememberMeLogins(Context ctx, PrincipalAdministration admin) {
    this.ctx = ctx;
    this.admin = admin;
  }

  /** A series just issued: its key, the token for the client, and the series as stored. */
  record IssuedSeries(TokenHash selectorHash, RememberMeToken token, RememberMeSeries stored) {}

  /**
   * Issues and stores a new series for the device of session {@code sessionId}, with the
   * principal's generation as read by the caller.
   */
  IssuedSeries issue(String principal, String sessionId, long generation, long nowMillis) {
    String tag = ctx.seriesTag(principal);
    String selector = ctx.newId();
    String validator = ctx.newToken();
    RememberMeSeries series = RememberMeSeries.issue(
        Tokens.hash(selector).withRoutingTag(tag), principal,
        Tokens.hash(validator), nowMillis, ctx.rememberMeMillis, sessionId, generation);
    try {
      ctx.rememberMe.createSeries(series);
    } catch (RuntimeException e) {
      Context.undo(e, () -> ctx.rememberMe.deleteSeries(series.selectorHash()));
      throw e;
    }
    return new IssuedSeries(series.selectorHash(), new RememberMeToken(
        RoutingTag.append(selector + "." + validator, tag),
        Instant.ofEpochMilli(series.expiresAt())), series);
  }

  /**
   * Makes session {@code sessionId} the latest of a series just issued for another id: the login
   * it was issued for landed in a session that a parallel login had moved first (on a routing
   * store). A compare-and-set on the validator that nothing else changed yet; a series a force
   * logout deleted meanwhile stays deleted.
   *
   * @throws dev.sessionkit.spi.SessionStoreException if the store fails (the caller undoes the
   *     login)
   */
  void follow(IssuedSeries issued, String sessionId) {
    RememberMeSeries s = issued.stored();
    if (sessionId.equals(s.latestSessionId())) {
      return;
    }
    ctx.rememberMe.replaceSeries(new RememberMeSeries(s.selectorHash(), s.principal(),
        s.validatorHash(), s.previousValidatorHash(), s.previousValidUntil(),
        s.rotationConfirmed(), s.createdAt(), s.expiresAt(), s.lastUsedAt(), sessionId,
        s.generation()), s.validatorHash());
  }

  /**
   * Ends the series of a token that is its current credential, or the one replaced within the
   * grace period or by an unconfirmed rotation (the browser may not have the new one). An older
   * copied validator ends nothing here (and raises no alarm: logout never does).
   */
  boolean forget(PresentedRememberMe presented, long nowMillis) {
    RememberMeSeries series = ctx.rememberMe.findSeries(presented.selectorHash()).orElse(null);
    if (series == null) {
      return false;
    }
    boolean current = series.validatorHash().constantTimeEquals(presented.validatorHash());
    boolean justReplaced = series.previousValidatorHash() != null
        && series.previousValidatorHash().constantTimeEquals(presented.validatorHash())
        && (nowMillis < series.previousValidUntil() || !series.rotationConfirmed());
    return (current || justReplaced) && ctx.rememberMe.deleteSeries(presented.selectorHash());
  }

  RememberMeResult resume(PresentedRememberMe presented, ClientInfo client, long nowMillis) {
    RememberMeSeries series = ctx.rememberMe.findSeries(presented.selectorHash()).orElse(null);
    if (series == null) {
      return RememberMeResult.invalid();
    }
    if (series.isExpired(nowMillis)) {
      ctx.rememberMe.deleteSeries(series.selectorHash());
      return RememberMeResult.invalid();
    }
    String principal = series.principal();
    long generation = ctx.sessions.principalGeneration(principal);
    if (series.generation() < generation) {
      // Revoked and not yet deleted, or kept by a force logout that is about to raise it: grants
      // nothing, and the client keeps its cookie (it is deleted by the sweep or at expiry).
      return RememberMeResult.recentlyRotated();
    }
    TokenHash validator = presented.validatorHash();
    if (!series.validatorHash().constantTimeEquals(validator)) {
      boolean previous = series.previousValidatorHash() != null
          && series.previousValidatorHash().constantTimeEquals(validator);
      if (previous && nowMillis < series.previousValidUntil()) {
        return RememberMeResult.recentlyRotated();
      }
      if (!previous || series.rotationConfirmed()) {
        return theft(principal, previous
            ? "a replaced validator was presented after the grace period"
            : "an unknown validator was presented for a known series", client, nowMillis);
      }
      SECURITY.info("remember-me: the validator replaced by an unconfirmed rotation was presented"
          + " again; resuming (principal={})", principal);
    }
    if (ctx.config.sessionCapPolicy() == SessionCapPolicy.REFUSE_NEW) {
      admin.enforceCap(principal, Set.of(), nowMillis); // refuse before the rotation
    }
    String tag = ctx.sessionTag(principal);
    String sessionId = ctx.newSessionId(tag);
    String nextValidator = ctx.newToken();
    RememberMeSeries rotated = series.rotated(validator, Tokens.hash(nextValidator),
        Lifetime.saturatedAdd(nowMillis, ctx.rememberMeGraceMillis), nowMillis, sessionId);
    if (!ctx.rememberMe.replaceSeries(rotated, series.validatorHash())) {
      return ctx.rememberMe.findSeries(series.selectorHash()).isPresent()
          ? RememberMeResult.recentlyRotated() : RememberMeResult.invalid();
    }
    if (ctx.config.sessionCapPolicy() != SessionCapPolicy.REFUSE_NEW) {
      admin.enforceCap(principal, Set.of(), nowMillis); // the evicted may be this device's old one
    }
    String token = ctx.newToken();
    SessionRecord fresh = SessionRecord.authenticated(sessionId,
        Tokens.hash(token).withRoutingTag(tag),
        Authentication.rememberMe(principal, nowMillis, series.createdAt(),
            series.selectorHash()),
        Lifetime.startingAt(nowMillis, ctx.idleMillis, ctx.absoluteMillis), client);
    if (!createFenced(fresh, rotated, generation)) {
      return RememberMeResult.invalid();
    }
    confirm(rotated);
    ctx.fire(SessionEvent.Type.CREATED, fresh, nowMillis, null);
    ctx.fire(SessionEvent.Type.REMEMBER_ME_USED, fresh, nowMillis, null);
    RememberMeToken nextToken = new RememberMeToken(presented.withValidator(nextValidator),
        Instant.ofEpochMilli(series.expiresAt()));
    return RememberMeResult.resumed(new IssuedSession(ctx.session(fresh),
        ctx.sessionCookie(token, fresh.id()), nextToken));
  }

  /**
   * Stores the resumed session, fenced by the generation read before the rotation. A force logout
   * that ran meanwhile refuses it; if that force logout kept this very series (the current
   * device's, raising its generation), the session is stored with the new generation instead.
   */
  private boolean createFenced(SessionRecord fresh, RememberMeSeries rotated, long generation) {
    long fence = generation;
    for (int attempt = 0; attempt < 3; attempt++) {
      boolean created;
      try {
        created = ctx.sessions.create(fresh, fence);
      } catch (RuntimeException e) {
        Context.undo(e, () -> ctx.sessions.delete(fresh.id()));
        throw e; // the rotation stays unconfirmed: the presented validator resumes again
      }
      if (created) {
        return true;
      }
      RememberMeSeries now = ctx.rememberMe.findSeries(rotated.selectorHash()).orElse(null);
      fence = ctx.sessions.principalGeneration(rotated.principal());
      if (now == null || !now.validatorHash().equals(rotated.validatorHash())
          || now.generation() < fence) {
        return false;
      }
    }
    return false;
  }

  /** Marks the rotation as delivered; a failure only leaves it unconfirmed (safe, logged). */
  private void confirm(RememberMeSeries rotated) {
    try {
      ctx.rememberMe.replaceSeries(rotated.confirmed(), rotated.validatorHash());
    } catch (RuntimeException e) {
      SECURITY.warn("remember-me: could not confirm a rotation ({}); the replaced validator stays"
          + " acceptable until the next use", e.getClass().getSimpleName());
    }
  }

  private RememberMeResult theft(String principal, String what, ClientInfo client,
      long nowMillis) {
    SECURITY.warn("remember-me theft detected: {} (address={}); every session and remember-me"
        + " series of principal={} is revoked", what, client.addressOrNull(), principal);
    admin.sweep(principal, Set.of(), Set.of(), EndReason.REMEMBER_ME_THEFT, nowMillis);
    ctx.events.fire(SessionEvent.Type.REMEMBER_ME_THEFT, null, principal, client.addressOrNull(),
        Instant.ofEpochMilli(nowMillis), EndReason.REMEMBER_ME_THEFT);
    return RememberMeResult.theft();
  }
}
