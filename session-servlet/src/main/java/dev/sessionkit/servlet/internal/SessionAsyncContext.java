// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The {@link AsyncContext} the application gets from {@code startAsync()} on a request the filter
 * serves: the container's own, except that {@link #complete()} first saves the attribute values
 * the application changed in place on its async thread and writes the session's headers (a store
 * failure is answered with 503 while it can be), because the container finishes the response
 * beneath every wrapper. A completion that does not pass here (one through the context an {@code
 * AsyncListener} event carries) is caught by {@link #endListener()} after the response went out.
 */
final class SessionAsyncContext implements AsyncContext {

  private final AsyncContext delegate;
  private final RequestSession state;

  SessionAsyncContext(AsyncContext delegate, RequestSession state) {
    this.delegate = delegate;
    this.state = state;
  }

  boolean wraps(AsyncContext context) {
    return delegate == context;
  }

  /** Returns a listener that tells the request's session when the container ends async work. */
  AsyncListener endListener() {
    return new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        state.asyncEnded();
      }

      @Override
      public void onTimeout(AsyncEvent event) {}

      @Override
      public void onError(AsyncEvent event) {}

      @Override
      public void onStartAsync(AsyncEvent event) {
        // async started again (in an ASYNC dispatch): the new start registers its own listener
      }
    };
  }

  @Override
  public void complete() {
    state.asyncCompleting();
    delegate.complete();
  }

  @Override
  public ServletRequest getRequest() {
    return delegate.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return delegate.getResponse();
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return delegate.hasOriginalRequestAndResponse();
  }

  @Override
  public void dispatch() {
    delegate.dispatch();
  }

  @Override
  public void dispatch(String path) {
    delegate.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    delegate.dispatch(context, path);
  }

  @Override
  public void start(Runnable run) {
    delegate.start(run);
  }

  @Override
  public void addListener(AsyncListener listener) {
    delegate.addListener(listener);
  }

  @Override
  public void addListener(AsyncListener listener, ServletRequest request,
      ServletResponse response) {
    delegate.addListener(listener, request, response);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
    return delegate.createListener(type);
  }

  @Override
  public void setTimeout(long timeoutMillis) {
    delegate.setTimeout(timeoutMillis);
  }

  @Override
  public long getTimeout() {
    return delegate.getTimeout();
  }
}
