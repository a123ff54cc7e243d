// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The {@link AsyncContext} the application gets from {@code startAsync()} on a request the filter
 * serves: the container's own, except that {@link #complete()} first saves the attribute values
 * the application changed in place on its async thread and writes the session's headers (a store
 * failure is answered with 503 while it can be), because the container finishes the response
 * beneath every wrapper.
 *
 * <p>The application's {@code AsyncListener}s are told with events that carry this context (as
 * without the filter, they carry the one {@code startAsync} returned: a listener that keeps its
 * clients' contexts in a set finds the one to remove), so a completion from a listener passes
 * here too. A completion that still does not (through a context the application reached by
 * unwrapping) is caught by {@link #endListener()} after the response went out.
 *
 * <p>Started without arguments, the container's context is the one of the container's own request
 * and response (so {@code dispatch()} goes where it goes without the filter, and {@code
 * hasOriginalRequestAndResponse()} is true), while {@link #getRequest()} and {@link
 * #getResponse()} are the filter's wrappers: code on the async thread reaches the Sessionkit
 * session, never a container session.
 */
final class SessionAsyncContext implements AsyncContext {

  private final AsyncContext delegate;
  private final RequestSession state;
  /** The filter's request and response for a start without arguments; else null. */
  private final ServletRequest request;
  private final ServletResponse response;

  SessionAsyncContext(AsyncContext delegate, RequestSession state, ServletRequest request,
      ServletResponse response) {
    this.delegate = delegate;
    this.state = state;
    this.request = request;
    this.response = response;
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

  /**
   * Set while an application's {@code AsyncListener} is told of an event on the container's
   * thread: a {@link #complete()} there is the container's answer (to a timeout, an error) and
   * must not wait for another thread's store call.
   */
  private static final ThreadLocal<Boolean> IN_EVENT = new ThreadLocal<>();

  @Override
  public void complete() {
    if (Boolean.TRUE.equals(IN_EVENT.get())) {
      state.asyncCompletingForContainer();
    } else {
      state.asyncCompleting();
    }
    delegate.complete();
  }

  @Override
  public ServletRequest getRequest() {
    return request != null ? request : delegate.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return response != null ? response : delegate.getResponse();
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
    delegate.addListener(new Told(Objects.requireNonNull(listener, "listener"), state, request,
        response));
  }

  @Override
  public void addListener(AsyncListener listener, ServletRequest request,
      ServletResponse response) {
    delegate.addListener(new Told(Objects.requireNonNull(listener, "listener"), state, null, null),
        request, response);
  }

  /** Telling an application's listener of an event. */
  @FunctionalInterface
  private interface Telling {
    void run() throws IOException;
  }

  /**
   * An application's listener, told with events that carry the context the application was
   * given (the current {@link SessionAsyncContext} of the request, found when the event fires:
   * async may have started again since) and, for a start without arguments, the filter's request
   * and response as the supplied ones.
   */
  private record Told(AsyncListener listener, RequestSession state, ServletRequest request,
      ServletResponse response) implements AsyncListener {

    private AsyncEvent told(AsyncEvent event) {
      AsyncContext context = state.asyncContext(event.getAsyncContext());
      if (context == event.getAsyncContext() && request == null) {
        return event;
      }
      return new AsyncEvent(context, request != null ? request : event.getSuppliedRequest(),
          response != null ? response : event.getSuppliedResponse(), event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) throws IOException {
      listener.onComplete(told(event));
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      inContainerEvent(() -> listener.onTimeout(told(event)));
    }

    @Override
    public void onError(AsyncEvent event) throws IOException {
      inContainerEvent(() -> listener.onError(told(event)));
    }

    /** Runs {@code telling} with {@link #IN_EVENT} set (and cleared after, unless nested). */
    private static void inContainerEvent(Telling telling) throws IOException {
      Boolean outer = IN_EVENT.get();
      IN_EVENT.set(Boolean.TRUE);
      try {
        telling.run();
      } finally {
        if (outer == null) {
          IN_EVENT.remove();
        }
      }
    }

    @Override
    public void onStartAsync(AsyncEvent event) throws IOException {
      listener.onStartAsync(told(event));
    }
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
