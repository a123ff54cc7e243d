// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet;

import dev.sessionkit.SessionListener;
import dev.sessionkit.SessionManager;
import dev.sessionkit.SessionManagerCustomizer;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.servlet.internal.CommitGuardResponse;
import dev.sessionkit.servlet.internal.ContainerSessionUrls;
import dev.sessionkit.servlet.internal.FilterContext;
import dev.sessionkit.servlet.internal.FilterSecurity;
import dev.sessionkit.servlet.internal.FilterSettings;
import dev.sessionkit.servlet.internal.ListenerClasses;
import dev.sessionkit.servlet.internal.LoggingCheck;
import dev.sessionkit.servlet.internal.PurgeScheduler;
import dev.sessionkit.servlet.internal.RequestSession;
import dev.sessionkit.servlet.internal.ServletSessionListeners;
import dev.sessionkit.servlet.internal.SessionRequestWrapper;
import dev.sessionkit.servlet.internal.StoreFailureLog;
import dev.sessionkit.servlet.internal.StoreFailureResponse;
import dev.sessionkit.servlet.internal.StoreLoader;
import dev.sessionkit.spi.Stores;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet filter that runs an application's sessions on Sessionkit: the {@code HttpSession} that
 * {@code request.getSession()} returns is a Sessionkit session kept in the configured store (never
 * the container's), carried in hardened cookies, with remember-me and server-side logout.
 *
 * <p>Register it in {@code web.xml} (every init-param is optional; see docs/servlet.md for the
 * table of names, defaults and accepted values):
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>sessions</filter-name>
 *   <filter-class>dev.sessionkit.servlet.SessionFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>idle-timeout</param-name><param-value>PT15M</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>sessions</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher><dispatcher>FORWARD</dispatcher>
 *   <dispatcher>INCLUDE</dispatcher><dispatcher>ERROR</dispatcher><dispatcher>ASYNC</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * <p>or construct it around a ready {@link SessionManager} and add it with {@code
 * ServletContext.addFilter(name, new SessionFilter(manager))}; its init-params then set only the
 * cookie and cache settings (the manager's own settings are refused there).
 *
 * <p>A bad init-param value or a contradiction fails {@link #init} with a {@link ServletException}
 * that names the init-param and what it accepts, so the application refuses to start. Application
 * code logs users in and out with {@link Sessions}. If the store fails, the request is answered
 * with 503 and a short plain body, and no session is granted; the cause is logged once per burst of
 * failures.
 *
 * <p>Defences beyond the cookies: guessing detection counts unknown session tokens, forged
 * remember-me values and malformed cookies per client address and reports (or, configured, refuses
 * with 429) an address past a threshold ({@link GuessingDetection}, init-params {@code
 * guessing-*}); the client address is {@code getRemoteAddr()} or, behind the proxies the
 * init-param {@code trusted-proxies} lists, the address those proxies appended to {@code
 * X-Forwarded-For}; the init-param {@code clear-site-data} (such as {@code cookies}) adds a {@code
 * Clear-Site-Data} header to logout responses. Only the cookie carries a token: no URL, path
 * parameter, form field or other header is ever read as one, and {@code encodeURL} returns its
 * argument unchanged.
 *
 * <p>One instance serves concurrent requests.
 */
public final class SessionFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(SessionFilter.class);

  private final SessionManager givenManager;
  private final GuessingDetection givenDetection;
  private volatile FilterContext context;
  private Stores createdStore;
  private PurgeScheduler purger;

  /** Creates a filter configured by its init-params ({@code web.xml}). */
  public SessionFilter() {
    this.givenManager = null;
    this.givenDetection = null;
  }

  /**
   * Creates a filter around a ready manager (its store, timeouts and clock); the init-params may
   * still set the cookie attributes and {@code cache-control-no-store}. The filter does not close
   * the manager's store.
   *
   * @param manager the manager whose sessions the filter serves
   */
  public SessionFilter(SessionManager manager) {
    this(manager, GuessingDetection.defaults());
  }

  /**
   * Creates a filter around a ready manager with the given guessing detection; the {@code
   * guessing-*} init-params, if any, override single settings of it.
   *
   * @param manager the manager whose sessions the filter serves
   * @param guessingDetection how failed session lookups per client address are counted and
   *     answered
   */
  public SessionFilter(SessionManager manager, GuessingDetection guessingDetection) {
    this.givenManager = Objects.requireNonNull(manager, "manager");
    this.givenDetection = Objects.requireNonNull(guessingDetection, "guessingDetection");
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    String name = config.getFilterName() == null ? "SessionFilter" : config.getFilterName();
    Map<String, String> params = new LinkedHashMap<>();
    for (Enumeration<String> e = config.getInitParameterNames(); e != null && e.hasMoreElements(); ) {
      String param = e.nextElement();
      String value = config.getInitParameter(param);
      params.put(param, value == null ? "" : value);
    }
    try {
      ServletContext servletContext = config.getServletContext();
      ContainerSessionUrls.keepOutOfUrls(servletContext);
      FilterSettings settings = FilterSettings.parse(params, givenManager != null,
          contextPath(servletContext), sessionTimeout(servletContext));
      ServletSessionListeners listeners = ServletSessionListeners.load(
          FilterSettings.HTTP_SESSION_LISTENERS, settings.httpSessionListeners(), loader());
      SessionManager manager = givenManager;
      if (manager == null) {
        List<SessionListener> sessionListeners = ListenerClasses.sessionListeners(
            FilterSettings.SESSION_LISTENER, settings.sessionListeners(), loader());
        List<SessionManagerCustomizer> customizers = ListenerClasses.customizers(
            FilterSettings.MANAGER_CUSTOMIZER, settings.managerCustomizers(), loader());
        Map<String, String> storeSettings = new LinkedHashMap<>(params);
        storeSettings.put(FilterSettings.STORE, settings.store());
        createdStore = StoreLoader.open(settings.store(), Map.copyOf(storeSettings), loader());
        SessionManager.Builder builder = SessionManager.builder()
            .config(settings.sessionConfig()).stores(createdStore);
        sessionListeners.forEach(builder::listener);
        SessionListener ends = listeners.endsWithoutARequest(servletContext);
        if (ends != null) {
          builder.listener(ends);
        }
        customizers.forEach(c -> c.customize(builder));
        manager = builder.build();
      }
      StoreFailureLog failures = new StoreFailureLog(manager.clock(), name);
      context = new FilterContext(this, name, manager, settings.cookies(),
          settings.cacheControlNoStore(), failures, listeners,
          FilterSecurity.parse(params, givenDetection, manager));
      purger = PurgeScheduler.start(manager, failures, name);
      LoggingCheck.warning(name).ifPresent(message -> log(config, message));
      if (!settings.cookies().secure()) {
        LOG.warn("SessionFilter {}: cookie-secure=false, session cookies will travel over plain"
            + " HTTP; use this only for local development", name);
      }
      LOG.info("SessionFilter {} ready: cookie {} (Path={}), store {}, {}, idle timeout from {},"
          + " session listeners {}, manager customizers {}, bridged servlet listeners {}", name,
          settings.cookies().sessionName(), settings.cookies().path(),
          manager.store().getClass().getSimpleName(),
          manager.config(), givenManager != null ? "the given manager"
              : settings.idleTimeoutSource(),
          settings.sessionListeners(), settings.managerCustomizers(), listeners.classNames());
      if (!context.security().proxies().isEmpty()) {
        LOG.info("SessionFilter {}: behind the trusted proxies {} the client address is read from"
            + " X-Forwarded-For, from the right", name, context.security().proxies());
      }
      if (givenManager != null && !listeners.isEmpty()) {
        LOG.info("SessionFilter {}: around a given SessionManager the bridged servlet listeners"
            + " hear the request path only, not sessions that time out or are revoked without a"
            + " request", name);
      }
    } catch (IllegalArgumentException e) {
      closeCreatedStore();
      throw new ServletException("SessionFilter " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    FilterContext ctx = context;
    if (ctx == null) {
      throw new ServletException("SessionFilter is not initialised");
    }
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Optional<RequestSession> existing = RequestSession.of(request);
    if (existing.isPresent()) {
      redispatch(existing.get(), request, response, chain);
      return;
    }
    String client = ctx.security().clientAddress(request);
    if (ctx.security().guessing().refuse(client, response)) {
      return; // an address in its guessing cool-down: 429, no store access
    }
    RequestSession state = new RequestSession(ctx, request, response, client);
    try {
      serve(ctx, state, client, request, response, chain);
    } finally {
      if (!request.isAsyncStarted()) {
        state.finished(); // else when the async work ends
      }
    }
  }

  private void serve(FilterContext ctx, RequestSession state, String client,
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      state.resolve();
    } catch (SessionStoreException e) {
      StoreFailureResponse.failClosed(ctx, state, response, "resolving a request's session", e);
      return;
    }
    ctx.security().guessing().afterResolve(client, state);
    if (state.containerLoginEnded()) {
      signInAgain(state, request, response);
      return;
    }
    try {
      CommitGuardResponse guarded = new CommitGuardResponse(response, state);
      chain.doFilter(new SessionRequestWrapper(request, state, guarded), guarded);
    } catch (IOException | ServletException | RuntimeException e) {
      if (!failedClosed(ctx, state, response, e)) {
        throw e;
      }
      return;
    }
    try {
      state.requestEnded();
    } catch (SessionStoreException e) {
      StoreFailureResponse.failClosed(ctx, state, response, "saving attributes changed in place",
          e);
      return;
    }
    if (state.touchedStore()) {
      ctx.failures().succeeded();
    }
  }

  /**
   * A forward, include, error or async dispatch of a request that a SessionFilter handles. The
   * attribute values changed in place are saved and the session's headers made present on entry
   * (the container may have reset the response before an error page) and on exit, before the
   * container finishes the response beneath every wrapper (Tomcat 11 after a forward, the end of
   * an async dispatch). A store failure in a FORWARD or INCLUDE goes on to the dispatch around it;
   * in an ERROR or ASYNC dispatch, which the container started itself after the REQUEST dispatch
   * returned, it is answered here as there: 503 while the response has not committed.
   */
  private void redispatch(RequestSession state, HttpServletRequest request,
      HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    if (state.context().owner() != this) {
      // Another SessionFilter mapped to an enclosing path handles this request: it wins.
      chain.doFilter(request, response);
      return;
    }
    HttpServletResponse res = response instanceof CommitGuardResponse
        ? response : new CommitGuardResponse(response, state);
    HttpServletRequest req = request instanceof SessionRequestWrapper
        ? request : new SessionRequestWrapper(request, state, res);
    DispatcherType type = request.getDispatcherType();
    if (type != DispatcherType.ASYNC && type != DispatcherType.ERROR) {
      // a FORWARD or INCLUDE: the dispatch around it answers a failure, ours included; after
      // this filter's own dispatch returned (a filter in front of it forwards), the request is
      // live again until this one returns
      boolean reopened = state.dispatching();
      try {
        state.beforeCommit();
        chain.doFilter(req, res);
        state.beforeCommit();
      } finally {
        if (reopened && !request.isAsyncStarted()) {
          state.finished();
        }
      }
      return;
    }
    state.dispatching();
    try {
      serveDispatch(state, request, response, chain, req, res);
    } finally {
      if (!request.isAsyncStarted()) {
        state.finished(); // else when the async work ends
      }
    }
  }

  /** An ERROR or ASYNC dispatch of a request that this filter handles. */
  private static void serveDispatch(RequestSession state, HttpServletRequest request,
      HttpServletResponse response, FilterChain chain, HttpServletRequest req,
      HttpServletResponse res) throws IOException, ServletException {
    FilterContext ctx = state.context();
    try {
      state.dispatchStarted(request.getDispatcherType() == DispatcherType.ERROR);
    } catch (SessionStoreException e) {
      StoreFailureResponse.failClosed(ctx, state, response,
          "saving attributes changed in place before a dispatch", e);
      return;
    }
    try {
      chain.doFilter(req, res);
    } catch (IOException | ServletException | RuntimeException e) {
      if (!failedClosed(ctx, state, response, e)) {
        throw e;
      }
      return;
    }
    try {
      state.requestEnded();
    } catch (SessionStoreException e) {
      StoreFailureResponse.failClosed(ctx, state, response, "saving attributes changed in place",
          e);
    }
  }

  /**
   * Answers a store failure that {@code e} carries ({@link StoreFailureResponse#failClosed}) and
   * returns whether the 503 went out; otherwise (any other failure) saves the in-place changes and
   * writes the session's headers and returns false, for the caller to rethrow {@code e}. The
   * application's own failure wins over a failure to save after it: that one is logged and the
   * request's session abandoned, never thrown in place of the application's.
   */
  private static boolean failedClosed(FilterContext ctx, RequestSession state,
      HttpServletResponse response, Exception e) throws IOException {
    SessionStoreException failure = StoreFailureResponse.find(e);
    if (failure != null) {
      return StoreFailureResponse.failClosed(ctx, state, response,
          "serving a request's session", failure);
    }
    try {
      state.dispatchFailed();
    } catch (SessionStoreException saving) {
      ctx.failures().failed("saving attributes changed in place by a request that failed",
          saving);
      state.abandon();
    }
    return false;
  }

  /**
   * The container let this request in on a login whose Sessionkit session had ended (logged out
   * elsewhere, timed out, revoked); that login is ended now. A GET or HEAD is sent to the same URL,
   * where the container asks for a login again if the page needs one; anything else gets 403.
   */
  private static void signInAgain(RequestSession state, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    state.beforeCommit();
    String method = request.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      String query = request.getQueryString();
      response.setStatus(HttpServletResponse.SC_SEE_OTHER);
      response.setHeader("Location", request.getRequestURI() + (query == null ? "" : "?" + query));
      response.setHeader("Cache-Control", "no-store");
      return;
    }
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write("Your session has ended: sign in again.\n");
  }

  @Override
  public void destroy() {
    if (purger != null) {
      purger.close();
      purger = null;
    }
    closeCreatedStore();
  }

  private void closeCreatedStore() {
    Stores store = createdStore;
    createdStore = null;
    if (store != null) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the session store failed", e);
      }
    }
  }

  /** The application's session-timeout in minutes, where the container tells it. */
  private static OptionalInt sessionTimeout(ServletContext servletContext) {
    if (servletContext == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(servletContext.getSessionTimeout());
    } catch (UnsupportedOperationException e) {
      return OptionalInt.empty();
    }
  }

  private static void log(FilterConfig config, String message) {
    ServletContext servletContext = config.getServletContext();
    if (servletContext != null) {
      servletContext.log(message);
    }
  }

  private static String contextPath(ServletContext servletContext) {
    String path = servletContext == null ? null : servletContext.getContextPath();
    return path == null ? "" : path;
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : SessionFilter.class.getClassLoader();
  }

  @Override
  public String toString() {
    FilterContext ctx = context;
    return "SessionFilter[" + (ctx == null ? "not initialised" : ctx.name()) + "]";
  }
}
