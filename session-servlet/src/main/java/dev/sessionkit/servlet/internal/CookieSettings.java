// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated attributes of the session and remember-me cookies, and the {@code Set-Cookie}
 * header values built from them by hand, every attribute explicit, in one fixed order:
 *
 * <pre>
 * name=value; Path=/; [Domain=d; ] [Max-Age=n; Expires=date; ] [Secure; ] HttpOnly; SameSite=Lax
 * </pre>
 *
 * <p>The session cookie carries no {@code Max-Age}/{@code Expires} (it ends with the browser); the
 * remember-me cookie carries both ({@code Max-Age} wins, {@code Expires} helps old clients); a
 * clearing header repeats every attribute with an empty value and {@code Max-Age=0}. Messages of
 * the validation name the init-param.
 *
 * @param sessionName the session cookie's name ({@code cookie-name})
 * @param rememberMeName the remember-me cookie's name ({@code remember-me-cookie-name})
 * @param path the {@code Path} of both cookies ({@code cookie-path})
 * @param domain the {@code Domain} of both cookies, or {@code null} for none ({@code cookie-domain})
 * @param secure whether both cookies carry {@code Secure} ({@code cookie-secure})
 * @param sameSite {@code Strict}, {@code Lax} or {@code None} ({@code same-site})
 */
