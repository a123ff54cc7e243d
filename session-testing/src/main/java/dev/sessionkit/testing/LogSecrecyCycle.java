// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.testing;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The program {@link LogSecrecyContract} runs in a JVM of its own, whose SLF4J binding logs every
 * line at TRACE to standard error: a full day of one user over the store that the {@code
 * key=value} arguments describe ({@code store=memory}, or a location and the settings of a {@link
 * SessionStoreFactory}). Afterwards it prints every secret it was handed (session tokens and
 * remember-me tokens), one per line, between marker lines on standard output.
 */
public final class LogSecrecyCycle {

  /** The line before the secrets. */
  public static final String BEGIN = "--- secrets ---";
  /** The line after the secrets. */
  public static final String END = "--- end of secrets ---";

  private LogSecrecyCycle() {}

  /**
   * Runs the cycle.
   *
   * @param args {@code key=value} settings; {@code store} is {@code memory} or a location
   */
  public static void main(String[] args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      settings.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    List<String> secrets;
    try (Stores stores = open(settings)) {
      secrets = day(stores);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(BEGIN);
    secrets.forEach(out::println);
    out.println(END);
  }

  private static Stores open(Map<String, String> settings) {
    String location = settings.get(SessionStoreFactory.LOCATION);
    if ("memory".equals(location)) {
      return Stores.of(InMemorySessionStore.create());
    }
    return SessionStoreFactory.forLocation(location, LogSecrecyCycle.class.getClassLoader())
        .orElseThrow(() -> new IllegalArgumentException("no store factory for " + location))
        .create(settings);
  }

  /**
   * Login with remember-me, attribute writes, rotation, a remember-me resume, a credential change,
   * a stolen cookie replayed (the theft alarm and force logout), a new login, logout, purge.
   */
  private static List<String> day(Stores stores) {
    MutableClock clock = MutableClock.startingNow();
    SessionManager manager = SessionManager.builder().stores(stores).clock(clock)
        .config(SessionConfig.builder().touchInterval(Duration.ZERO).build()).build();
    List<String> secrets = new ArrayList<>();
    ClientInfo browser = ClientInfo.of("198.51.100.23", "Mozilla/5.0 (LogSecrecyCycle)");

    IssuedSession visit = manager.startAnonymous(browser);
    secrets.add(visit.token());
    visit.session().putAttribute("cart", "book");
    IssuedSession login = manager.authenticate(visit.token(), "alice", browser, true);
    secrets.add(login.token());
    String firstRememberMe = login.rememberMe().orElseThrow().value();
    secrets.add(firstRememberMe);
    manager.resolve(login.token());
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    secrets.add(renewed.token());
    manager.resolve(login.token()); // the replaced token within its grace

    clock.advance(Duration.ofMinutes(45)); // the browser closed; the session timed out
    IssuedSession resumed = manager.resumeRememberMe(firstRememberMe, browser).issued()
        .orElseThrow();
    secrets.add(resumed.token());
    secrets.add(resumed.rememberMe().orElseThrow().value());
    Session session = manager.resolve(resumed.token()).orElseThrow();
    IssuedSession changed = manager.credentialsChanged(session);
    secrets.add(changed.token());
    changed.rememberMe().ifPresent(r -> secrets.add(r.value()));

    IssuedSession other = manager.authenticate("alice", ClientInfo.NONE, true);
    secrets.add(other.token());
    String copied = other.rememberMe().orElseThrow().value();
    secrets.add(copied);
    IssuedSession thief = manager.resumeRememberMe(copied, ClientInfo.NONE).issued()
        .orElseThrow();
    secrets.add(thief.token());
    secrets.add(thief.rememberMe().orElseThrow().value());
    clock.advance(Duration.ofMinutes(1));
    manager.resumeRememberMe(copied, browser); // the replaced value again: theft, force logout
    IssuedSession last = manager.authenticate("alice", browser, false);
    secrets.add(last.token());
    manager.logoutOthers(manager.resolve(last.token()).orElseThrow());
    manager.logoutAll("alice");

    IssuedSession again = manager.authenticate("alice", browser, true);
    secrets.add(again.token());
    secrets.add(again.rememberMe().orElseThrow().value());
    manager.logout(again.token());
    manager.forgetRememberMe(again.rememberMe().orElseThrow().value());
    clock.advance(Duration.ofDays(60));
    manager.purgeExpired();
    return secrets;
  }
}
