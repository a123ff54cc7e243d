// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Why an init-param: the Servlet API gives a filter no way to list the listeners an application
 * declared (web.xml <listener>, @WebListener, ServletContext.addListener). Tomcat keeps them in
 * its StandardContext, behind the ServletContext facade; Jetty in its ServletContextHandler,
 * reachable only through Jetty's own API. Both call them only for their own sessions, which
 * Sessionkit replaces. So the application names the classes (http-session-listeners) and the
 * filter instantiates and calls them itself.
 *
 * What the request path fires (with the HttpSession the application sees): created when a
 * request starts a session (getSession(true), a login or a remember-me resume that starts one),
 * destroyed before invalidate()/logout() ends it (attributes still readable) and then
 * attributeRemoved for each attribute, attributeAdded/Replaced/Removed on setAttribute and
 * removeAttribute, idChanged on every token rotation. What happens without a request (a timeout
 * found by the purge or by a later request, a force logout, theft) arrives from the manager's
 * events: destroyed with a view that knows only the session id (the attributes are gone).
 */

/**
 * The application's {@link HttpSessionListener}s, {@link HttpSessionAttributeListener}s and {@link
 * HttpSessionIdListener}s that the filter calls for Sessionkit sessions, and the calls of {@link
 * HttpSessionBindingListener} values. A listener that throws is logged and skipped, as containers
 * do. Immutable and thread-safe.
 */
public final class ServletSessionListeners {

  private static final Logger LOG = LoggerFactory.getLogger(ServletSessionListeners.class);
  private static final List<Class<?>> ACCEPTED = List.of(HttpSessionListener.class,
      HttpSessionAttributeListener.class, HttpSessionIdListener.class);

  /** No listeners. */
  public static final ServletSessionListeners NONE = new ServletSessionListeners(List.of());

  private final List<EventListener> all;
  private final List<HttpSessionListener> lifecycle = new ArrayList<>();
  private final List<HttpSessionAttributeListener> attributes = new ArrayList<>();
  private final List<HttpSessionIdListener> ids = new ArrayList<>();

  private ServletSessionListeners(List<EventListener> listeners) {
    this.all = List.copyOf(listeners);
    for (EventListener l : all) {
      if (l instanceof HttpSessionListener s) {
        lifecycle.add(s);
      }
      if (l instanceof HttpSessionAttributeListener a) {
        attributes.add(a);
      }
      if (l instanceof HttpSessionIdListener i) {
        ids.add(i);
      }
    }
  }

  /**
   * Instantiates the named classes.
   *
   * @param param the init-param that named them, for messages
   * @throws IllegalArgumentException if a class is missing, of none of the three listener types,
   *     or cannot be instantiated with a public no-argument constructor
   */
  public static ServletSessionListeners load(String param, List<String> classNames, ClassLoader loader) {
    List<EventListener> listeners = new ArrayList<>();
    for (String name : classNames) {
      listeners.add((EventListener) ListenerClasses.instantiate(param, name, loader, ACCEPTED));
    }
    return new ServletSessionListeners(listeners);
  }

  /** Returns whether there is no listener. */
  public boolean isEmpty() {
    return all.isEmpty();
  }

  /** Returns the class names of the listeners, for the start-up log. */
  public List<String> classNames() {
    return all.stream().map(l -> l.getClass().getName()).toList();
  }

  /**
   * Returns a manager listener that delivers the ends the request path does not see (timeouts,
   * force logouts, theft) as {@code sessionDestroyed}, or {@code null} without session listeners.
   */
  public SessionListener endsWithoutARequest(ServletContext context) {
    if (lifecycle.isEmpty()) {
      return null;
    }
    return event -> {
      if ((event.type() == SessionEvent.Type.EXPIRED || event.type() == SessionEvent.Type.REVOKED)
          && event.sessionId().isPresent()) {
        destroyed(new EndedHttpSession(event.sessionId().get(), context));
      }
    };
  }

  void created(HttpSession session) {
    each(lifecycle, l -> l.sessionCreated(new HttpSessionEvent(session)));
  }

  void destroyed(HttpSession session) {
    each(lifecycle, l -> l.sessionDestroyed(new HttpSessionEvent(session)));
  }

  void idChanged(HttpSession session, String oldId) {
    each(ids, l -> l.sessionIdChanged(new HttpSessionEvent(session), oldId));
  }

  void attributeAdded(HttpSession session, String name, Object value) {
    each(attributes, l -> l.attributeAdded(new HttpSessionBindingEvent(session, name, value)));
  }

  /** {@code old} is the replaced value, as {@link HttpSessionBindingEvent#getValue()} says. */
  void attributeReplaced(HttpSession session, String name, Object old) {
    each(attributes, l -> l.attributeReplaced(new HttpSessionBindingEvent(session, name, old)));
  }

  void attributeRemoved(HttpSession session, String name, Object value) {
    each(attributes, l -> l.attributeRemoved(new HttpSessionBindingEvent(session, name, value)));
  }

  /** Tells {@code value}, if it is a binding listener, that it is bound to {@code session}. */
  static void bound(HttpSession session, String name, Object value) {
    if (value instanceof HttpSessionBindingListener listener) {
      each(List.of(listener), l -> l.valueBound(new HttpSessionBindingEvent(session, name, value)));
    }
  }

  /** Tells {@code value}, if it is a binding listener, that it was unbound from {@code session}. */
  static void unbound(HttpSession session, String name, Object value) {
    if (value instanceof HttpSessionBindingListener listener) {
      each(List.of(listener),
          l -> l.valueUnbound(new HttpSessionBindingEvent(session, name, value)));
    }
  }

  private static <T> void each(List<T> listeners, Consumer<T> call) {
    for (T listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.error("session listener {} threw; the other listeners still run",
            listener.getClass().getName(), e);
      }
    }
  }
}
