// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import dev.sessionkit.SaveMode;
import dev.sessionkit.SessionConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The filter's settings, parsed from its init-params. Session settings go through {@link
 * SessionConfig#builder()} (never around it), cookie settings through {@link CookieSettings}; a
 * bad value or a contradiction is an {@link IllegalArgumentException} whose message names the
 * init-param and what it accepts.
 *
 * @param cookies the cookie attributes
 * @param cacheControlNoStore whether authenticated responses get {@code Cache-Control: no-store}
 * @param sessionConfig the session settings, or {@code null} for a filter around a given manager
 * @param store the store location ({@code memory}, a location, or a factory class name), or {@code
 *     null} for a filter around a given manager
 * @param sessionListeners class names of {@code dev.sessionkit.SessionListener}s to attach to the
 *     manager ({@value #SESSION_LISTENER})
 * @param httpSessionListeners class names of the application's servlet session listeners to call
 *     ({@value #HTTP_SESSION_LISTENERS})
 * @param managerCustomizers class names of {@code dev.sessionkit.SessionManagerCustomizer}s to
 *     apply to the manager's builder ({@value #MANAGER_CUSTOMIZER})
 * @param idleTimeoutSource where the idle timeout came from, for the start-up log ({@code null}
 *     for a filter around a given manager)
 */
public record FilterSettings(CookieSettings cookies, boolean cacheControlNoStore,
    SessionConfig sessionConfig, String store, List<String> sessionListeners,
    List<String> httpSessionListeners, List<String> managerCustomizers,
    String idleTimeoutSource) {

  public static final String COOKIE_NAME = "cookie-name";
  public static final String COOKIE_PATH = "cookie-path";
  public static final String COOKIE_DOMAIN = "cookie-domain";
  public static final String COOKIE_SECURE = "cookie-secure";
  public static final String SAME_SITE = "same-site";
  public static final String IDLE_TIMEOUT = "idle-timeout";
  public static final String ABSOLUTE_TIMEOUT = "absolute-timeout";
  public static final String REMEMBER_ME_COOKIE_NAME = "remember-me-cookie-name";
  public static final String REMEMBER_ME_LIFETIME = "remember-me-lifetime";
  public static final String MAX_SESSIONS_PER_USER = "max-sessions-per-user";
  public static final String STORE = "store";
  public static final String CACHE_CONTROL_NO_STORE = "cache-control-no-store";
  /** Comma-separated {@code dev.sessionkit.SessionListener} classes attached to the manager. */
  public static final String SESSION_LISTENER = "session-listener";
  /** Comma-separated servlet session listener classes that the filter calls. */
  public static final String HTTP_SESSION_LISTENERS = "http-session-listeners";
  /** Comma-separated {@code dev.sessionkit.SessionManagerCustomizer} classes (metrics). */
  public static final String MANAGER_CUSTOMIZER = "manager-customizer";
  /** When attributes are written to the store: {@code on-set-attribute}, {@code on-get-attribute}
   * or {@code always} (see {@link SaveMode}). */
  public static final String SAVE_MODE = "save-mode";

  /** The store used when the {@code store} init-param is absent. */
  public static final String MEMORY = "memory";

  /** Init-params that configure the manager, so that a filter around a given one rejects them. */
  static final Set<String> MANAGER_PARAMS = Set.of(IDLE_TIMEOUT, ABSOLUTE_TIMEOUT,
      REMEMBER_ME_LIFETIME, MAX_SESSIONS_PER_USER, STORE, SESSION_LISTENER, MANAGER_CUSTOMIZER,
      SAVE_MODE);

  static final Set<String> ALL_PARAMS = Set.of(COOKIE_NAME, COOKIE_PATH, COOKIE_DOMAIN,
      COOKIE_SECURE, SAME_SITE, IDLE_TIMEOUT, ABSOLUTE_TIMEOUT, REMEMBER_ME_COOKIE_NAME,
      REMEMBER_ME_LIFETIME, MAX_SESSIONS_PER_USER, STORE, CACHE_CONTROL_NO_STORE,
      SESSION_LISTENER, HTTP_SESSION_LISTENERS, MANAGER_CUSTOMIZER, SAVE_MODE);

  /**
   * Returns the settings of {@code params} for an application at the root path whose container
   * declares no session timeout.
   */
  public static FilterSettings parse(Map<String, String> params, boolean aroundGivenManager) {
    return parse(params, aroundGivenManager, "", OptionalInt.empty());
  }

  /** Returns the settings of {@code params} for an application at the root path. */
  public static FilterSettings parse(Map<String, String> params, boolean aroundGivenManager,
      OptionalInt sessionTimeoutMinutes) {
    return parse(params, aroundGivenManager, "", sessionTimeoutMinutes);
  }

  /**
   * Returns the settings of {@code params} for an application at {@code contextPath} whose
   * container declares no session timeout.
   */
  public static FilterSettings parse(Map<String, String> params, boolean aroundGivenManager,
      String contextPath) {
    return parse(params, aroundGivenManager, contextPath, OptionalInt.empty());
  }

  /** How SessionConfig's messages name what the init-params call otherwise. */
  private static final Map<String, String> CONFIG_NAMES = new LinkedHashMap<>();

  static {
    CONFIG_NAMES.put("idleTimeout", IDLE_TIMEOUT);
    CONFIG_NAMES.put("absoluteTimeout", ABSOLUTE_TIMEOUT);
    CONFIG_NAMES.put("rememberMeLifetime", REMEMBER_ME_LIFETIME);
    CONFIG_NAMES.put("maxSessionsPerPrincipal", MAX_SESSIONS_PER_USER);
  }

  /**
   * Parses init-params. Values are trimmed (web.xml formatting); an empty value is an error (omit
   * the init-param to get its default).
   *
   * @param params the init-params by name
   * @param aroundGivenManager whether the filter was constructed around a ready manager: then the
   *     manager's settings ({@link #MANAGER_PARAMS}) are rejected
   * @param contextPath the application's context path ({@code ""} at the root), whose cookie
   *     defaults are that application's own ({@link CookieSettings#defaultsFor})
   * @param sessionTimeoutMinutes the application's {@code <session-config><session-timeout>} in
   *     minutes ({@code ServletContext.getSessionTimeout()}), the idle timeout when the {@value
   *     #IDLE_TIMEOUT} init-param is absent: bounded by the absolute timeout, and 0 or less (no
   *     idle timeout) means the absolute timeout alone
   */
  public static FilterSettings parse(Map<String, String> params, boolean aroundGivenManager,
      String contextPath, OptionalInt sessionTimeoutMinutes) {
    Map<String, String> p = new LinkedHashMap<>();
    params.forEach((k, v) -> p.put(k, v == null ? "" : v.strip()));
    p.forEach((name, value) -> {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("init-param " + name
            + " is empty; omit it to get its default");
      }
    });
    if (aroundGivenManager) {
      for (String name : p.keySet()) {
        if (MANAGER_PARAMS.contains(name)) {
          throw new IllegalArgumentException("init-param " + name + " does not apply to a"
              + " SessionFilter constructed around a SessionManager: set it in that manager's"
              + " SessionConfig or store");
        }
      }
    }
    String store = aroundGivenManager ? null : p.getOrDefault(STORE, MEMORY);
    boolean memory = store != null && store.equalsIgnoreCase(MEMORY);
    if (aroundGivenManager || memory) {
      // Nothing else reads the init-params, so an unknown one is a typo: refuse it.
      for (String name : p.keySet()) {
        if (!ALL_PARAMS.contains(name) && !FilterSecurity.PARAMS.contains(name)) {
          Set<String> accepted = new TreeSet<>(ALL_PARAMS);
          accepted.addAll(FilterSecurity.PARAMS);
          throw new IllegalArgumentException("unknown init-param " + name + "; accepted: "
              + accepted + (aroundGivenManager ? "" : " and, with a store"
                  + " factory, that factory's own settings"));
        }
      }
    }

    CookieSettings d = CookieSettings.defaultsFor(contextPath);
    CookieSettings cookies = new CookieSettings(
        p.getOrDefault(COOKIE_NAME, d.sessionName()),
        p.getOrDefault(REMEMBER_ME_COOKIE_NAME, d.rememberMeName()),
        p.getOrDefault(COOKIE_PATH, d.path()),
        p.get(COOKIE_DOMAIN),
        bool(p, COOKIE_SECURE, d.secure()),
        sameSite(p.getOrDefault(SAME_SITE, d.sameSite())));
    boolean noStore = bool(p, CACHE_CONTROL_NO_STORE, true);
    List<String> sessionListeners = p.containsKey(SESSION_LISTENER)
        ? ListenerClasses.names(SESSION_LISTENER, p.get(SESSION_LISTENER)) : List.of();
    List<String> httpListeners = p.containsKey(HTTP_SESSION_LISTENERS)
        ? ListenerClasses.names(HTTP_SESSION_LISTENERS, p.get(HTTP_SESSION_LISTENERS)) : List.of();
    List<String> customizers = p.containsKey(MANAGER_CUSTOMIZER)
        ? ListenerClasses.names(MANAGER_CUSTOMIZER, p.get(MANAGER_CUSTOMIZER)) : List.of();
    if (aroundGivenManager) {
      return new FilterSettings(cookies, noStore, null, null, sessionListeners, httpListeners,
          customizers, null);
    }

    SessionConfig.Builder b = SessionConfig.builder();
    Duration[] absolute = {SessionConfig.defaults().absoluteTimeout()};
    duration(p, ABSOLUTE_TIMEOUT, value -> {
      b.absoluteTimeout(value);
      absolute[0] = value;
    });
    String idleSource = "default";
    if (p.containsKey(IDLE_TIMEOUT)) {
      duration(p, IDLE_TIMEOUT, b::idleTimeout);
      idleSource = "init-param " + IDLE_TIMEOUT;
    } else if (sessionTimeoutMinutes.isPresent()) {
      idleSource = idleFromSessionTimeout(b, sessionTimeoutMinutes.getAsInt(), absolute[0]);
    }
    duration(p, REMEMBER_ME_LIFETIME, b::rememberMeLifetime);
    String max = p.get(MAX_SESSIONS_PER_USER);
    if (max != null) {
      int n;
      try {
        n = Integer.parseInt(max);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(MAX_SESSIONS_PER_USER
            + " accepts a whole number of at least 1 (omit it for no limit): "
            + CookieSettings.printable(max));
      }
      apply(MAX_SESSIONS_PER_USER, "a whole number of at least 1",
          () -> b.maxSessionsPerPrincipal(n));
    }
    String saveMode = p.get(SAVE_MODE);
    if (saveMode != null) {
      b.saveMode(saveMode(saveMode));
    }
    SessionConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(rename(e.getMessage()), e);
    }
    return new FilterSettings(cookies, noStore, config, memory ? MEMORY : store,
        sessionListeners, httpListeners, customizers, idleSource);
  }

  /**
   * Sets the idle timeout from the application's session-timeout (minutes) and returns how, for
   * the start-up log. The absolute timeout bounds it; 0 or less (sessions that never time out in
   * the container) leaves the absolute timeout alone to end sessions.
   */
  private static String idleFromSessionTimeout(SessionConfig.Builder b, int minutes,
      Duration absolute) {
    String source = "web.xml session-timeout " + minutes + " min";
    if (minutes <= 0) {
      b.idleTimeout(absolute);
      return source + " (none: the absolute timeout alone ends sessions)";
    }
    Duration idle = Duration.ofMinutes(minutes);
    if (idle.compareTo(absolute) > 0) {
      b.idleTimeout(absolute);
      return source + " (bounded by absolute-timeout " + absolute + ")";
    }
    b.idleTimeout(idle);
    return source;
  }

  /** Returns whether the store is the in-memory default. */
  public boolean memoryStore() {
    return MEMORY.equals(store);
  }

  private static boolean bool(Map<String, String> p, String name, boolean dflt) {
    String v = p.get(name);
    if (v == null) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(name + " accepts true or false: "
        + CookieSettings.printable(v));
  }

  private static SaveMode saveMode(String v) {
    for (SaveMode mode : SaveMode.values()) {
      if (mode.name().replace('_', '-').equalsIgnoreCase(v.replace('_', '-'))) {
        return mode;
      }
    }
    throw new IllegalArgumentException(SAVE_MODE + " accepts on-set-attribute, on-get-attribute"
        + " or always: " + CookieSettings.printable(v));
  }

  private static String sameSite(String v) {
    for (String s : List.of("Strict", "Lax", "None")) {
      if (s.equalsIgnoreCase(v)) {
        return s;
      }
    }
    throw new IllegalArgumentException(SAME_SITE + " accepts Strict, Lax or None: "
        + CookieSettings.printable(v));
  }

  private static void duration(Map<String, String> p, String name, Consumer<Duration> setter) {
    String v = p.get(name);
    if (v == null) {
      return;
    }
    Duration d;
    try {
      d = Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " accepts an ISO-8601 duration such as PT30M,"
          + " PT8H or P30D: " + CookieSettings.printable(v));
    }
    apply(name, "a positive ISO-8601 duration such as PT30M, PT8H or P30D",
        () -> setter.accept(d));
  }

  private static void apply(String name, String accepted, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " accepts " + accepted + "; " + rename(e.getMessage()),
          e);
    }
  }

  private static String rename(String message) {
    String m = message;
    for (Map.Entry<String, String> e : CONFIG_NAMES.entrySet()) {
      m = m.replace(e.getKey(), e.getValue());
    }
    return m;
  }
}
