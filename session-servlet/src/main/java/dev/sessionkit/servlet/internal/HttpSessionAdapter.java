// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.Session;
import dev.sessionkit.SessionEndedException;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Objects;

/**
 * The {@link HttpSession} that the request wrapper serves: a view of a Sessionkit {@link Session}.
 *
 * <ul>
 *   <li>Attributes go to the store at once, one attribute per write ({@code setAttribute}); a
 *       value changed in place without {@code setAttribute} is written back before the response
 *       commits, as the {@code save-mode} says ({@link dev.sessionkit.SaveMode}).
 *   <li>Listeners, as the container would call them: values that implement {@link
 *       HttpSessionBindingListener} are told when bound and unbound (not when set again to the
 *       same object), and the application's attribute listeners hear of each add, replace and
 *       removal ({@link ServletSessionListeners}).
 *   <li>{@code getId()} is the public session id, never the token; it stays the same across token
 *       rotations. {@code invalidate()} logs out on the server (and ends a container login).
 *   <li>{@code getLastAccessedTime()} is the last recorded access, which includes this request
 *       (recorded at most once per touch interval).
 *   <li>{@code setMaxInactiveInterval(s)} sets this session's own idle timeout in the store (kept
 *       on every store, and across renewals and logins); 0 or less removes it, and the absolute
 *       timeout still ends the session ({@code getMaxInactiveInterval()} is -1 then); a positive
 *       value up to the touch interval is raised just above it.
 * </ul>
 *
 * <p>Equal to another Sessionkit {@code HttpSession} of the same session id, so that listeners
 * that keep sessions in a set find the one they were given at creation.
 */
final class HttpSessionAdapter extends SessionkitHttpSession {

  private final RequestSession owner;
  private final ServletContext servletContext;
  private volatile Session session;
  private volatile boolean valid = true;
  private final boolean endedView;

  HttpSessionAdapter(RequestSession owner, Session session, ServletContext servletContext) {
    this(owner, session, servletContext, false);
  }

  private HttpSessionAdapter(RequestSession owner, Session session, ServletContext servletContext,
      boolean endedView) {
    this.owner = owner;
    this.session = session;
    this.servletContext = servletContext;
    this.endedView = endedView;
  }

  /**
   * Returns a view of a session that has just ended, for the listeners told of its end: its last
   * attributes are readable, a change fails as on any ended session, and {@code invalidate()}
   * throws (it must not end the request's current session).
   */
  static HttpSessionAdapter endedView(RequestSession owner, Session ended,
      ServletContext servletContext) {
    return new HttpSessionAdapter(owner, ended, servletContext, true);
  }

  String sessionId() {
    return session.id();
  }

  void rebind(Session rotated) {
    this.session = rotated;
  }

  void invalidated() {
    valid = false;
  }

  @Override
  public long getCreationTime() {
    return live().createdAt().toEpochMilli();
  }

  @Override
  public String getId() {
    return session.id();
  }

  @Override
  public long getLastAccessedTime() {
    return live().lastAccessedAt().toEpochMilli();
  }

  @Override
  public ServletContext getServletContext() {
    return servletContext;
  }

  /**
   * Sets this session's idle timeout in seconds; 0 or less: no idle timeout (the absolute timeout
   * still applies). Every int is accepted, as containers do: a positive interval not longer than
   * the manager's touch interval (accesses are recorded once per touch interval, so a shorter
   * idle timeout would end a session in use) becomes the shortest idle timeout the manager
   * accepts, the touch interval and a millisecond.
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    Session s = live();
    Duration asked = Duration.ofSeconds(interval);
    Duration shortest = owner.context().manager().config().touchInterval().plusMillis(1);
    Duration idle = interval > 0 && asked.compareTo(shortest) < 0 ? shortest : asked;
    write(() -> s.setIdleTimeout(idle));
  }

  /** Returns this session's idle timeout in seconds, or -1 if it has none. */
  @Override
  public int getMaxInactiveInterval() {
    Session s = live();
    return s.hasIdleTimeout() ? (int) Math.min(Integer.MAX_VALUE, s.idleTimeout().toSeconds())
        : -1;
  }

  @Override
  public Object getAttribute(String name) {
    return live().getAttribute(Objects.requireNonNull(name, "name")).orElse(null);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.enumeration(live().attributeNames());
  }

  @Override
  public void setAttribute(String name, Object value) {
    Objects.requireNonNull(name, "name");
    if (value == null) {
      removeAttribute(name);
      return;
    }
    Session s = live();
    Object old = s.getAttribute(name).orElse(null);
    if (old != value) {
      ServletSessionListeners.bound(this, name, value);
    }
    write(() -> s.putAttribute(name, value));
    if (old != value) {
      ServletSessionListeners.unbound(this, name, old);
    }
    ServletSessionListeners listeners = owner.context().listeners();
    if (old == null) {
      listeners.attributeAdded(this, name, value);
    } else {
      listeners.attributeReplaced(this, name, old);
    }
  }

  @Override
  public void removeAttribute(String name) {
    Objects.requireNonNull(name, "name");
    Session s = live();
    Object old = s.getAttribute(name).orElse(null);
    if (old == null) {
      return;
    }
    write(() -> s.removeAttribute(name));
    ServletSessionListeners.unbound(this, name, old);
    owner.context().listeners().attributeRemoved(this, name, old);
  }

  /**
   * Logs out on the server: {@code sessionDestroyed}, then {@code attributeRemoved} and {@code
   * valueUnbound} per attribute (see {@link RequestSession#logout}); a container login ends too.
   */
  @Override
  public void invalidate() {
    live();
    if (endedView) {
      throw new SessionEndedException("session " + session.id() + " has already ended");
    }
    owner.logout();
  }

  @Override
  public boolean isNew() {
    return owner.isNew(live());
  }

  private Session live() {
    if (!valid) {
      throw new SessionEndedException("the session has been invalidated");
    }
    return session;
  }

  private void write(Runnable change) {
    try {
      change.run();
    } catch (SessionEndedException e) {
      // The session ended meanwhile (revoked, expired): this HttpSession is invalid from now on,
      // and the exception (an IllegalStateException, as the Servlet API throws) reaches the app.
      valid = false;
      owner.sessionEnded(this);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "HttpSession[id=" + session.id() + (valid ? "" : ", invalidated") + "]";
  }
}
