// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeToken;
import dev.sessionkit.Session;
import dev.sessionkit.SessionLimitExceededException;
import dev.sessionkit.SessionEndedException;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.SessionStoreException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The session state of one request, from the cookies that came in to the Set-Cookie headers that
 * go out.
 *
 * At the start, resolve() reads our cookies (strictly, see RequestCookies) and finds the session:
 * each session cookie value is tried in order and the first live one wins; without a live
 * authenticated session, a remember-me cookie is presented to the manager. Every later change of
 * the session (created, logged in, renewed, logged out) goes through the manager at once (so the
 * server is always right) and records the cookie header to send in a slot per cookie.
 *
 * Headers are written at the moment the session changes, on the container's own response (the
 * one the REQUEST dispatch brought), never on a wrapper: so they reach the browser however the
 * response ends afterwards, including ways that pass beneath every filter wrapper (Tomcat 11
 * finishing a forwarded response, AsyncContext.complete(), a container error page, an included
 * page whose wrapper ignores headers). beforeCommit() is the net: the response wrapper calls it at
 * every commit point it sees and the filter at the start and end of every dispatch, and it writes
 * again whatever the container dropped (a reset before an error page) and Cache-Control: no-store
 * over whatever the application set.
 *
 * Ordering. A change that needs a new cookie checks that the response has not committed before it
 * touches the store, and writes its header right after, all under this object's lock. Every commit
 * point of the response wrapper commits while holding the same lock (commitThrough), so a commit
 * through the wrapper waits until the new cookie is on the response, and a change that starts
 * while such a commit is under way waits for it and is refused before it touches the store: a login is never half-delivered (old
 * token dead, new one lost) because another thread of the application flushed meanwhile. Only a
 * commit that bypasses the wrapper (the container's own, or the unwrapped response) can fall
 * between the check and the write; then the change is undone where it can be (the session that
 * cannot be delivered is ended, never left live in the store) and IllegalStateException says so.
 * After commit, a change that needs a cookie is refused before it starts (IllegalStateException,
 * as the Servlet spec says for getSession(true)), except logout, which happens on the server
 * anyway.
 *
 * Container-managed login (FORM with j_security_check, request.login, authenticate) lives in the
 * container's own session and authenticator state, which Sessionkit does not replace. It is tied
 * to the Sessionkit session instead: a container login is adopted as a Sessionkit login (a token
 * rotation, as Sessions.login does; OWASP ASVS 7.2.4) and the container session is marked with
 * the Sessionkit session's public id; a logout or invalidate() ends the container's login and
 * session too; and a container login whose Sessionkit session has ended elsewhere (logout on
 * another request, timeout, force logout) is ended at the start of the next request, which is
 * then sent to sign in again.
 *
 * Servlet session listeners (ServletSessionListeners) are called from here and from
 * HttpSessionAdapter with the HttpSession the application sees.
 *
 * Locking. One instance per request, used by the application's threads (it may hand the request
 * to others) and by the container's. Every step that reads or changes the session holds one
 * ReentrantLock, store calls included, so steps of the application's threads run one at a time.
 * The container's own steps (the end of a dispatch, an error dispatch, the end of an async cycle)
 * never wait behind another thread's store call, which may stall until the store's timeout: they
 * take the lock only if it is free. If it is not, a change is under way on another thread and the
 * container goes on without it: unless the response stays open (an async cycle still running), the
 * request is "overtaken" (its headers are no longer written, a change under way is undone when its
 * store call returns and refused with IllegalStateException, later changes are refused; only the
 * headers delivered before are written again, without waiting for the lock, if a filter in front
 * resets the response and forwards); a 503 for
 * a store failure abandons the request the same way. A dispatch or async cycle that ended so
 * leaves the write-back of values changed in place to the thread that releases the lock next. A second, small lock (responseLock) orders the header writes of a change
 * with the container's decision to go on, and is never held across a store call. The application's
 * own steps (an error page that reads the session, an ASYNC dispatch it asked for) still wait for
 * the lock, at most until the store call returns or times out.
 */

/** The session state of one request: resolution, changes, and the cookies they need. */
public final class RequestSession {

  private static final String CLEAR_SITE_DATA = "Clear-Site-Data";
  private static final String ATTRIBUTE = RequestSession.class.getName();
  /** The container session's mark: the public id of the Sessionkit session its login is tied to. */
  static final String CONTAINER_LOGIN = RequestSession.class.getName() + ".session";
  private static final Logger LOG = LoggerFactory.getLogger(RequestSession.class);
  private static final String CACHE_CONTROL = "Cache-Control";
  private static final String NO_STORE = "no-store";

