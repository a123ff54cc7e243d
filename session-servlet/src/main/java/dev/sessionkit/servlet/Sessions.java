// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet;

import dev.sessionkit.Session;
import dev.sessionkit.SessionLimitExceededException;
import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.internal.RequestSession;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Static helpers for application code behind a {@link SessionFilter}: log in and out, log out
 * other sessions, list and revoke the current user's sessions.
 *
 * <pre>{@code
 * // in the servlet that checked the password:
 * Sessions.login(request, user.id(), "on".equals(request.getParameter("remember")));
 * response.sendRedirect("/home");
 *
 * // after a password change:
 * int ended = Sessions.logoutOthers(request);
 * }</pre>
 *
 * <p>Every method needs a request that passed through a {@code SessionFilter} and throws {@link
 * IllegalStateException} otherwise. The client's address ({@code getRemoteAddr()}, or behind the
 * proxies of the filter's {@code trusted-proxies} init-param the address they appended to {@code
 * X-Forwarded-For}) and {@code User-Agent} are recorded
 * with each session. Store failures surface as {@link dev.sessionkit.spi.SessionStoreException}, which
 * the filter turns into a 503 when the application lets it through.
 */
public final class Sessions {

  private Sessions() {}

  /**
   * Signs {@code principal} in. The current session is rotated (new token, the old one dead at
   * once, attributes kept) if it is anonymous or already belongs to {@code principal}; otherwise
   * it ends and a fresh one starts. With {@code rememberMe}, a remember-me cookie is issued too.
   * Call it before the response commits.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @param principal the principal (the user's id)
   * @param rememberMe whether to issue a remember-me cookie too
   * @return the signed-in session
   * @throws IllegalStateException if the response has committed (the cookie could not be sent;
   *     nothing changed), or was committed beneath the filter's response wrapper while the login
   *     was under way (the new session, which could not be delivered, is ended)
   * @throws SessionLimitExceededException if the user is at {@code max-sessions-per-user} and the
   *     manager refuses new logins
   */
  public static Session login(HttpServletRequest request, String principal, boolean rememberMe) {
    return state(request).login(principal, rememberMe);
  }

  /**
   * Logs out on the server: the session and its remember-me series end and both cookies are
   * cleared. Same as {@code request.getSession(false).invalidate()}, but also ends a remember-me
   * series when the session cookie is already gone.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @return whether a live session ended
   */
  public static boolean logout(HttpServletRequest request) {
    return state(request).logout();
  }

  /**
   * Call after the current user changed or reset a password (or another credential): every other
   * session and remember-me series of the user ends, and this browser gets a new session token and,
   * if it was remembered, a new remember-me token (OWASP ASVS 7.4.3, 7.2.4). Returns the session.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @return the session, with its new token
   * @throws IllegalStateException if the request is not signed in or the response has committed
   */
  public static Session credentialsChanged(HttpServletRequest request) {
    return state(request).credentialsChanged();
  }

  /**
   * Ends every other session and remember-me series of the current user, keeping this one. After
   * a credential change use {@link #credentialsChanged}, which also renews this browser's tokens.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @return how many sessions ended; 0 when the request is not authenticated
   */
  public static int logoutOthers(HttpServletRequest request) {
    return state(request).logoutOthers();
  }

  /**
   * Returns the live sessions of the current user, oldest first, with their metadata (created,
   * last seen, client address, user agent, remember-me); empty when not authenticated.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @return the live sessions of the current user, oldest first, with their metadata (created,
   *     last seen, client address, user agent, remember-me)
   */
  public static List<Session> list(HttpServletRequest request) {
    return state(request).sessions();
  }

  /**
   * Ends one session of the current user by its public id ({@link Session#id()}); the current
   * session's own id logs out. A session of another user is left alone.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @param sessionId the public session id
   * @return whether a session ended
   */
  public static boolean revoke(HttpServletRequest request, String sessionId) {
    return state(request).revoke(sessionId);
  }

  /**
   * Returns whether the current user signed in interactively (a password, SSO, a second factor)
   * less than {@code maxAge} ago: the step-up check before a sensitive change such as a new
   * password, e-mail address or second factor (OWASP ASVS 7.5.1, 7.5.3). {@code false} when the
   * request is not signed in, and always for a session that a remember-me cookie started, until
   * the user signs in again in it; token renewals and credential changes never make a session
   * recent again ({@link Session#authenticatedInteractivelyWithin}).
   *
   * <p>The pattern: the sensitive page asks for the password again when this says no, and the
   * form that checks it calls {@link #login} with the same user, which rotates the session (new
   * token, attributes and remember-me kept) and records the new interactive time.
   *
   * <pre>{@code
   * // GET or POST /account/email
   * if (!Sessions.authenticatedWithin(request, Duration.ofMinutes(5))) {
   *   response.sendRedirect("/reauthenticate?next=/account/email"); // asks for the password
   *   return;
   * }
   * // ... change the e-mail address, then Sessions.credentialsChanged(request) if it signs in
   *
   * // POST /reauthenticate, after the password was checked:
   * Sessions.login(request, user.id(), false); // same user: a step-up, not a new login
   * }</pre>
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @param maxAge how recent the interactive sign-in must be
   * @return whether the current user signed in interactively (a password, SSO, a second factor)
   *     less than {@code maxAge} ago
   */
  public static boolean authenticatedWithin(HttpServletRequest request, Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    return current(request).map(s -> s.authenticatedInteractivelyWithin(maxAge)).orElse(false);
  }

  /**
   * Returns the request's session without creating one.
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @return the request's session without creating one
   */
  public static Optional<Session> current(HttpServletRequest request) {
    return state(request).current();
  }

  /**
   * Returns the manager of the filter that handles this request (for administrative tasks).
   *
   * @param request the current request, which passed through a {@code SessionFilter}
   * @return the manager of the filter that handles this request (for administrative tasks)
   */
  public static SessionManager manager(HttpServletRequest request) {
    return state(request).context().manager();
  }

  private static RequestSession state(HttpServletRequest request) {
    return RequestSession.of(request).orElseThrow(() -> new IllegalStateException(
        "this request did not pass through a SessionFilter: map "
            + SessionFilter.class.getName() + " to its path"));
  }
}
