// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.docapp;

import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.EnumSet;

/** The servlet guide's programmatic registration, run when the web application starts. */
public class ProgrammaticRegistration implements ServletContextListener {

  /** The store of the last application started, for the test to look into. */
  public static volatile InMemorySessionStore lastStore;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext servletContext = event.getServletContext();
    InMemorySessionStore myStore = InMemorySessionStore.create();
    lastStore = myStore;
    // example: servlet-programmatic
    SessionManager manager = SessionManager.builder().store(myStore).build();
    FilterRegistration.Dynamic sessions = servletContext.addFilter("sessions", new SessionFilter(manager));
    sessions.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    // end of example
  }
}