  private final FilterContext ctx;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  /** The application's context, read once: the request may be recycled before a view is done. */
  private final ServletContext servletContext;
  private final String clientAddress;
  private ClientInfo client;
  private final SetCookieSlot sessionCookie = new SetCookieSlot();
  private final SetCookieSlot rememberMeCookie = new SetCookieSlot();
  private RequestCookies cookies = RequestCookies.none();
  private Session session;
  private HttpSessionAdapter facade;
  private String requestedSessionId;
  private boolean createdHere;
  private volatile boolean sawAuthenticated;
  private volatile boolean touchedStore;
  /** A store failure was answered (503): grant nothing, write no cookie. Under responseLock. */
  private volatile boolean abandoned;
  private boolean containerLoginEnded;
  /** The container's session at its login of the request ({@link #containerLoggedIn}), or null. */
  private HttpSession containerLoginSession;
  private boolean clearSiteData;
  private boolean rememberMeFailed;
  /** A write of this request was refused: its session ended or was signed in elsewhere. */
  private boolean lostToAnotherRequest;
  private volatile SessionAsyncContext async;
  /**
   * Held by every step that reads or changes this request's session, store calls included; see
   * "Locking" above.
   */
  private final ReentrantLock lock = new ReentrantLock();
  /**
   * Guards the response's headers and the flags that say whether they may still be written
   * ({@link #finished}, {@link #overtaken}); held only for header writes, never across a store
   * call, so a container step that takes it waits microseconds at most.
   */
  private final Object responseLock = new Object();
  /**
   * The request is over: its request and response objects are the container's again (recycled for
   * other requests), so a view kept past it (an HttpSession a listener holds) acts on the store
   * only. Written under {@link #responseLock}.
   */
  private volatile boolean finished;
  /**
   * The container went on with the response while another thread's session step held {@link
   * #lock} (a store call under way, perhaps stalled): the response is no longer this request's
   * session's to write, and a change under way is undone when it returns. Written under {@link
   * #responseLock}; never cleared.
   */
  private volatile boolean overtaken;
  /**
   * The async cycle ended while another thread held {@link #lock}: whichever thread releases it
   * next saves the values changed in place ({@link #unlock}).
   */
  private volatile boolean savePending;
  private List<String> failedValues = List.of();
  /** Cookie values that resolved to nothing ahead of a later value of the same cookie that did. */
  private List<String> unresolvedAheadOfALiveToken = List.of();

  /**
   * Creates the state of a request and makes it findable from the request (and every wrapper of
   * it) through {@link #of}.
   *
   * @param response the container's response, which the cookies are written to
   * @param clientAddress the client's address ({@link FilterSecurity#clientAddress}), recorded
   *     with the sessions the request starts or signs in
   */
  public RequestSession(FilterContext ctx, HttpServletRequest request,
      HttpServletResponse response, String clientAddress) {
    this.ctx = ctx;
    this.request = request;
    this.response = response;
    this.servletContext = request.getServletContext();
    this.clientAddress = clientAddress;
    request.setAttribute(ATTRIBUTE, this);
  }

  /** Returns the state that a {@code SessionFilter} attached to this request, if any. */
  public static Optional<RequestSession> of(ServletRequest request) {
    // The filter's own wrapper first: it answers without asking the container's request, which an
    // application thread may still hold after the request ended (recycled: Jetty then throws a
    // NullPointerException from getAttribute).
    for (ServletRequest r = request; r instanceof ServletRequestWrapper w; r = w.getRequest()) {
      if (r instanceof SessionRequestWrapper wrapper) {
        return Optional.of(wrapper.state());
      }
    }
    return request.getAttribute(ATTRIBUTE) instanceof RequestSession s
        ? Optional.of(s)
        : Optional.empty();
  }

  /** Returns what this request's filter shares. */
  public FilterContext context() {
    return ctx;
  }

  // ------------------------------------------------------------------ start of the request

