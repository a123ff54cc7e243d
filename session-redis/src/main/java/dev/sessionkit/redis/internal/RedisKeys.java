package dev.sessionkit.redis.internal;

import java.util.Objects;

/**
 * The key layout of the Redis store, under one prefix (default {@code sessionkit:}).
 *
 * <pre>
 * {prefix}s:{sessionId}       hash    a session: metadata, and a field "a:{name}" per attribute
 * {prefix}t:{tokenHash}       string  the session id whose current token hashes to {tokenHash}
 * {prefix}p:{principal}       set     ids of the principal's sessions
 * {prefix}due                 zset    "{id}\n{absoluteDeadline}\n[={principal}]" by expiresAt
 * {prefix}r:{selector}        hash    one remember-me series
 * {prefix}rp:{principal}      set     selectors of the principal's series
 * {prefix}rdue                zset    member "{selector}\n{principal}", score = expiresAt
 * </pre>
 *
 * <p>{@code tokenHash} is {@link dev.sessionkit.spi.TokenHash#toBase64Url()}: a token never
 * appears in a key or a value. The Lua scripts build the same names from the prefix ({@link
 * #luaPrelude()}), so this class is the single definition of the layout.
 */
public final class RedisKeys {

  static final String SESSION = "s:";
  static final String TOKEN = "t:";
  static final String PRINCIPAL = "p:";
  static final String DUE = "due";
  static final String SERIES = "r:";
  static final String SERIES_PRINCIPAL = "rp:";
  static final String SERIES_DUE = "rdue";

  private final String prefix;

  /** Creates the layout under {@code prefix}. */
  public RedisKeys(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** Returns the prefix of every key. */
  public String prefix() {
    return prefix;
  }

  /** Returns the hash of session {@code id}. */
  public String session(String id) {
    return prefix + SESSION + id;
  }

  /** Returns the key that maps a token hash (base64url) to its session id. */
  public String token(String tokenHash) {
    return prefix + TOKEN + tokenHash;
  }

  /** Returns the set of session ids of {@code principal}. */
  public String principal(String principal) {
    return prefix + PRINCIPAL + principal;
  }

  /** Returns the due-time index of sessions. */
  public String due() {
    return prefix + DUE;
  }

  /** Returns the hash of remember-me series {@code selector}. */
  public String series(String selector) {
    return prefix + SERIES + selector;
  }

  /** Returns the set of series selectors of {@code principal}. */
  public String seriesOfPrincipal(String principal) {
    return prefix + SERIES_PRINCIPAL + principal;
  }

  /** Returns the due-time index of remember-me series. */
  public String seriesDue() {
    return prefix + SERIES_DUE;
  }

  /**
   * Returns the Lua functions that build these names from {@code ARGV[1]} (the prefix), for the
   * scripts.
   */
  static String luaPrelude() {
    return "local P = ARGV[1]\n"
        + "local function skey(id) return P .. '" + SESSION + "' .. id end\n"
        + "local function tkey(h) return P .. '" + TOKEN + "' .. h end\n"
        + "local function pkey(p) return P .. '" + PRINCIPAL + "' .. p end\n"
        + "local DUE = P .. '" + DUE + "'\n"
        + "local function rkey(s) return P .. '" + SERIES + "' .. s end\n"
        + "local function rpkey(p) return P .. '" + SERIES_PRINCIPAL + "' .. p end\n"
        + "local RDUE = P .. '" + SERIES_DUE + "'\n";
  }
}
