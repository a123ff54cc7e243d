// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.GuessingDetection;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The filter's defences beyond cookies and sessions: guessing detection, the {@code
 * Clear-Site-Data} header at logout and the proxies whose {@code X-Forwarded-For} tells the client
 * address, with the init-params that configure them.
 *
 * @param guessing the guessing detection of the filter
 * @param clearSiteData the {@code Clear-Site-Data} value sent with a logout response (such as
 *     {@code "cookies"}), or {@code null} for none
 * @param proxies the trusted proxies ({@link TrustedProxies#none()} unless configured)
 */
public record FilterSecurity(GuessingGuard guessing, String clearSiteData,
    TrustedProxies proxies) {

  public static final String GUESSING_DETECTION = "guessing-detection";
  public static final String GUESSING_THRESHOLD = "guessing-threshold";
  public static final String GUESSING_WINDOW = "guessing-window";
  public static final String GUESSING_COOL_DOWN = "guessing-cool-down";
  public static final String GUESSING_REFUSE = "guessing-refuse";
  public static final String GUESSING_MAX_ADDRESSES = "guessing-max-addresses";
  public static final String CLEAR_SITE_DATA = "clear-site-data";
  public static final String TRUSTED_PROXIES = "trusted-proxies";

  /** The init-params read here; none configures the manager. */
  static final Set<String> PARAMS = Set.of(GUESSING_DETECTION, GUESSING_THRESHOLD,
      GUESSING_WINDOW, GUESSING_COOL_DOWN, GUESSING_REFUSE, GUESSING_MAX_ADDRESSES,
      CLEAR_SITE_DATA, TRUSTED_PROXIES);

  private static final List<String> DIRECTIVES = List.of("cache", "cookies", "storage",
      "executionContexts", "clientHints", "prefetchCache", "prerenderCache", "*");

  /**
   * Reads the init-params of these defences (trimmed, not empty: {@link FilterSettings#parse}
   * checked that) on top of {@code given}, the detection a programmatic filter was constructed
   * with ({@code null}: the defaults). A bad value is an {@link IllegalArgumentException} whose
   * message names the init-param and what it accepts.
   */
  public static FilterSecurity parse(Map<String, String> params, GuessingDetection given,
      SessionManager manager) {
    GuessingDetection.Builder b = given == null ? GuessingDetection.builder() : given.toBuilder();
    Map<String, String> p = new HashMap<>();
    params.forEach((k, v) -> p.put(k, v == null ? "" : v.strip()));
    bool(p, GUESSING_DETECTION).ifPresent(b::enabled);
    bool(p, GUESSING_REFUSE).ifPresent(b::refuse);
    String threshold = p.get(GUESSING_THRESHOLD);
    if (threshold != null) {
      apply(GUESSING_THRESHOLD, "a whole number from 1 to " + GuessingDetection.MAX_THRESHOLD,
          threshold, () -> b.threshold(Integer.parseInt(threshold)));
    }
    String max = p.get(GUESSING_MAX_ADDRESSES);
    if (max != null) {
      apply(GUESSING_MAX_ADDRESSES, "a whole number from 1 to "
          + GuessingDetection.MAX_TRACKED_ADDRESSES, max,
          () -> b.maxTrackedAddresses(Integer.parseInt(max)));
    }
    String window = p.get(GUESSING_WINDOW);
    if (window != null) {
      apply(GUESSING_WINDOW, "a positive ISO-8601 duration of at most P1D, such as PT1M",
          window, () -> b.window(Duration.parse(window.toUpperCase(Locale.ROOT))));
    }
    String coolDown = p.get(GUESSING_COOL_DOWN);
    if (coolDown != null) {
      apply(GUESSING_COOL_DOWN, "a positive ISO-8601 duration of at most P1D, such as PT15M",
          coolDown, () -> b.coolDown(Duration.parse(coolDown.toUpperCase(Locale.ROOT))));
    }
    String clear = p.get(CLEAR_SITE_DATA);
    String trusted = p.get(TRUSTED_PROXIES);
    TrustedProxies proxies = TrustedProxies.none();
    if (trusted != null) {
      try {
        proxies = TrustedProxies.parse(trusted);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(TRUSTED_PROXIES + " accepts comma-separated IP"
            + " addresses and CIDR ranges, such as 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8; "
            + e.getMessage(), e);
      }
    }
    GuessingDetection detection;
    try {
      detection = b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(GUESSING_THRESHOLD + " and " + GUESSING_MAX_ADDRESSES
          + " together: " + e.getMessage(), e);
    }
    return new FilterSecurity(new GuessingGuard(detection, manager),
        clear == null ? null : clearSiteData(clear), proxies);
  }

  /**
   * Returns the address of the request's client: {@code getRemoteAddr()}, or behind a trusted
   * proxy what {@code X-Forwarded-For} says ({@link TrustedProxies}).
   */
  public String clientAddress(HttpServletRequest request) {
    return proxies.clientAddress(request);
  }

  /**
   * Returns the header value for a list of directives such as {@code cookies} or {@code "cache",
   * "cookies"}: each quoted, comma-separated (RFC 9110 list syntax, W3C Clear Site Data).
   */
  static String clearSiteData(String value) {
    List<String> out = new ArrayList<>();
    for (String raw : value.split(",", -1)) {
      String d = raw.strip();
      if (d.length() >= 2 && d.startsWith("\"") && d.endsWith("\"")) {
        d = d.substring(1, d.length() - 1);
      }
      if (!DIRECTIVES.contains(d)) {
        throw new IllegalArgumentException(CLEAR_SITE_DATA + " accepts a comma-separated list of "
            + DIRECTIVES + " (quoted or not), such as \"cookies\": "
            + CookieSettings.printable(value));
      }
      String quoted = "\"" + d + "\"";
      if (!out.contains(quoted)) {
        out.add(quoted);
      }
    }
    return String.join(", ", out);
  }

  private static Optional<Boolean> bool(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Optional.of(Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)));
    }
    throw new IllegalArgumentException(name + " accepts true or false: "
        + CookieSettings.printable(v));
  }

  private static void apply(String name, String accepted, String value, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(name + " accepts " + accepted + ": "
          + CookieSettings.printable(value), e);
    }
  }
}
