// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.SessionConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's command-line options; each is {@code --name=value} or {@code --name value}:
 *
 * <pre>
 * --port=8080                 0 picks a free port
 * --bind=127.0.0.1            the address to listen on (0.0.0.0: every interface)
 * --store=memory              or redis://host:port, redis-cluster://host:port[,host:port...],
 *                             redis-sentinel://host:port[,...]#primary, or a JDBC URL
 * --idle-timeout=PT30M        ISO-8601 durations
 * --absolute-timeout=PT8H
 * --remember-me-lifetime=P30D
 * --max-anonymous-sessions=1000
 * --user=NAME:PASSWORD        repeatable; replaces the built-in users alice and bob
 * --help                      prints this to standard output
 * </pre>
 *
 * A bad option is a {@link BadOptionException} with a one-line message that never repeats a
 * password of the store location.
 *
 * @param help whether {@code --help} was given (the other options are then ignored)
 */
record DemoOptions(int port, String bind, String store, SessionConfig sessionConfig,
    int maxAnonymousSessions, Map<String, String> users, boolean help) {

  /** Thrown for a bad option; the message is one line that names the option. */
  static final class BadOptionException extends Exception {
    private static final long serialVersionUID = 1L;

    BadOptionException(String message) {
      super(message);
    }
  }

  static final String USAGE = """
      usage: java -jar session-demo.jar [options]
      Starts the Sessionkit demo web app and prints the URL to open (and generated passwords).
      Each option is --name=value or --name value.
        --port=8080                  TCP port; 0 picks a free one
        --bind=127.0.0.1             address to listen on; 0.0.0.0 listens on every interface
                                     (the demo prints passwords: keep the default unless needed)
        --store=memory               memory, redis://host:port, or a JDBC URL of PostgreSQL,
                                     MariaDB, MySQL or H2 (jdbc:postgresql://host/db?user=...)
        --idle-timeout=PT30M         ends a session after this much inactivity (ISO-8601)
        --absolute-timeout=PT8H      ends a session this long after sign-in, however active
        --remember-me-lifetime=P30D  lifetime of a remember-me cookie
        --max-anonymous-sessions=1000
                                     cap on live anonymous (cart) sessions; a twentieth of it,
                                     at least 1, per client address
        --user=NAME:PASSWORD         a user (repeatable); replaces the generated alice and bob
        --help                       prints this help
      """;

  static DemoOptions parse(List<String> args) throws BadOptionException {
    int port = 8080;
    String bind = "127.0.0.1";
    String store = "memory";
    int maxAnonymous = AnonymousSessions.DEFAULT_MAX;
    SessionConfig.Builder config = SessionConfig.builder();
    Map<String, String> users = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        return new DemoOptions(port, bind, store, SessionConfig.defaults(), maxAnonymous,
            Map.of(), true);
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new BadOptionException("bad argument '" + Redaction.redactLocations(arg)
            + "': options are --name=value or --name value; try --help");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new BadOptionException("--" + name + " needs a value (--" + name + "=VALUE or --"
            + name + " VALUE); try --help");
      }
      switch (name) {
        case "port" -> port = parsePort(value);
        case "bind" -> bind = parseBind(value);
        case "store" -> store = parseStore(value);
        case "idle-timeout" -> configure(() -> config.idleTimeout(parseDuration(name, value)));
        case "absolute-timeout" ->
            configure(() -> config.absoluteTimeout(parseDuration(name, value)));
        case "remember-me-lifetime" ->
            configure(() -> config.rememberMeLifetime(parseDuration(name, value)));
        case "max-anonymous-sessions" -> maxAnonymous = parseCount(name, value);
        case "user" -> {
          int colon = value.indexOf(':');
          if (colon < 1 || colon == value.length() - 1) {
            throw new BadOptionException("--user must be NAME:PASSWORD with both parts non-empty");
          }
          String user = value.substring(0, colon);
          if (!user.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new BadOptionException("--user name must be 1-64 letters, digits or ._@-: "
                + user.replaceAll("[^\\x21-\\x7e]", "?"));
          }
          users.put(user, value.substring(colon + 1));
        }
        default -> throw new BadOptionException("unknown option --"
            + name.replaceAll("[^\\x21-\\x7e]", "?") + "; try --help");
      }
    }
    return new DemoOptions(port, bind, store, build(config), maxAnonymous, Map.copyOf(users),
        false);
  }

  /** A setting of the session configuration, which may refuse the value. */
  private interface Setting {
    void apply() throws BadOptionException;
  }

  private static void configure(Setting setting) throws BadOptionException {
    try {
      setting.apply();
    } catch (IllegalArgumentException e) {
      throw new BadOptionException(rename(e.getMessage()));
    }
  }

  /** Checks the durations together, as the manager will (idle at most absolute, and so on). */
  private static SessionConfig build(SessionConfig.Builder config) throws BadOptionException {
    try {
      return config.build();
    } catch (IllegalArgumentException e) {
      throw new BadOptionException(rename(e.getMessage()));
    }
  }

  private static String rename(String message) {
    return message.replace("idleTimeout", "--idle-timeout")
        .replace("absoluteTimeout", "--absolute-timeout")
        .replace("rememberMeLifetime", "--remember-me-lifetime")
        .replace("touchInterval", "the touch interval")
        .replace("rememberMeGracePeriod", "the remember-me grace period");
  }

  private static int parsePort(String value) throws BadOptionException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new BadOptionException("--port must be a number from 0 to 65535 (0 picks a free port): "
        + printable(value));
  }

  private static String parseBind(String value) throws BadOptionException {
    if (value.matches("[0-9A-Za-z.:-]{1,253}")) {
      return value;
    }
    throw new BadOptionException("--bind must be an IP address or host name such as 127.0.0.1 or "
        + "0.0.0.0: " + printable(value));
  }

  private static int parseCount(String name, String value) throws BadOptionException {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new BadOptionException("--" + name + " must be a whole number of at least 1: "
        + printable(value));
  }

  private static String parseStore(String value) throws BadOptionException {
    if (value.equals("memory") || value.startsWith("redis://") || value.startsWith("rediss://")
        || value.startsWith("redis-cluster://") || value.startsWith("redis-sentinel://")
        || value.startsWith("jdbc:postgresql:") || value.startsWith("jdbc:mariadb:")
        || value.startsWith("jdbc:mysql:") || value.startsWith("jdbc:h2:")) {
      return value;
    }
    throw new BadOptionException("--store must be memory, redis://host:port,"
        + " redis-cluster://host:port[,host:port...], redis-sentinel://... or a JDBC URL of "
        + "PostgreSQL, MariaDB, MySQL or H2: "
        + printable(Redaction.redact(value, value).replaceAll("[?;].*", "")));
  }

  private static Duration parseDuration(String name, String value) throws BadOptionException {
    try {
      Duration d = Duration.parse(value);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // fall through to the message
    }
    throw new BadOptionException("--" + name + " must be a positive ISO-8601 duration such as "
        + "PT30M: " + printable(value));
  }

  private static String printable(String value) {
    String p = value.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 100 ? p.substring(0, 100) + "..." : p;
  }
}
