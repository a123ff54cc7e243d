// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import dev.sessionkit.SessionManager;
import jakarta.servlet.ServletContext;
import java.time.InstantSource;

/**
 * What the demo's servlets and filters share, kept in the servlet context by {@link DemoServer}.
 *
 * @param manager the session manager behind the session filter
 * @param users the user directory
 * @param throttle failed sign-ins per account and address
 * @param reasons why recent sessions ended
 * @param anonymous the cap on anonymous sessions
 * @param clock the clock the manager and the throttle read
 */
record DemoServices(SessionManager manager, UserDirectory users, LoginThrottle throttle,
    SignOutReasons reasons, AnonymousSessions anonymous, InstantSource clock) {

  /** The servlet context attribute that holds the services. */
  static final String ATTRIBUTE = DemoServices.class.getName();

  static DemoServices of(ServletContext context) {
    Object services = context.getAttribute(ATTRIBUTE);
    if (services instanceof DemoServices s) {
      return s;
    }
    throw new IllegalStateException("the demo's services are missing from the servlet context;"
        + " start the demo with DemoServer");
  }
}
