// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import java.util.Objects;

/**
 * The key layout of the Redis store (layout version 2), under one prefix (default {@code
 * sessionkit:}).
 *
 * <pre>
 * {prefix}v2:s:{sessionId}     hash    a session: metadata, and a field "a:{name}" per attribute
 * {prefix}v2:t:{tokenHash}     string  the session id of the current token with this hash, or of
 *                                      the previous one (until the next rotation; its TTL ends at
 *                                      the previous token's validUntil plus the margin)
 * {prefix}v2:p:{principal}     set     ids of the principal's sessions
 * {prefix}v2:g:{principal}     string  the principal's revocation generation (never expires)
 * {prefix}v2:due               zset    "{id}\n{absoluteDeadline}\n[={principal}]" by expiresAt
 * {prefix}v2:r:{selectorHash}  hash    one remember-me series, keyed by the selector's SHA-256
 * {prefix}v2:rp:{principal}    set     selector hashes of the principal's series
 * {prefix}v2:rdue              zset    member "{selectorHash}\n{principal}", score = expiresAt
 * </pre>
 *
 * <p>{@code tokenHash} and {@code selectorHash} are {@link
 * dev.sessionkit.spi.TokenHash#toBase64Url()}: a token, validator or selector never appears in a
 * key or a value.
 *
 * <p><b>Layout version.</b> Version 1 (0.1.0 before the store SPI split) wrote the same kinds of
 * keys directly under the prefix ({@code {prefix}s:...}, {@code {prefix}r:{selector}} with the
 * selector in clear, ...). The {@value #LAYOUT} segment keeps both apart: this store never reads a
 * version-1 key, so sessions and remember-me logins of version 1 end at the upgrade. Version-1
 * session keys expire by their TTLs; the version-1 series keys (up to the remember-me lifetime) and
 * the two index keys {@code {prefix}due} and {@code {prefix}rdue} (no TTL) should be removed by
 * hand, as docs/stores.md says, because they hold selectors in clear.
 *
 * <p><b>Generation keys</b> have no TTL: a principal's generation must never fall back to 0, or a
 * login that was in flight during a force logout could pass the fence. The cost is one small
 * string per principal that was ever force-logged-out. Under a {@code maxmemory-policy} of {@code
 * allkeys-*} Redis could evict one; use {@code noeviction} or a {@code volatile-*} policy.
 *
 * <p>The Lua scripts build the same names from the root ({@link #luaPrelude()}), so this class is
 * the single definition of the layout.
 */
public final class RedisKeys {

  /** The layout version segment that follows the prefix. */
  public static final String LAYOUT = "v2:";

  static final String SESSION = "s:";
  static final String TOKEN = "t:";
  static final String PRINCIPAL = "p:";
  static final String GENERATION = "g:";
  static final String DUE = "due";
  static final String SERIES = "r:";
  static final String SERIES_PRINCIPAL = "rp:";
  static final String SERIES_DUE = "rdue";

  private final String prefix;
  private final String root;

  /** Creates the layout under {@code prefix}. */
  public RedisKeys(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.root = prefix + LAYOUT;
  }

  /** Returns the prefix the application configured. */
  public String prefix() {
    return prefix;
  }

  /** Returns the start of every key this layout writes: the prefix and the layout version. */
  public String root() {
    return root;
  }

  /** Returns the hash of session {@code id}. */
  public String session(String id) {
    return root + SESSION + id;
  }

  /** Returns the key that maps a token hash (base64url) to its session id. */
  public String token(String tokenHash) {
    return root + TOKEN + tokenHash;
  }

  /** Returns the set of session ids of {@code principal}. */
  public String principal(String principal) {
    return root + PRINCIPAL + principal;
  }

  /** Returns the key of the revocation generation of {@code principal}. */
  public String generation(String principal) {
    return root + GENERATION + principal;
  }

  /** Returns the due-time index of sessions. */
  public String due() {
    return root + DUE;
  }

  /** Returns the hash of the remember-me series whose selector hashes to {@code selectorHash}. */
  public String series(String selectorHash) {
    return root + SERIES + selectorHash;
  }

  /** Returns the set of series selector hashes of {@code principal}. */
  public String seriesOfPrincipal(String principal) {
    return root + SERIES_PRINCIPAL + principal;
  }

  /** Returns the due-time index of remember-me series. */
  public String seriesDue() {
    return root + SERIES_DUE;
  }

  /**
   * Returns the Lua functions that build these names from {@code ARGV[1]} (the root), for the
   * scripts.
   */
  static String luaPrelude() {
    return "local P = ARGV[1]\n"
        + "local function skey(id) return P .. '" + SESSION + "' .. id end\n"
        + "local function tkey(h) return P .. '" + TOKEN + "' .. h end\n"
        + "local function pkey(p) return P .. '" + PRINCIPAL + "' .. p end\n"
        + "local function gkey(p) return P .. '" + GENERATION + "' .. p end\n"
        + "local DUE = P .. '" + DUE + "'\n"
        + "local function rkey(s) return P .. '" + SERIES + "' .. s end\n"
        + "local function rpkey(p) return P .. '" + SERIES_PRINCIPAL + "' .. p end\n"
        + "local RDUE = P .. '" + SERIES_DUE + "'\n";
  }
}
