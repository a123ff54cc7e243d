// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionListener;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the compatibility app's listeners heard, in order (one JVM: the containers load the test
 * classes from the class path, so the test reads the same list).
 */
public final class CompatEvents {

  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();
  /** The sessions {@link ServletListener} was told of and not yet told ended, by id. */
  private static final Map<String, HttpSession> LIVE = new ConcurrentHashMap<>();
  private static final ThreadLocal<Boolean> REFUSE_NEXT = new ThreadLocal<>();
  private static final ThreadLocal<Map<String, java.util.function.Consumer<HttpSession>>>
      REENTER = ThreadLocal.withInitial(java.util.HashMap::new);

  private CompatEvents() {}

  /** Returns the events so far. */
  public static List<String> all() {
    return List.copyOf(EVENTS);
  }

  /** Returns the events so far that mention {@code sessionId}. */
  public static List<String> of(String sessionId) {
    return EVENTS.stream().filter(e -> e.contains(sessionId)).toList();
  }

  /**
   * Makes {@link ServletListener} invalidate the next session created on this thread, as a
   * listener that turns sessions away (a bot filter) does.
   */
  public static void refuseNextSession() {
    REFUSE_NEXT.set(Boolean.TRUE);
  }

  /**
   * Returns the {@code HttpSession} that {@link ServletListener} was given when the session with
   * this id was created (an "active users" page keeps them so), or null once it heard it ended.
   */
  public static HttpSession live(String sessionId) {
    return LIVE.get(sessionId);
  }

  /**
   * Makes {@link ServletListener} run {@code action} with the event's session when it is next
   * told {@code event} ({@code created} or {@code idChanged}) on this thread, once: a listener
   * that calls back into the session or the request (through a request it reached, as listeners
   * of web frameworks do through a thread-bound request).
   */
  public static void onNext(String event, java.util.function.Consumer<HttpSession> action) {
    REENTER.get().put(event, action);
  }

  /** Forgets what {@link #onNext} set on this thread and not yet run. */
  public static void forgetOnNext() {
    REENTER.remove();
  }

  private static void reenter(String event, HttpSession session) {
    java.util.function.Consumer<HttpSession> action = REENTER.get().remove(event);
    if (action != null) {
      action.accept(session);
    }
  }

  /** Forgets the events. */
  public static void clear() {
    EVENTS.clear();
  }

  private static String attributes(HttpSession session) {
    try {
      return new TreeSet<>(Collections.list(session.getAttributeNames())).toString();
    } catch (IllegalStateException ended) {
      return "ended";
    }
  }

  /** The app's servlet session listener, named by the http-session-listeners init-param. */
  public static final class ServletListener
      implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {

    @Override
    public void sessionCreated(HttpSessionEvent se) {
      EVENTS.add("created " + se.getSession().getId());
      LIVE.put(se.getSession().getId(), se.getSession());
      if (REFUSE_NEXT.get() != null) {
        REFUSE_NEXT.remove();
        se.getSession().invalidate();
      }
      reenter("created", se.getSession());
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      EVENTS.add("destroyed " + se.getSession().getId() + " " + attributes(se.getSession()));
      LIVE.remove(se.getSession().getId());
      try {
        se.getSession().invalidate(); // a careless listener: must not end any other session
        EVENTS.add("invalidated again " + se.getSession().getId());
      } catch (IllegalStateException expected) {
        // the session has already ended
      }
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent se, String oldSessionId) {
      EVENTS.add("idChanged " + se.getSession().getId() + " from " + oldSessionId);
      reenter("idChanged", se.getSession());
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent e) {
      EVENTS.add("added " + e.getName() + "=" + e.getValue() + " " + e.getSession().getId());
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent e) {
      EVENTS.add("replaced " + e.getName() + " old=" + e.getValue() + " new="
          + e.getSession().getAttribute(e.getName()) + " " + e.getSession().getId());
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent e) {
      EVENTS.add("removed " + e.getName() + "=" + e.getValue() + " " + e.getSession().getId());
    }
  }

  /** A servlet session listener that fails on every event. */
  public static final class FailingListener implements HttpSessionListener {
    @Override
    public void sessionCreated(HttpSessionEvent se) {
      throw new IllegalStateException("listener bug");
    }
  }

  /** A Sessionkit listener (audit, metrics), named by the session-listener init-param. */
  public static final class ManagerListener implements SessionListener {
    @Override
    public void onEvent(SessionEvent event) {
      EVENTS.add("manager " + event.type() + " " + event.sessionId().orElse("-"));
    }
  }

  /** A Sessionkit listener without a public no-argument constructor: refused at init. */
  public static final class NeedsArgumentListener implements SessionListener {
    public NeedsArgumentListener(String label) {
      // a label the filter cannot supply
    }

    @Override
    public void onEvent(SessionEvent event) {}
  }

  /** An attribute value that wants to know when it is bound and unbound. */
  public static final class BoundValue implements HttpSessionBindingListener, Serializable {
    private static final long serialVersionUID = 1L;
    private final String label;

    BoundValue(String label) {
      this.label = label;
    }

    @Override
    public void valueBound(HttpSessionBindingEvent e) {
      EVENTS.add("bound " + e.getName() + " " + e.getSession().getId());
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent e) {
      EVENTS.add("unbound " + e.getName() + " " + e.getSession().getId());
    }

    @Override
    public String toString() {
      return "BoundValue(" + label + ")";
    }
  }
}
