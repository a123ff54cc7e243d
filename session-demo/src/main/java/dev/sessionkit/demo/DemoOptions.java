// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import dev.sessionkit.SessionConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's command-line options, all {@code --name=value}:
 *
 * <pre>
 * --port=8080                 0 picks a free port
 * --store=memory              or redis://host:port, or a JDBC URL (jdbc:postgresql://...)
 * --idle-timeout=PT30M        ISO-8601 durations
 * --absolute-timeout=PT8H
 * --remember-me-lifetime=P30D
 * --user=NAME:PASSWORD        repeatable; replaces the built-in users alice and bob
 * </pre>
 *
 * A bad option is a {@link BadOptionException} with a one-line message.
 */
record DemoOptions(int port, String store, Map<String, String> sessionParams,
    Map<String, String> users) {

  /** Thrown for a bad option; the message is one line that names the option. */
  static final class BadOptionException extends Exception {
    private static final long serialVersionUID = 1L;

    BadOptionException(String message) {
      super(message);
    }
  }

  static final String USAGE = "usage: java -jar session-demo.jar [--port=8080] [--store=memory|"
      + "redis://host:port|jdbc:...] [--idle-timeout=PT30M] [--absolute-timeout=PT8H] "
      + "[--remember-me-lifetime=P30D] [--user=NAME:PASSWORD ...]";

  static DemoOptions parse(List<String> args) throws BadOptionException {
    int port = 8080;
    String store = "memory";
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> users = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new BadOptionException(USAGE);
      }
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new BadOptionException("bad argument '" + arg + "': options are --name=value; "
            + "try --help");
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1);
      switch (name) {
        case "port" -> port = parsePort(value);
        case "store" -> store = parseStore(value);
        case "idle-timeout", "absolute-timeout", "remember-me-lifetime" -> {
          parseDuration(name, value);
          params.put(name, value);
        }
        case "user" -> {
          int colon = value.indexOf(':');
          if (colon < 1 || colon == value.length() - 1) {
            throw new BadOptionException("--user must be NAME:PASSWORD with both parts non-empty");
          }
          String user = value.substring(0, colon);
          if (!user.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new BadOptionException("--user name must be 1-64 letters, digits or ._@-: "
                + user);
          }
          users.put(user, value.substring(colon + 1));
        }
        default -> throw new BadOptionException("unknown option --" + name + "; try --help");
      }
    }
    checkTogether(params);
    return new DemoOptions(port, store, Map.copyOf(params), users);
  }

  /** Checks the durations together, as the filter will (idle at most absolute, and so on). */
  private static void checkTogether(Map<String, String> params) throws BadOptionException {
    SessionConfig.Builder config = SessionConfig.builder();
    try {
      if (params.containsKey("idle-timeout")) {
        config.idleTimeout(Duration.parse(params.get("idle-timeout")));
      }
      if (params.containsKey("absolute-timeout")) {
        config.absoluteTimeout(Duration.parse(params.get("absolute-timeout")));
      }
      if (params.containsKey("remember-me-lifetime")) {
        config.rememberMeLifetime(Duration.parse(params.get("remember-me-lifetime")));
      }
      config.build();
    } catch (IllegalArgumentException e) {
      throw new BadOptionException(e.getMessage().replace("idleTimeout", "--idle-timeout")
          .replace("absoluteTimeout", "--absolute-timeout")
          .replace("rememberMeLifetime", "--remember-me-lifetime")
          .replace("touchInterval", "the touch interval")
          .replace("rememberMeGracePeriod", "the remember-me grace period"));
    }
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
        + value);
  }

  private static String parseStore(String value) throws BadOptionException {
    if (value.equals("memory") || value.startsWith("redis://") || value.startsWith("rediss://")
        || value.startsWith("jdbc:postgresql:") || value.startsWith("jdbc:mariadb:")
        || value.startsWith("jdbc:mysql:") || value.startsWith("jdbc:h2:")) {
      return value;
    }
    throw new BadOptionException("--store must be memory, redis://host:port or a JDBC URL of "
        + "PostgreSQL, MariaDB, MySQL or H2: " + value.replaceAll("[?;].*", ""));
  }

  private static void parseDuration(String name, String value) throws BadOptionException {
    try {
      Duration d = Duration.parse(value);
      if (!d.isNegative() && !d.isZero()) {
        return;
      }
    } catch (DateTimeParseException e) {
      // fall through to the message
    }
    throw new BadOptionException("--" + name + " must be a positive ISO-8601 duration such as "
        + "PT30M: " + value);
  }
}
