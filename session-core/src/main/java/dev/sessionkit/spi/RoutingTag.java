// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.spi;

/**
 * The routing tag: a short, non-secret label by which a store that spreads its records over
 * shards (Redis Cluster hash slots) finds them in one step. A store proposes it ({@link
 * SessionStore#routingTag}, {@link SessionStore#sessionCookieTag}, {@link
 * RememberMeStore#seriesRoutingTag}); the manager appends it, after a dot, to the session id, to
 * the session cookie's value and to the remember-me cookie's value, and hands it back on {@link
 * TokenHash#routingTag()} when it parses a cookie. The empty tag means "no routing" (the in-memory
 * and JDBC stores): ids and cookies then look as they did without this feature. A session cookie's
 * tag may name the session itself ({@link SessionStore#sessionCookieTag}: the Redis store puts the
 * session id there, so that a cluster script can name the session's key), which is why a tag may
 * be as long as {@value #MAX_LENGTH} characters.
 *
 * <p>A tag is 1 to {@value #MAX_LENGTH} base64url characters ({@code A-Z a-z 0-9 - _}). It is
 * never a secret and never replaces one: a session cookie {@code token.tag} still carries the
 * whole 256-bit token. A tag arrives in untrusted input, so the manager accepts only this exact
 * shape and a store must treat a tag it did not issue as "no such record". A store must derive it
 * so that it does not reveal the principal (a bucket number of a hash, never the name).
 *
 * <p>Static helpers only; thread-safe.
 */
public final class RoutingTag {

  /**
   * The longest tag, in characters: room for a session id's 16 random characters and a short
   * shard label. A 43-character token or validator is never mistaken for a tag.
   */
  public static final int MAX_LENGTH = 24;
  /** The character between a value (session id, token, remember-me token) and its tag. */
  public static final char SEPARATOR = '.';
  /** The tag of stores that do not route. */
  public static final String NONE = "";

  private RoutingTag() {}

  /**
   * Returns whether {@code tag} is a well-formed, non-empty routing tag.
   *
   * @param tag the text to check, or {@code null}
   * @return whether {@code tag} is a well-formed, non-empty routing tag
   */
  public static boolean isValid(CharSequence tag) {
    if (tag == null || tag.isEmpty() || tag.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code tag} if it is {@link #NONE} or well-formed.
   *
   * @param tag the tag a store proposed
   * @return {@code tag} if it is {@link #NONE} or well-formed
   * @throws IllegalArgumentException otherwise (a store proposed a malformed tag)
   */
  public static String require(String tag) {
    if (tag == null || !(tag.isEmpty() || isValid(tag))) {
      throw new IllegalArgumentException("a routing tag is empty or 1 to " + MAX_LENGTH
          + " base64url characters: '" + tag + "'");
    }
    return tag;
  }

  /**
   * Returns {@code value} followed by the separator and {@code tag}, or {@code value} alone.
   *
   * @param value a session id or cookie value
   * @param tag the routing tag, or {@link #NONE}
   * @return {@code value} followed by the separator and {@code tag}, or {@code value} alone
   */
  public static String append(String value, String tag) {
    return tag.isEmpty() ? value : value + SEPARATOR + tag;
  }

  /**
   * Returns the tag of a session id the manager made ({@code id} or {@code id.tag}): the part
   * after the last separator if it is a well-formed tag, else {@link #NONE}.
   *
   * @param sessionId the public session id
   * @return the tag of a session id the manager made ({@code id} or {@code id.tag})
   */
  public static String ofSessionId(String sessionId) {
    int dot = sessionId.lastIndexOf(SEPARATOR);
    if (dot < 0) {
      return NONE;
    }
    String tag = sessionId.substring(dot + 1);
    return isValid(tag) ? tag : NONE;
  }
}
