// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import java.security.Principal;
import java.util.Objects;

/** The principal of a Sessionkit session, as {@code getUserPrincipal()} reports it. */
public final class SessionPrincipal implements Principal {

  private final String name;

  public SessionPrincipal(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionPrincipal p && p.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "SessionPrincipal[" + name + "]";
  }
}
