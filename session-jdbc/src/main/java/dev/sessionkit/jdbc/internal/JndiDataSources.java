// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.sql.DataSource;

/** Looks a {@link DataSource} up by its JNDI name (a container-managed, pooled one). */
public final class JndiDataSources {

  private JndiDataSources() {}

  /**
   * Returns the DataSource bound at {@code name}, such as {@code java:comp/env/jdbc/sessions}.
   *
   * @throws IllegalArgumentException if nothing, or something else, is bound there, or JNDI is
   *     not available; the message names the setting {@code setting}
   */
  public static DataSource lookup(String name, String setting) {
    Object bound;
    try {
      InitialContext context = new InitialContext();
      try {
        bound = context.lookup(name);
      } finally {
        context.close();
      }
    } catch (NameNotFoundException e) {
      throw new IllegalArgumentException(setting + ": no DataSource is bound at JNDI name '"
          + name + "'", e);
    } catch (NamingException e) {
      throw new IllegalArgumentException(setting + ": JNDI lookup of '" + name + "' failed ("
          + e.getClass().getSimpleName() + "); is the application running in a container that"
          + " provides JNDI?", e);
    }
    if (bound instanceof DataSource dataSource) {
      return dataSource;
    }
    throw new IllegalArgumentException(setting + ": JNDI name '" + name + "' is bound to "
        + (bound == null ? "null" : "a " + bound.getClass().getName())
        + ", not a javax.sql.DataSource");
  }
}
