// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.Session;
import dev.sessionkit.SessionEndedException;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpSession} that the request wrapper serves: a view of a Sessionkit {@link Session}.
 *
 * <ul>
 *   <li>Attributes go to the store at once, one attribute per write ({@code setAttribute}); a
 *       value changed in place without {@code setAttribute} is not saved (as in Spring Session).
 *       Values that implement {@link HttpSessionBindingListener} are told when bound and unbound.
 *   <li>{@code getId()} is the public session id, never the token. {@code invalidate()} logs out
 *       on the server.
 *   <li>{@code getLastAccessedTime()} is the last recorded access, which includes this request
 *       (recorded at most once per touch interval).
 *   <li>Per-session timeouts are not supported: {@code setMaxInactiveInterval} accepts only the
 *       configured idle timeout and throws {@link UnsupportedOperationException} otherwise, rather
 *       than silently ignoring a shorter timeout that the application relies on.
 * </ul>
 */
final class HttpSessionAdapter implements HttpSession {

  private static final Logger LOG = LoggerFactory.getLogger(HttpSessionAdapter.class);
  private static final AtomicBoolean WARNED_MAX_INACTIVE = new AtomicBoolean();

  private final RequestSession owner;
  private final ServletContext servletContext;
  private volatile Session session;
  private volatile boolean valid = true;

  HttpSessionAdapter(RequestSession owner, Session session, ServletContext servletContext) {
    this.owner = owner;
    this.session = session;
    this.servletContext = servletContext;
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
   * Sessionkit has no per-session timeouts: the configured {@code idle-timeout} applies to every
   * session. So that code written for the container keeps working, a different value is ignored
   * (with one WARN line per JVM) rather than refused.
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    if ((long) interval != session.idleTimeout().toSeconds()
        && WARNED_MAX_INACTIVE.compareAndSet(false, true)) {
      LOG.warn("setMaxInactiveInterval({}) ignored: Sessionkit sessions have no per-session"
          + " timeout; configure idle-timeout on the SessionFilter (now {} s)", interval,
          session.idleTimeout().toSeconds());
    }
  }

  @Override
  public int getMaxInactiveInterval() {
    return (int) Math.min(Integer.MAX_VALUE, session.idleTimeout().toSeconds());
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
    if (value instanceof HttpSessionBindingListener listener) {
      listener.valueBound(new HttpSessionBindingEvent(this, name, value));
    }
    write(() -> s.putAttribute(name, value));
    if (old != value && old instanceof HttpSessionBindingListener listener) {
      listener.valueUnbound(new HttpSessionBindingEvent(this, name, old));
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
    if (old instanceof HttpSessionBindingListener listener) {
      listener.valueUnbound(new HttpSessionBindingEvent(this, name, old));
    }
  }

  @Override
  public void invalidate() {
    Session s = live();
    Map<String, Object> attributes = s.attributes();
    owner.logout();
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      if (e.getValue() instanceof HttpSessionBindingListener listener) {
        listener.valueUnbound(new HttpSessionBindingEvent(this, e.getKey(), e.getValue()));
      }
    }
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