public record CookieSettings(String sessionName, String rememberMeName, String path, String domain,
    boolean secure, String sameSite) {

  /** The header that carries a cookie to the client. */
  public static final String SET_COOKIE = "Set-Cookie";

  /** The longest accepted cookie name. */
  static final int MAX_NAME_LENGTH = 64;

  /** The longest application part of a default cookie name (within {@link #MAX_NAME_LENGTH}). */
  static final int MAX_APP_NAME_LENGTH = 40;

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
  private static final String HOST_PREFIX = "__Host-";
  private static final String SECURE_PREFIX = "__Secure-";
  private static final Pattern HOST_NAME = Pattern.compile(
      "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final DateTimeFormatter COOKIE_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** The defaults of every init-param for an application at the root context path. */
  public static CookieSettings defaults() {
    return new CookieSettings("__Host-sid", "__Host-remember", "/", null, true, "Lax");
  }

  /**
   * The defaults of every init-param for an application at {@code contextPath}, so that several
   * applications on one host never share a cookie. At the root ({@code ""} or {@code "/"}): {@code
   * __Host-sid} and {@code __Host-remember} with {@code Path=/}. Elsewhere the cookies are scoped
   * to the application's path, which a {@code __Host-} cookie cannot be (RFC 6265bis: it requires
   * {@code Path=/}), so they take the {@code __Secure-} prefix and a name of their own: {@code
   * /shop} gets {@code __Secure-sid-shop} and {@code __Secure-remember-shop} with {@code
   * Path=/shop}. The name differs per application as well as the path because paths nest: the
   * browser sends {@code /shop}'s cookies to {@code /shop/admin} too, and a root application's to
   * every path. A context path with characters that a {@code Path} cannot hold is scoped as the
   * browser sends it ({@link #asSent}): {@code /My Shop} gets {@code Path=/My%20Shop}.
   *
   * @throws IllegalArgumentException if the context path, so encoded, is longer than 256
   *     characters; the message names {@code cookie-path}
   */
  public static CookieSettings defaultsFor(String contextPath) {
    if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
      return defaults();
    }
    String path = asSent(contextPath.endsWith("/")
        ? contextPath.substring(0, contextPath.length() - 1) : contextPath);
    checkPath(path);
    String app = appName(path);
    return new CookieSettings(SECURE_PREFIX + "sid-" + app, SECURE_PREFIX + "remember-" + app,
        path, null, true, "Lax");
  }

  /**
   * Returns the context path as a browser sends it in the request line, which is what it compares
   * a cookie's {@code Path} with (RFC 6265 section 5.1.4): characters that a URI path cannot hold
   * as they are (spaces, controls, non-ASCII; and {@code ;} and {@code ,}, which a {@code Path}
   * attribute cannot) as percent-encoded UTF-8. A container may report the context path decoded
   * ({@code /My Shop}, {@code /café}: Tomcat) or encoded (Jetty); an encoded one is kept as is.
   */
  static String asSent(String contextPath) {
    StringBuilder sb = null;
    for (int i = 0; i < contextPath.length(); i++) {
      char c = contextPath.charAt(i);
      if (c > 0x20 && c < 0x7f && c != ';' && c != ',') {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(contextPath.length() + 16).append(contextPath, 0, i);
      }
      int end = Character.isHighSurrogate(c) && i + 1 < contextPath.length() ? i + 2 : i + 1;
      for (byte b : contextPath.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
      i = end - 1;
    }
    return sb == null ? contextPath : sb.toString();
  }

  /**
   * The cookie-name part for a context path: its segments joined by {@code -}, characters other
   * than letters, digits, {@code .} and {@code _} as {@code _}; a long one is cut and completed by
   * a hash of the whole path, so that the cookie names stay within {@link #MAX_NAME_LENGTH}.
   */
  static String appName(String contextPath) {
    StringBuilder sb = new StringBuilder(contextPath.length());
    for (int i = 1; i < contextPath.length(); i++) {
      char c = contextPath.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_';
      sb.append(c == '/' ? '-' : plain ? c : '_');
    }
    if (sb.length() <= MAX_APP_NAME_LENGTH) {
      return sb.toString();
    }
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(
          contextPath.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return sb.substring(0, MAX_APP_NAME_LENGTH - 9) + "-"
        + HexFormat.of().formatHex(hash, 0, 4);
  }

  /** Validates each attribute and their combination. */
  public CookieSettings {
    checkName("cookie-name", sessionName);
    checkName("remember-me-cookie-name", rememberMeName);
    if (sessionName.equals(rememberMeName)) {
      throw new IllegalArgumentException("cookie-name and remember-me-cookie-name must differ: "
          + sessionName);
    }
    checkPath(path);
    if (domain != null) {
      checkDomain(domain);
    }
    Objects.requireNonNull(sameSite, "same-site");
    if (!sameSite.equals("Strict") && !sameSite.equals("Lax") && !sameSite.equals("None")) {
      throw new IllegalArgumentException("same-site accepts Strict, Lax or None: " + sameSite);
    }
    checkPrefix("cookie-name", sessionName, path, domain, secure);
    checkPrefix("remember-me-cookie-name", rememberMeName, path, domain, secure);
    if (sameSite.equals("None") && !secure) {
      throw new IllegalArgumentException(
          "same-site=None requires cookie-secure=true (browsers drop SameSite=None cookies without"
              + " Secure)");
    }
  }

  /** Returns the header that hands {@code token} to the client in the session cookie. */
  public String sessionCookie(String token) {
    return header(sessionName, checkValue(token), -1, null);
  }

  /**
   * Returns the header that hands {@code value} to the client in the remember-me cookie, which
   * lives until {@code expiresAt}.
   */
  public String rememberMeCookie(String value, Instant expiresAt, Instant now) {
    long maxAge = Math.max(0, (expiresAt.toEpochMilli() - now.toEpochMilli()) / 1000);
    return header(rememberMeName, checkValue(value), maxAge, now.plusSeconds(maxAge));
  }

  /** Returns the header that deletes the session cookie. */
  public String clearSessionCookie() {
    return header(sessionName, "", 0, Instant.EPOCH);
  }

  /** Returns the header that deletes the remember-me cookie. */
  public String clearRememberMeCookie() {
    return header(rememberMeName, "", 0, Instant.EPOCH);
  }

  private String header(String name, String value, long maxAge, Instant expires) {
    StringBuilder sb = new StringBuilder(160).append(name).append('=').append(value);
    sb.append("; Path=").append(path);
    if (domain != null) {
      sb.append("; Domain=").append(domain);
    }
    if (maxAge >= 0) {
      sb.append("; Max-Age=").append(maxAge);
      sb.append("; Expires=").append(COOKIE_DATE.format(expires));
    }
    if (secure) {
      sb.append("; Secure");
    }
    return sb.append("; HttpOnly; SameSite=").append(sameSite).toString();
  }

  /** Returns whether {@code name} is an RFC 9110 token. */
  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || TOKEN_SYMBOLS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether {@code c} may appear in a cookie value (RFC 6265 cookie-octet). */
  static boolean isCookieOctet(char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
  }

  private static String checkValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (!isCookieOctet(value.charAt(i))) {
        throw new IllegalArgumentException("not a cookie value");
      }
    }
    return value;
  }

  private static void checkName(String param, String name) {
    Objects.requireNonNull(name, param);
    if (name.length() > MAX_NAME_LENGTH || !isToken(name)) {
      throw new IllegalArgumentException(param + " accepts a cookie name of 1 to " + MAX_NAME_LENGTH
          + " letters, digits and !#$%&'*+-.^_`|~ (such as __Host-sid): " + printable(name));
    }
  }

  private static void checkPath(String path) {
    Objects.requireNonNull(path, "cookie-path");
    if (!path.startsWith("/") || path.length() > 256) {
      throw new IllegalArgumentException(
          "cookie-path accepts a path that starts with / (at most 256 characters): "
              + printable(path));
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == ';' || c == ',') {
        throw new IllegalArgumentException("cookie-path accepts printable ASCII without spaces,"
            + " ';' or ',': " + printable(path));
      }
    }
  }

  private static void checkDomain(String domain) {
    if (domain.length() > 253 || !HOST_NAME.matcher(domain).matches()) {
      throw new IllegalArgumentException("cookie-domain accepts a host name such as example.com"
          + " (labels of letters, digits and inner '-', no leading dot): " + printable(domain));
    }
  }

  private static void checkPrefix(String param, String name, String path, String domain,
      boolean secure) {
    // Browsers match the prefixes case-insensitively, so a near miss must obey them too.
    if (name.regionMatches(true, 0, HOST_PREFIX, 0, HOST_PREFIX.length())) {
      if (!secure) {
        throw new IllegalArgumentException(param + " " + name
            + ": a __Host- cookie requires cookie-secure=true");
      }
      if (domain != null) {
        throw new IllegalArgumentException(param + " " + name
            + ": a __Host- cookie must not have a cookie-domain");
      }
      if (!path.equals("/")) {
        throw new IllegalArgumentException(param + " " + name
            + ": a __Host- cookie requires cookie-path=/ (not " + path + ")");
      }
    } else if (name.regionMatches(true, 0, SECURE_PREFIX, 0, SECURE_PREFIX.length()) && !secure) {
      throw new IllegalArgumentException(param + " " + name
          + ": a __Secure- cookie requires cookie-secure=true");
    }
  }

  /** Shows a bad value without control characters, so that a message cannot inject log lines. */
  static String printable(String value) {
    StringBuilder sb = new StringBuilder(Math.min(value.length(), 80));
    for (int i = 0; i < value.length() && i < 80; i++) {
      char c = value.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return value.length() > 80 ? sb.append("...").toString() : sb.toString();
  }
}
