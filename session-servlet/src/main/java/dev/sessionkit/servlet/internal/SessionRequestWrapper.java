// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;

/**
 * The request that the application sees: its session API is served by Sessionkit, never by the
 * container. {@code getRemoteUser()}/{@code getUserPrincipal()} report the session's principal
 * (or, without one, whatever the container authenticated itself, such as HTTP Basic). The
 * container's own login methods keep working and are tied to the session: {@code login(user,
 * password)} and a successful {@code authenticate(response)} let the container check the
 * credentials and then log the session in (a token rotation, as {@code Sessions.login}); {@code
 * logout()} logs the session out and ends the container's login and session, and never fails
 * because the container had nothing to log out. The requested session id is the public id of the
 * session the cookie resolved to ({@code null} when it resolved to none), never a token.
 */
public final class SessionRequestWrapper extends HttpServletRequestWrapper {

  private final RequestSession state;
  private final HttpServletResponse response;

  /**
   * @param response the response wrapper the filter passes down beside this request, which a
   *     no-argument {@link #startAsync()} hands to the async context
   */
  public SessionRequestWrapper(HttpServletRequest request, RequestSession state,
      HttpServletResponse response) {
    super(request);
    this.state = state;
    this.response = response;
  }

  /** Returns the session state of the request this wraps. */
  RequestSession state() {
    return state;
  }

  /**
   * Starts async processing as the container does without arguments (so {@code
   * AsyncContext.dispatch()} goes where it goes without the filter, and {@code
   * hasOriginalRequestAndResponse()} is true), but the context's {@code getRequest()} and {@code
   * getResponse()} are this request and the filter's response wrapper rather than the container's
   * originals, so that code on the async thread ({@code asyncContext.getRequest().getSession()})
   * reaches the Sessionkit session, never a container session with its own cookie.
   */
  @Override
  public AsyncContext startAsync() {
    return state.asyncStarted(super.startAsync(), this, response);
  }

  /**
   * Starts async processing as the container does, and returns a context whose {@code complete()}
   * saves the session's in-place changes and writes its headers before the container finishes the
   * response.
   */
  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    return state.asyncStarted(super.startAsync(request, response));
  }

  /** Returns the context {@link #startAsync()} returned (the one that saves on completion). */
  @Override
  public AsyncContext getAsyncContext() {
    return state.asyncContext(super.getAsyncContext());
  }

  @Override
  public HttpSession getSession(boolean create) {
    return state.httpSession(create);
  }

  @Override
  public HttpSession getSession() {
    return state.httpSession(true);
  }

  @Override
  public String changeSessionId() {
    return state.renew();
  }

  @Override
  public String getRequestedSessionId() {
    return state.requestedSessionId();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return state.isRequestedSessionIdValid();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return state.requestedSessionId() != null;
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }

  @Override
  public String getRemoteUser() {
    String principal = state.principal();
    return principal != null ? principal : super.getRemoteUser();
  }

  @Override
  public Principal getUserPrincipal() {
    String principal = state.principal();
    return principal != null ? new SessionPrincipal(principal) : super.getUserPrincipal();
  }

  @Override
  public String getAuthType() {
    return state.principal() != null ? HttpServletRequest.FORM_AUTH : super.getAuthType();
  }

  /**
   * Lets the container check the credentials with its realm (a {@link ServletException} if they
   * are wrong or the container cannot log in), then logs the session in as the container's
   * principal, rotating its token. If that fails (the response has committed, the store fails, the
   * principal is at its session cap), the container's login is ended before the exception is
   * thrown: the request never runs as a user whose session is not signed in.
   */
  @Override
  public void login(String username, String password) throws ServletException {
    super.login(username, password);
    try {
      state.containerLoggedIn();
    } catch (RuntimeException e) {
      state.containerLoginRefused();
      throw e;
    }
  }

  /** Lets the container authenticate; a login it keeps in its session is adopted as above. */
  @Override
  public boolean authenticate(HttpServletResponse response) throws IOException, ServletException {
    boolean authenticated = super.authenticate(response);
    if (authenticated) {
      state.adoptContainerLogin();
    }
    return authenticated;
  }

  /** Logs the session out and ends the container's own login and session, if any. */
  @Override
  public void logout() {
    state.logout();
  }
}
