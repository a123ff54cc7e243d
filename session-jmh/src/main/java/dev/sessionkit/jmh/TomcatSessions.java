// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.io.IOException;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.session.StandardSession;

/**
 * Live sessions of Tomcat's {@link StandardManager}, driven without a running server: the manager
 * is started inside an engine / host / context chain whose context is never started (the manager
 * needs the chain for its JMX name and the context's session timeout, 30 minutes). Persistence
 * across restarts is off ({@code pathname} null). Each session is authenticated the way Tomcat's
 * authenticators record it: a {@link GenericPrincipal} and an auth type on the session.
 */
final class TomcatSessions {

  final StandardManager manager;
  final String[] ids;

  private TomcatSessions(int count) {
    this.manager = newManager();
    this.ids = new String[count];
  }

  /** Returns a started manager holding {@code count} sessions of user-0.. */
  static TomcatSessions authenticated(int count) {
    TomcatSessions sessions = new TomcatSessions(count);
    for (int i = 0; i < count; i++) {
      StandardSession session = (StandardSession) sessions.manager.createSession(null);
      session.setAuthType("FORM");
      session.setPrincipal(new GenericPrincipal("user-" + i));
      sessions.ids[i] = session.getIdInternal();
    }
    return sessions;
  }

  /**
   * Puts a fresh session object with {@code id} into the manager if that id is gone (after an
   * invalidation or expiry in a benchmark), created and last accessed at {@code createdAt}.
   */
  void restore(String id, long createdAt, String principal) throws IOException {
    if (manager.findSession(id) != null) {
      return;
    }
    StandardSession session = (StandardSession) manager.createEmptySession();
    session.setNew(true);
    session.setValid(true);
    session.setCreationTime(createdAt);
    session.setMaxInactiveInterval(manager.getContext().getSessionTimeout() * 60);
    session.setId(id);
    if (principal != null) {
      session.setAuthType("FORM");
      session.setPrincipal(new GenericPrincipal(principal));
    }
  }

  /** Returns a started manager without sessions. */
  static TomcatSessions empty() {
    return new TomcatSessions(0);
  }

  private static StandardManager newManager() {
    StandardEngine engine = new StandardEngine();
    engine.setName("bench");
    StandardHost host = new StandardHost();
    host.setName("localhost");
    engine.addChild(host);
    StandardContext context = new StandardContext();
    context.setName("bench");
    context.setPath("");
    context.setSessionTimeout(30);
    host.addChild(context);
    StandardManager manager = new StandardManager();
    manager.setPathname(null);
    context.setManager(manager);
    try {
      manager.start();
    } catch (LifecycleException e) {
      throw new IllegalStateException("Tomcat's StandardManager did not start", e);
    }
    return manager;
  }
}
