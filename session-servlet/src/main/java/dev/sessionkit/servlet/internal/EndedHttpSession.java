// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The {@link HttpSession} handed to {@code sessionDestroyed} for a session that ended without a
 * request of its own (a timeout, a force logout): the store has already removed it, so only its
 * public id is known. It has no attributes; times and changes throw {@link
 * IllegalStateException}, as for any invalidated session.
 */
final class EndedHttpSession extends SessionkitHttpSession {

  private final String id;
  private final ServletContext context;

  EndedHttpSession(String id, ServletContext context) {
    this.id = id;
    this.context = context;
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  @Override
  public Object getAttribute(String name) {
    return null;
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.emptyEnumeration();
  }

  @Override
  public long getCreationTime() {
    throw ended();
  }

  @Override
  public long getLastAccessedTime() {
    throw ended();
  }

  @Override
  public void setMaxInactiveInterval(int interval) {
    throw ended();
  }

  @Override
  public int getMaxInactiveInterval() {
    throw ended();
  }

  @Override
  public void setAttribute(String name, Object value) {
    throw ended();
  }

  @Override
  public void removeAttribute(String name) {
    throw ended();
  }

  @Override
  public void invalidate() {
    throw ended();
  }

  @Override
  public boolean isNew() {
    throw ended();
  }

  private IllegalStateException ended() {
    return new IllegalStateException("session " + id + " has ended (timed out or revoked)");
  }

  @Override
  public String toString() {
    return "HttpSession[id=" + id + ", ended]";
  }
}