  /**
   * Finds the request's session from its cookies, resuming from a remember-me cookie when there is
   * no live authenticated session.
   *
   * @throws dev.sessionkit.spi.SessionStoreException if the store fails (no session is granted)
   */
  public void resolve() {
    lock.lock();
    try {
      cookies = RequestCookies.parse(request.getHeaders("Cookie"), ctx.cookies().sessionName(),
          ctx.cookies().rememberMeName());
      if (cookies.anomaly() != null && LOG.isDebugEnabled()) {
        LOG.debug("ignored cookie input from {}: {}", clientAddress == null ? "?" : clientAddress,
            cookies.anomaly());
      }
      SessionManager manager = ctx.manager();
      unresolvedAheadOfALiveToken = List.of();
      List<String> values = cookies.sessionValues();
      for (int i = 0; i < values.size(); i++) {
        touchedStore = true;
        Optional<Session> found = manager.resolve(values.get(i));
        if (found.isPresent()) {
          setSession(found.get(), false);
          requestedSessionId = found.get().id();
          unresolvedAheadOfALiveToken = i == 0 ? List.of() : values.subList(0, i);
          break;
        }
      }
      if ((session == null || !session.isAuthenticated()) && cookies.sentRememberMeCookie()) {
        resumeRememberMe(manager);
      }
      adoptContainerLogin();
      failedValues = failedAtResolve();
      writeHeaders();
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ container-managed login

  /**
   * Ties a login that the container keeps in its own session to the Sessionkit session: a new one
   * (after {@code j_security_check}, or {@link #containerLoggedIn}) is adopted as a Sessionkit
   * login; one whose Sessionkit session has ended is ended too ({@link #containerLoginEnded()}).
   * A stateless container login (HTTP Basic: no container session) is left alone.
   */
  public void adoptContainerLogin() {
    lock.lock();
    try {
      HttpSession own = request.getSession(false);
      Principal user = own == null ? null : request.getUserPrincipal();
      if (user == null) {
        return;
      }
      Object bound = containerAttribute(own);
      if (bound == null) {
        try {
          login(user.getName(), false);
        } catch (IllegalArgumentException | SessionLimitExceededException e) {
          LOG.warn("container login of {} not adopted ({}): it is ended", user.getName(),
              e.getMessage());
          endContainerLogin();
          containerLoginEnded = true;
          return;
        }
        bindContainerLogin(own);
      } else if (session == null && joinAdoptedLogin(bound, user.getName())) {
        LOG.debug("request sent before the cookie of login {} arrived: joined it", bound);
      } else if (session == null || !bound.equals(session.id())
          || !user.getName().equals(principal())) {
        endContainerLogin();
        containerLoginEnded = true;
      }
    } finally {
      unlock();
    }
  }

  /**
   * A request the browser sent with the token that the adoption of its container login replaced,
   * before the new cookie arrived (a parallel request): it logs in to the same session again (a
   * new token of its own, as a double-submitted login does), instead of being taken for a session
   * that ended elsewhere.
   */
  private boolean joinAdoptedLogin(Object bound, String principal) {
    SessionManager manager = ctx.manager();
    for (String value : cookies.sessionValues()) {
      touchedStore = true;
      if (manager.loginTarget(value, principal).filter(bound::equals).isPresent()) {
        IssuedSession issued = manager.authenticate(value, principal, client(), false);
        if (!issued.session().id().equals(bound)) {
          manager.logout(issued.session()); // ended meanwhile: nothing of it may stay
          return false;
        }
        setSession(issued.session(), false);
        sessionCookie.set(ctx.cookies().sessionCookie(issued.token()), true);
        return true;
      }
    }
    return false;
  }

  /**
   * After the container authenticated the request itself ({@code request.login}): a Sessionkit
   * login of the same principal, which rotates the token, tied to the container's session if it
   * keeps one.
   *
   * @throws IllegalStateException if the response has committed
   */
  public void containerLoggedIn() {
    lock.lock();
    try {
      Principal user = request.getUserPrincipal();
      if (user == null) {
        throw new IllegalStateException("the container reports no principal after its login");
      }
      // the session the container may keep that login in, read while the request is this one's
      // (the store call below may return after the container took the request back)
      containerLoginSession = request.getSession(false);
      login(user.getName(), false);
      if (containerLoginSession != null) {
        bindContainerLogin(containerLoginSession);
      }
    } finally {
      unlock();
    }
  }

  /**
   * The container logged the request in but Sessionkit could not ({@link #containerLoggedIn}
   * threw): its login and session are ended, so that the request does not run as that user.
   */
  public void containerLoginRefused() {
    lock.lock();
    try {
      if (!endContainerLogin() && containerLoginSession != null) {
        // the container took the request back while the login's store call was under way: its
        // request is not asked again, but the session it keeps the login in (not recycled with
        // the request) is ended, or the browser's next request would be signed in by it
        invalidate(containerLoginSession);
      }
    } finally {
      unlock();
    }
  }

  /**
   * Returns whether this request ended a container login whose Sessionkit session had ended: the
   * container may have let the request through as that user, so the filter sends it to sign in
   * again instead of serving it.
   */
  public boolean containerLoginEnded() {
    lock.lock();
    try {
      return containerLoginEnded;
    } finally {
      unlock();
    }
  }

  private void bindContainerLogin(HttpSession own) {
    try {
      own.setAttribute(CONTAINER_LOGIN, session.id());
    } catch (IllegalStateException invalidated) {
      LOG.debug("container session ended while a login was tied to it");
    }
  }

  private static Object containerAttribute(HttpSession own) {
    try {
      return own.getAttribute(CONTAINER_LOGIN);
    } catch (IllegalStateException invalidated) {
      return null;
    }
  }

  /**
   * Ends the container's own login and session, if it has them, unless the container has taken
   * the request back (it answered while this step's store call was under way, or the request is
   * over): its request object may serve another request by then, whose user must not be signed
   * out, and which may throw. A container login left so, whose Sessionkit session has not come
   * about or has ended, is ended at that browser's next request ({@link #adoptContainerLogin}).
   * Returns whether the request was still this one's to act on. Under {@link #responseLock}, so
   * that the container cannot take the request back half-way (the container's own calls only,
   * never a store call).
   */
  private boolean endContainerLogin() {
    synchronized (responseLock) {
      if (finished || overtaken) {
        LOG.debug("the container took the request back: its login is ended at the next request");
        return false;
      }
      try {
        if (request.getUserPrincipal() != null) {
          request.logout();
        }
      } catch (ServletException | RuntimeException e) {
        LOG.debug("the container's logout failed: {}", e.toString());
      }
      HttpSession own = request.getSession(false);
      if (own != null) {
        invalidate(own);
      }
      return true;
    }
  }

  /** Ends a container session, unless it has ended already. */
  private static void invalidate(HttpSession containerSession) {
    try {
      containerSession.invalidate();
    } catch (IllegalStateException alreadyInvalid) {
      // ended meanwhile
    }
  }

  /**
   * Returns the cookie values that failed at {@link #resolve()}, for guessing detection: the
   * session cookie's when it resolved to nothing and no remember-me cookie signed in instead, the
   * remember-me cookie's when it was unknown, expired or a theft alarm, and a marker for a cookie
   * of ours that was malformed. Empty when nothing failed.
   */
  List<String> failedValues() {
    lock.lock();
    try {
      return failedValues;
    } finally {
      unlock();
    }
  }

  private List<String> failedAtResolve() {
    boolean sessionFailed = cookies.sentSessionCookie() && requestedSessionId == null
        && session == null; // no remember-me cookie or container login signed in instead
    if (!sessionFailed && !rememberMeFailed && unresolvedAheadOfALiveToken.isEmpty()) {
      return List.of();
    }
    List<String> failed = new ArrayList<>(4);
    if (sessionFailed) {
      failed.addAll(cookies.sessionValues());
    }
    // Unknown values sent ahead of a live token of the same cookie cost the store a lookup each:
    // counted, so that a client's own live token cannot hide its guesses. (A stale session cookie
    // followed by a remember-me resume is not: that is a returning user.)
    failed.addAll(unresolvedAheadOfALiveToken);
    if (rememberMeFailed) {
      failed.addAll(cookies.rememberMeValues());
    }
    if (cookies.anomaly() != null) {
      failed.add("malformed: " + cookies.anomaly());
    }
    return List.copyOf(failed);
  }

  private void resumeRememberMe(SessionManager manager) {
    List<String> misses = new ArrayList<>(0);
    for (String value : cookies.rememberMeValues()) {
      touchedStore = true;
      RememberMeResult result;
      try {
        result = manager.resumeRememberMe(value, client());
      } catch (SessionLimitExceededException e) {
        // the user is at max-sessions-per-user: proceed unauthenticated, keep the cookie valid
        LOG.debug("remember-me resume refused: {}", e.getMessage());
        return;
      }
      switch (result.status()) {
        case RESUMED -> {
          if (!misses.isEmpty()) {
            List<String> all = new ArrayList<>(unresolvedAheadOfALiveToken);
            all.addAll(misses);
            unresolvedAheadOfALiveToken = all;
          }
          IssuedSession issued = result.issued().orElseThrow();
          endAnonymousSession(manager);
          setSession(issued.session(), true);
          sessionCookie.set(ctx.cookies().sessionCookie(issued.token()), true);
          issued.rememberMe().ifPresent(this::setRememberMeCookie);
          ctx.listeners().created(facade()); // last: a listener may end the session
          return;
        }
        case THEFT_DETECTED -> {
          rememberMeFailed = true;
          endAnonymousSession(manager);
          sessionCookie.set(ctx.cookies().clearSessionCookie(), false);
          rememberMeCookie.set(ctx.cookies().clearRememberMeCookie(), false);
          return;
        }
        case RECENTLY_ROTATED -> {
          return; // a parallel request of this browser rotated it: keep the cookies
        }
        default -> misses.add(value); // INVALID: try the next value, if any
      }
    }
    rememberMeFailed = true; // unknown, expired or malformed
    rememberMeCookie.set(ctx.cookies().clearRememberMeCookie(), false);
  }

  private void endAnonymousSession(SessionManager manager) {
    if (session != null) {
      Session ending = session;
      boolean ended = manager.logout(ending);
      setSession(null, false);
      endedHere(ending, ended);
    }
  }

  // ------------------------------------------------------------------ the HttpSession API

  /**
   * Returns the request's session, starting an anonymous one if {@code create} and there is none.
   *
   * @throws IllegalStateException if a session must be created after the response committed
   */
  public HttpSession httpSession(boolean create) {
    lock.lock();
    try {
      if (session == null) {
        if (!create) {
          return null;
        }
        requireUncommitted("create a session");
        if (lostToAnotherRequest) {
          // A parallel request of this browser signed the session in (or ended it) while this one
          // was under way; a new anonymous cookie from this response would replace that request's
          // cookie and sign the browser out. The browser's next request starts afresh if it must.
          throw new IllegalStateException("Cannot create a session: this request's session was"
              + " signed in or ended by another request meanwhile, and a new session cookie would"
              + " replace that request's");
        }
        touchedStore = true;
        IssuedSession issued = ctx.manager().startAnonymous(client());
        setSession(issued.session(), true);
        sessionCookie.set(ctx.cookies().sessionCookie(issued.token()), true);
        deliverOrUndo("create a session");
        // the listeners may end the session they are told of (re-entering here): the application
        // then holds that invalidated HttpSession, as on a container, and the request has none
        HttpSessionAdapter created = facade();
        ctx.listeners().created(created);
        return created;
      }
      return facade();
    } finally {
      unlock();
    }
  }

  /** Returns the HttpSession of the current session (which must exist). */
  private HttpSessionAdapter facade() {
    if (facade == null) {
      facade = new HttpSessionAdapter(this, session, servletContext);
    }
    return facade;
  }

  /**
   * A session that was current in this request has ended here: {@code sessionDestroyed} (if this
   * request ended it; otherwise the manager's event brought it) and, for each attribute, {@code
   * attributeRemoved} and {@code valueUnbound}, with a read-only view of its last attributes.
   */
  private void endedHere(Session ended, boolean endedByThisRequest) {
    HttpSessionAdapter view = HttpSessionAdapter.endedView(this, ended, servletContext);
    if (endedByThisRequest) {
      ctx.listeners().destroyed(view);
    }
    for (Map.Entry<String, Object> e : ended.attributes().entrySet()) {
      ctx.listeners().attributeRemoved(view, e.getKey(), e.getValue());
      ServletSessionListeners.unbound(view, e.getKey(), e.getValue());
    }
  }

  /**
   * Issues a new token for the current session (privilege change) and returns its public id, which
   * stays the same: the token is the credential, the id only a handle.
   *
   * @throws IllegalStateException if there is no session, it has ended, or the response committed
   */
  public String renew() {
    lock.lock();
    try {
      if (session == null) {
        throw new IllegalStateException("there is no session associated with this request");
      }
      requireUncommitted("change the session id");
      touchedStore = true;
      Optional<IssuedSession> renewed = ctx.manager().renew(session);
      if (renewed.isEmpty()) {
        setSession(null, false);
        throw new SessionEndedException("the session has ended");
      }
      sessionCookie.set(ctx.cookies().sessionCookie(renewed.get().token()), true);
      setSession(renewed.get().session(), createdHere);
      deliverOrUndo("change the session id");
      String id = session.id();
      ctx.listeners().idChanged(facade(), id); // a listener may end the session
      return id;
    } finally {
      unlock();
    }
  }

  /** Returns whether the current session was started by this request. */
  boolean isNew(Session s) {
    lock.lock();
    try {
      return createdHere && session != null && session.id().equals(s.id());
    } finally {
      unlock();
    }
  }

  /** The session ended under this request (revoked or expired meanwhile). */
  void sessionEnded(HttpSessionAdapter which) {
    lock.lock();
    try {
      if (facade == which) {
        setSession(null, false);
        lostToAnotherRequest = true;
      }
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ application actions

  /** Returns the current session, if any. */
  public Optional<Session> current() {
    lock.lock();
    try {
      return Optional.ofNullable(session);
    } finally {
      unlock();
    }
  }

  /** Returns the current session's principal, or {@code null}. */
  public String principal() {
    lock.lock();
    try {
      return session == null ? null : session.principal().orElse(null);
    } finally {
      unlock();
    }
  }

  /**
   * Signs {@code principal} in, rotating the current session (see {@link
   * SessionManager#authenticate(Session, String, ClientInfo, boolean)}).
   */
  public Session login(String principal, boolean rememberMe) {
    lock.lock();
    try {
      requireUncommitted("log in");
      touchedStore = true;
      Session before = session;
      IssuedSession issued = ctx.manager().authenticate(session, principal, client(), rememberMe);
      // the same session with a new token; on Redis under a new id when the login moved it to the
      // principal's bucket: an id change to the application, never a second session
      boolean rotated = before != null && issued.continuesSession();
      setSession(issued.session(), !rotated || createdHere);
      sessionCookie.set(ctx.cookies().sessionCookie(issued.token()), true);
      issued.rememberMe().ifPresent(this::setRememberMeCookie);
      deliverOrUndo("log in");
      if (rotated) {
        ctx.listeners().idChanged(facade(), before.id());
      } else {
        if (before != null && before.principal().filter(p -> !p.equals(principal)).isPresent()) {
          endedHere(before, true); // another principal's session: the manager ended it
        }
        // Otherwise the session could not be rotated because it had ended elsewhere (a logout on
        // another tab, a revocation): whoever ended it reported it; this request must not again.
        ctx.listeners().created(facade());
      }
      return issued.session();
    } finally {
      unlock();
    }
  }

  /**
   * Logs out on the server: the session and the remember-me series it carries (or that the request
   * presented) end, and both cookies are cleared if the client has them. Works after commit too
   * (the server side is what counts); only the cookies cannot be cleared then.
   *
   * @return whether a live session ended
   */
  public boolean logout() {
    lock.lock();
    try {
      SessionManager manager = ctx.manager();
      boolean ended = false;
      Session ending = session;
      if (finished) {
        // A view kept past its request (an administrator ending a user's session through the
        // HttpSession a listener kept): the server side only. That request's objects now serve
        // other requests, which must get neither its cookies nor the end of their own container
        // login; the user's container login ends at the user's next request.
        if (ending != null) {
          touchedStore = true;
          ended = manager.logout(ending);
          setSession(null, false);
          endedHere(ending, ended);
        }
        return ended;
      }
      try {
        if (ending != null) {
          touchedStore = true;
          ended = manager.logout(ending);
        }
        for (String value : cookies.rememberMeValues()) {
          touchedStore = true;
          manager.forgetRememberMe(value);
        }
      } finally {
        // Also when the store failed (the exception goes on to the filter's 503): this request
        // holds no session any more, the browser is told to forget its cookies, and the
        // container's own login ends, so a failed logout never leaves a way in.
        if (ending != null) {
          setSession(null, false);
        }
        if (cookies.sentSessionCookie() || sessionCookie.isSet()) {
          sessionCookie.set(ctx.cookies().clearSessionCookie(), false);
        }
        if (cookies.sentRememberMeCookie() || rememberMeCookie.isSet()) {
          rememberMeCookie.set(ctx.cookies().clearRememberMeCookie(), false);
        }
        clearSiteData = ctx.security().clearSiteData() != null;
        writeHeaders(); // after commit the server-side logout stands; only the cookies stay
        // unless the container took the request back while the store call stalled (its objects
        // may serve another request by now): then the user's container login, whose Sessionkit
        // session has ended, is ended at the user's next request (adoptContainerLogin)
        endContainerLogin();
      }
      if (ending != null) {
        endedHere(ending, ended);
      }
      return ended;
    } finally {
      unlock();
    }
  }

  /**
   * After the current principal's credentials changed: ends every other session and remember-me
   * series of the principal and sends this browser a new session token (and, if it was remembered,
   * a new remember-me token). See {@link SessionManager#credentialsChanged}.
   *
   * @throws IllegalStateException if the request is not authenticated or the response committed
   */
  public Session credentialsChanged() {
    lock.lock();
    try {
      if (session == null || !session.isAuthenticated()) {
        throw new IllegalStateException("no signed-in session: credentials changed for nobody");
      }
      requireUncommitted("rotate the tokens after a credential change");
      touchedStore = true;
      IssuedSession issued = ctx.manager().credentialsChanged(session);
      sessionCookie.set(ctx.cookies().sessionCookie(issued.token()), true);
      issued.rememberMe().ifPresent(this::setRememberMeCookie);
      setSession(issued.session(), createdHere);
      deliverOrUndo("rotate the tokens after a credential change");
      ctx.listeners().idChanged(facade(), session.id());
      return issued.session();
    } finally {
      unlock();
    }
  }

  /** Ends the other sessions of the current principal; returns how many ended. */
  public int logoutOthers() {
    lock.lock();
    try {
      if (session == null || !session.isAuthenticated()) {
        return 0;
      }
      touchedStore = true;
      return ctx.manager().logoutOthers(session);
    } finally {
      unlock();
    }
  }

  /** Returns the current principal's live sessions, oldest first; empty when anonymous. */
  public List<Session> sessions() {
    lock.lock();
    try {
      String principal = principal();
      if (principal == null) {
        return List.of();
      }
      touchedStore = true;
      return ctx.manager().sessionsOf(principal);
    } finally {
      unlock();
    }
  }

  /** Ends one session of the current principal by its public id (this one: a logout). */
  public boolean revoke(String sessionId) {
    lock.lock();
    try {
      String principal = principal();
      if (principal == null || sessionId == null) {
        return false;
      }
      if (sessionId.equals(session.id())) {
        return logout();
      }
      touchedStore = true;
      return ctx.manager().revoke(principal, sessionId);
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ request-level reports

  /** Returns the public id of the session the request's cookie resolved to, or {@code null}. */
  public String requestedSessionId() {
    lock.lock();
    try {
      return requestedSessionId;
    } finally {
      unlock();
    }
  }

  /** Returns whether the session the request's cookie named is still the current one. */
  public boolean isRequestedSessionIdValid() {
    lock.lock();
    try {
      return requestedSessionId != null && session != null
          && requestedSessionId.equals(session.id());
    } finally {
      unlock();
    }
  }

  /** Returns whether this request used the store (to tell a recovered store). */
  public boolean touchedStore() {
    return touchedStore; // volatile: the container's thread asks while another may hold the lock
  }

  // ------------------------------------------------------------------ response side

  /**
   * Makes the response carry this request's {@code Set-Cookie} headers and {@code Cache-Control},
   * writing again whatever a reset dropped, unless the response has committed or the request was
   * abandoned. Called before anything that can commit and at the start and end of every dispatch.
   */
  public void beforeCommit() {
    if (!lockUnlessOvertaken()) {
      writeHeaders(); // what was delivered before the overtake only
      return;
    }
    try {
      if (!abandoned && !response.isCommitted()) {
        saveChanges();
      }
      writeHeaders();
    } finally {
      unlock();
    }
  }

  /**
   * Writes again the headers that a {@code reset()} of the response dropped; saves nothing (a
   * reset is no commit point).
   */
  public void rewriteHeaders() {
    if (!lockUnlessOvertaken()) {
      writeHeaders(); // what was delivered before the overtake only
      return;
    }
    try {
      writeHeaders();
    } finally {
      unlock();
    }
  }

  /**
   * Takes {@link #lock} and returns true; but once the request was overtaken, only if it is free:
   * the container answers without the step under way (an application filter in front of this one
   * that resets the response and forwards must not wait for its store call), and false says to
   * write again, without the lock, only the headers delivered before the overtake.
   */
  private boolean lockUnlessOvertaken() {
    if (overtaken) {
      return lock.tryLock();
    }
    lock.lock();
    return true;
  }

  /** Something done to the response that may commit it. */
  @FunctionalInterface
  public interface CommitPoint<E extends Exception> {
    /** Does it. */
    void run() throws E;
  }

  /**
   * Saves the attribute values changed in place and makes the response carry this request's
   * headers ({@link #beforeCommit}), then runs {@code commit} (a flush, a redirect, a write that
   * may fill the buffer) while still holding this object's lock: a session change on another
   * thread then either finished before (its cookie goes out with the headers) or starts after the
   * commit and is refused before it touches the store. Releasing the lock between the two would
   * let a change pass its commit check, end the old token, and lose the new one.
   *
   * @throws dev.sessionkit.spi.SessionStoreException if saving fails: nothing is committed, and
   *     the exception goes through the application to the filter, which answers 503
   */
  public <E extends Exception> void commitThrough(CommitPoint<E> commit) throws E {
    lock.lock();
    try {
      beforeCommit();
      commit.run();
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------ async

  /**
   * The application started async processing: returns the context it is given, whose {@code
   * complete()} saves and writes the session's headers before the container finishes the
   * response, and whose end is heard ({@link #asyncEnded}) however the container ends it.
   */
  AsyncContext asyncStarted(AsyncContext started) {
    lock.lock();
    try {
      return asyncStarted(started, null, null);
    } finally {
      unlock();
    }
  }

  /**
   * As {@link #asyncStarted(AsyncContext)} for a start without arguments: {@code started} is the
   * container's context of its own request and response, and the context given out hands the
   * application {@code filterRequest} and {@code filterResponse} instead.
   */
  AsyncContext asyncStarted(AsyncContext started, ServletRequest filterRequest,
      ServletResponse filterResponse) {
    lock.lock();
    try {
      async = new SessionAsyncContext(started, this, filterRequest, filterResponse);
      started.addListener(async.endListener());
      return async;
    } finally {
      unlock();
    }
  }

  /** Returns the context {@link #asyncStarted} gave out for {@code current}, else {@code current}. */
  AsyncContext asyncContext(AsyncContext current) {
    SessionAsyncContext given = async; // volatile: the container's listeners ask without the lock
    return given != null && given.wraps(current) ? given : current;
  }

  /**
   * The application completes async processing: saves the values changed in place and writes the
   * headers before the container finishes the response; if the store fails, answers 503 while the
   * response has not committed (afterwards the failure is logged and nothing of the session sent).
   * A completion after the container ended the cycle saves only, and touches no response.
   */
  void asyncCompleting() {
    lock.lock();
    try {
      if (finished) {
        // A late complete(): the container ended the cycle already (its timeout answered). Its
        // response may serve the next request of the connection by now and is neither asked nor
        // answered (a 503 there would be another request's answer); what the application changed
        // in place since is saved in the store only (a failure is logged).
        savePending = true;
        saveEndedCycle();
        return;
      }
      try {
        beforeCommit();
      } catch (SessionStoreException e) {
        try {
          StoreFailureResponse.failClosed(ctx, this, response,
              "saving attributes changed in place on an async thread", e);
        } catch (IOException io) {
          LOG.debug("the 503 of a failed async write-back could not be sent: {}", io.toString());
        }
      }
    } finally {
      unlock();
    }
  }

  /**
   * As {@link #asyncCompleting}, for a completion on the container's own thread (from an {@code
   * AsyncListener} event such as the async timeout): it does not wait for another thread's session
   * step under way ({@link #lockForContainer}); the request is then overtaken, and the values
   * changed in place are saved when that step releases the lock.
   */
  void asyncCompletingForContainer() {
    if (lockForContainer(false)) {
      try {
        asyncCompleting();
      } finally {
        unlock();
      }
    }
  }

  /**
   * The container ended async processing (completed, timed out, failed), after its response went
   * out: saves what the application changed in place since the last save (a completion that did
   * not pass {@link #asyncCompleting}, such as one from an {@code AsyncListener}); a store failure
   * is logged.
   */
  void asyncEnded() {
    synchronized (responseLock) {
      finished = true;
    }
    savePending = true;
    if (lock.tryLock()) {
      try {
        saveEndedCycle();
      } finally {
        unlock();
      }
    }
    // else another thread's step is under way (the container must not wait for its store call):
    // that thread saves when it releases the lock (unlock)
  }

  /** Saves the values changed in place once an async cycle has ended; under {@link #lock}. */
  private void saveEndedCycle() {
    if (!savePending) {
      return;
    }
    savePending = false;
    if (abandoned) {
      return;
    }
    try {
      saveChanges();
    } catch (SessionStoreException e) {
      ctx.failures().failed("saving attributes changed in place after an async response ended",
          e);
      abandon();
    }
  }

  /**
   * A dispatch that the container started (REQUEST, ERROR, ASYNC) returned: saves the attribute
   * values changed in place and writes the pending headers, or, if the response has committed
   * already, only saves. If the application started async processing, only the headers are
   * written: its async thread may still be changing values, and the completion saves them ({@link
   * #asyncCompleting}, {@link #asyncEnded}).
   *
   * @throws dev.sessionkit.spi.SessionStoreException if saving fails
   */
  public void requestEnded() {
    // An async cycle goes on: a change under way on an application thread writes its own headers.
    if (!lockForContainer(request.isAsyncStarted())) {
      return;
    }
    try {
      if (abandoned) {
        return;
      }
      if (request.isAsyncStarted()) {
        writeHeaders();
      } else if (response.isCommitted()) {
        saveChanges();
      } else {
        beforeCommit();
      }
    } finally {
      unlock();
    }
  }

  /**
   * The container starts an ERROR or ASYNC dispatch of the request: as {@link #beforeCommit}. An
   * ERROR dispatch is the container's own step and does not wait for another thread's session
   * step under way ({@link #lockForContainer}); an ASYNC dispatch, which the application asked
   * for, does.
   *
   * @throws dev.sessionkit.spi.SessionStoreException if saving fails
   */
  public void dispatchStarted(boolean error) {
    if (!error) {
      beforeCommit();
      return;
    }
    if (lockForContainer(false)) {
      try {
        beforeCommit();
      } finally {
        unlock();
      }
    }
  }

  /**
   * The application's dispatch threw (the container answers with its error next): saves the
   * values changed in place and writes the headers ({@link #beforeCommit}), without waiting for
   * another thread's session step under way ({@link #lockForContainer}).
   *
   * @throws dev.sessionkit.spi.SessionStoreException if saving fails
   */
  public void dispatchFailed() {
    if (lockForContainer(false)) {
      try {
        beforeCommit();
      } finally {
        unlock();
      }
    }
  }

  /**
   * Takes {@link #lock} for a step the container drives, if no other thread holds it, and returns
   * whether it did. If another thread holds it, that thread's session step is under way (a store
   * call, which may stall until the store's timeout) and the container must not wait for it: the
   * lock is not taken, and unless {@code responseStaysOpen} (an async cycle goes on, and the step
   * under way writes its own headers) the request is overtaken: the response is the container's
   * from now on, and the change under way is undone when its store call returns.
   */
  private boolean lockForContainer(boolean responseStaysOpen) {
    if (lock.tryLock()) {
      return true;
    }
    if (!responseStaysOpen) {
      synchronized (responseLock) {
        overtaken = true;
      }
      // the write-back of values changed in place that this step would have made is handed to
      // the holder (unlock); set before the second try, so that a holder releasing in between
      // is not missed
      savePending = true;
      if (lock.tryLock()) {
        try {
          saveEndedCycle();
        } finally {
          unlock();
        }
      }
      LOG.warn("the container went on with a response while a session step of another thread"
          + " was under way (a store call slower than the request); that step's change, if it"
          + " needs a cookie, is undone when the store call returns");
    }
    return false;
  }

  /**
   * Releases {@link #lock}; if an async cycle ended while it was held ({@link #asyncEnded}), saves
   * the values changed in place once the lock is free.
   */
  private void unlock() {
    lock.unlock();
    if (savePending && !lock.isHeldByCurrentThread() && lock.tryLock()) {
      try {
        saveEndedCycle();
      } catch (RuntimeException e) {
        // not this step's own failure (which may be on its way out of here): logged, not thrown
        LOG.warn("saving attributes changed in place for a response that went out failed: {}",
            e.toString());
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Writes back the attribute values that the application changed in place, as the save mode
   * says ({@link Session#saveChanges()}), before the client can see the response, so that its next
   * request finds them. A session that ended meanwhile has nothing left to save.
   */
  private void saveChanges() {
    if (session == null) {
      return;
    }
    try {
      if (!session.saveChanges().isEmpty()) {
        touchedStore = true;
      }
    } catch (SessionEndedException e) {
      LOG.debug("session {} ended (or was signed in by another request) before its changed"
          + " attributes were saved", session.id());
      setSession(null, false);
      lostToAnotherRequest = true;
    }
  }

  /**
   * Returns whether the response must say {@code Cache-Control: no-store} whatever the application
   * sets: once the request has seen an authenticated session (and the filter is configured so).
   */
  public boolean noStore() {
    return sawAuthenticated && ctx.cacheControlNoStore(); // volatile: asked under responseLock
  }

  /**
   * A dispatch of the request that the container started (REQUEST, ERROR, ASYNC) returned without
   * starting async work, or its async work ended: unless the container dispatches it again (an
   * error page after the REQUEST dispatch returned, {@link #dispatching()}), the request is over,
   * and from then on a view of it kept by the application changes the store only, never the
   * container's request or response, which serve other requests.
   */
  public void finished() {
    synchronized (responseLock) {
      finished = true;
    }
  }

  /**
   * The request passes the filter again (an ERROR or ASYNC dispatch of the container, or a forward
   * or include by an application filter in front of this one after this filter's dispatch
   * returned): it is not over yet. Returns whether it had been ({@link #finished()}).
   */
  public boolean dispatching() {
    synchronized (responseLock) {
      boolean was = finished;
      finished = false;
      return was;
    }
  }

  /** The request failed with a store failure: grant nothing, write no cookie. */
  public void abandon() {
    synchronized (responseLock) {
      abandoned = true;
    }
    // The container's thread answers a store failure; it does not wait for another thread's step
    // under way (a stalled store call), whose change finds the request abandoned and is undone.
    if (lock.tryLock()) {
      try {
        setSession(null, false);
      } finally {
        unlock();
      }
    }
  }

  // ------------------------------------------------------------------ internals

  /**
   * Writes the pending headers on the container's response; returns false if it has committed
   * (nothing written). A request abandoned after a store failure writes nothing.
   */
  private boolean writeHeaders() {
    synchronized (responseLock) {
      if (abandoned || finished || response.isCommitted()) {
        return !sessionCookie.carriesValue() && !rememberMeCookie.carriesValue();
      }
      if (overtaken) {
        // The headers of the changes delivered before the overtake stay this response's (their
        // old tokens are dead): written again if a reset dropped them (an application filter in
        // front of this one that resets and forwards). Nothing emitted since, so only those.
        sessionCookie.emitAgain(response);
        rememberMeCookie.emitAgain(response);
        if (noStore()) {
          response.setHeader(CACHE_CONTROL, NO_STORE);
        }
        return !sessionCookie.carriesValue() && !rememberMeCookie.carriesValue();
      }
      sessionCookie.emit(response);
      rememberMeCookie.emit(response);
      if (noStore()) {
        response.setHeader(CACHE_CONTROL, NO_STORE);
      }
      if (clearSiteData) {
        // a login after the logout in the same request takes it back (null removes the header)
        response.setHeader(CLEAR_SITE_DATA,
            session == null ? ctx.security().clearSiteData() : null);
      }
      return sessionCookie.isOn(response) && rememberMeCookie.isOn(response);
    }
  }

  /**
   * Writes the headers of a change just made; if the response committed meanwhile (a commit that
   * bypassed the response wrapper), ends the session that can no longer be delivered and throws.
   */
  private void deliverOrUndo(String what) {
    if (writeHeaders()) {
      return;
    }
    boolean answered = finished || overtaken || abandoned;
    IllegalStateException refused = answered ? answeredMeanwhile(what) : committed(what);
    Session undeliverable = session;
    setSession(null, false);
    if (undeliverable != null) {
      try {
        ctx.manager().logout(undeliverable);
      } catch (RuntimeException e) {
        refused.addSuppressed(e);
      }
    }
    LOG.warn("{} while a session change was under way; the new session {} was ended",
        answered ? "the container answered the request"
            : "the response committed (a commit that bypassed the SessionFilter's wrapper)",
        undeliverable == null ? "-" : undeliverable.id());
    throw refused;
  }

  /**
   * Returns the client's address and {@code User-Agent}, recorded with the sessions this request
   * starts or signs in; built on first use, as most requests start none.
   */
  private ClientInfo client() {
    if (client == null) {
      client = ClientInfo.of(clientAddress, request.getHeader("User-Agent"));
    }
    return client;
  }

  private void setRememberMeCookie(RememberMeToken token) {
    rememberMeCookie.set(ctx.cookies().rememberMeCookie(token.value(), token.expiresAt(),
        ctx.manager().clock().instant()), true);
  }

  private void setSession(Session s, boolean created) {
    if (facade != null) {
      if (s != null && s.id().equals(facade.sessionId())) {
        facade.rebind(s);
      } else {
        facade.invalidated();
        facade = null;
      }
    }
    session = s;
    createdHere = s != null && created;
    if (s != null && s.isAuthenticated()) {
      sawAuthenticated = true;
    }
  }

  private void requireUncommitted(String what) {
    if (finished) {
      // The container has ended the request (an async cycle it completed or timed out): its
      // response is the container's again, possibly serving another request, and must not be
      // asked, let alone given this session's cookie.
      throw new IllegalStateException("Cannot " + what + ": the request has ended (its async"
          + " processing completed or timed out), so the session cookie could not be sent");
    }
    if (overtaken) {
      throw answeredMeanwhile(what);
    }
    if (abandoned || response.isCommitted()) {
      throw committed(what);
    }
  }

  private static IllegalStateException answeredMeanwhile(String what) {
    return new IllegalStateException("Cannot " + what + ": the container answered the request"
        + " (or ended it) while this change waited for the store, so the session cookie could not"
        + " be sent");
  }

  private static IllegalStateException committed(String what) {
    return new IllegalStateException("Cannot " + what
        + " after the response has been committed: the session cookie could not be sent");
  }
}
