// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.RoutingTag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The key layout of the Redis store (layout version 4), under one prefix (default {@code
 * sessionkit:}), spread over {@value #BUCKETS} buckets. Each bucket's keys share one Redis Cluster
 * hash tag, {@code {b}} (two lowercase hex digits), so that they lie in one hash slot and every
 * script works on one slot.
 *
 * <pre>
 * {prefix}v4:{b}:s:{sessionId}     hash    a session: metadata, and a field "a:{name}" per attribute
 * {prefix}v4:{b}:m:{sessionId}     string  the new id of a session that moved away at a login
 *                                          and the hash of the token it replaced: "{id}\n{th}"
 *                                          (for the rotation grace)
 * {prefix}v4:{b}:p:{principal}     set     ids of the principal's sessions
 * {prefix}v4:{b}:g:{principal}     string  the principal's revocation generation (never expires)
 * {prefix}v4:{b}:due               zset    the bucket's share of the due index: "{id}\n{ad}\n[={p}]"
 * {prefix}v4:{b}:r:{selectorHash}  hash    one remember-me series, keyed by the selector's SHA-256
 * {prefix}v4:{b}:rp:{principal}    set     selector hashes of the principal's series
 * {prefix}v4:{b}:rdue              zset    the bucket's share of the series due index
 * </pre>
 *
 * <p><b>Buckets.</b> A principal's bucket is the first byte of the SHA-256 of its name: its
 * sessions, series, index sets and generation live together, so a force logout, a theft response
 * and the session cap are one script each. A new anonymous session gets a random bucket; a login
 * moves it to the principal's. The bucket is the {@linkplain RoutingTag routing tag} that the
 * manager appends to session ids and remember-me cookie values: one of 256, it does not reveal the
 * principal. The due indexes are sharded by bucket too: a purge walks the 256 shards.
 *
 * <p><b>The session cookie names its session.</b> Its tag ({@link #cookieTag}) is the session
 * id's random part ({@value #ID_LENGTH} characters, as the manager makes them) followed by the
 * bucket, so that the request path names the session hash (and its moved key) in {@code KEYS};
 * the script then checks the token's hash against the session's. There is no key per token: a session answers to the token hashes its hash holds.
 *
 * <p>{@code selectorHash} is {@link dev.sessionkit.spi.TokenHash#toBase64Url()}: a token,
 * validator or selector never appears in a key or a value.
 *
 * <p><b>Layout versions.</b> Version 1 wrote keys directly under the prefix, version 2 under
 * {@code {prefix}v2:} without buckets, version 3 under {@code {prefix}v3:} with a key per token;
 * this store never reads any of them (see {@code LayoutCheck}).
 *
 * <p><b>Generation keys</b> have no TTL: a principal's generation must never fall back to 0, or a
 * login that was in flight during a force logout could pass the fence. Under a {@code
 * maxmemory-policy} of {@code allkeys-*} Redis could evict one; use {@code noeviction} or a {@code
 * volatile-*} policy.
 *
 * <p>Every script gets every key it touches in {@code KEYS}: where a name comes from what Redis
 * holds, the store reads it first and names the key (see {@code RedisSessions}); no script builds
 * a key name. This class is the single definition of the layout.
 */
public final class RedisKeys {

  /** The layout version segment that follows the prefix. */
  public static final String LAYOUT = "v4:";
  /** The number of buckets (and of due-index shards). */
  public static final int BUCKETS = 256;

  static final String SESSION = "s:";
  static final String MOVED = "m:";
  static final String PRINCIPAL = "p:";
  static final String GENERATION = "g:";
  static final String DUE = "due";
  static final String SERIES = "r:";
  static final String SERIES_PRINCIPAL = "rp:";
  static final String SERIES_DUE = "rdue";

  /**
   * The length, in characters, of the random part of a session id as the manager makes it (12
   * random bytes in base64url): the only id a session cookie's tag names.
   */
  static final int ID_LENGTH = 16;
  /** The length, in characters, of a session cookie's tag: the id's random part and the bucket. */
  static final int COOKIE_TAG_LENGTH = ID_LENGTH + 2;

  private static final String HEX = "0123456789abcdef";

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

  // ------------------------------------------------------------------ buckets

  /** Returns the bucket of {@code principal}: the first byte of its SHA-256, in hex. */
  public static String bucketOf(String principal) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(principal.getBytes(StandardCharsets.UTF_8));
      return bucket(digest[0] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Returns a random bucket (for a new anonymous session). */
  public static String randomBucket() {
    return bucket(ThreadLocalRandom.current().nextInt(BUCKETS));
  }

  /** Returns bucket number {@code n} (0 to 255) as its tag. */
  public static String bucket(int n) {
    return new String(new char[] {HEX.charAt(n >>> 4), HEX.charAt(n & 15)});
  }

  /** Returns whether {@code tag} is a bucket of this layout: two lowercase hex digits. */
  public static boolean isBucket(String tag) {
    return tag.length() == 2 && HEX.indexOf(tag.charAt(0)) >= 0 && HEX.indexOf(tag.charAt(1)) >= 0;
  }

  /** Returns the bucket of a session id ({@code id.b}), or {@code null} if it has none. */
  public static String bucketOfSessionId(String sessionId) {
    String tag = RoutingTag.ofSessionId(sessionId);
    return isBucket(tag) ? tag : null;
  }

  /**
   * Returns the session cookie's routing tag of session {@code sessionId} ({@code id.b}): its
   * random part followed by its bucket, from which {@link #sessionIdOfCookieTag} rebuilds the id;
   * {@link RoutingTag#NONE} for an id without a bucket of this store or whose random part is not
   * {@value #ID_LENGTH} characters (the manager makes no such id).
   */
  public static String cookieTag(String sessionId) {
    String bucket = bucketOfSessionId(sessionId);
    if (bucket == null || sessionId.length() != ID_LENGTH + 3) {
      return RoutingTag.NONE;
    }
    String tag = sessionId.substring(0, sessionId.length() - 3) + bucket;
    return RoutingTag.isValid(tag) ? tag : RoutingTag.NONE;
  }

  /**
   * Returns the session id that a session cookie's routing tag names ({@link #cookieTag}), or
   * {@code null} if {@code tag} is not of that shape, {@value #ID_LENGTH} base64url characters
   * and a bucket (a cookie of another store or layout, or forged: no session, no round trip). The
   * tag arrives from the client; it is checked, never trusted: the lookup answers only if the
   * token's hash is the session's.
   */
  public static String sessionIdOfCookieTag(String tag) {
    int size = tag.length();
    if (size != COOKIE_TAG_LENGTH || !RoutingTag.isValid(tag)) {
      return null;
    }
    String bucket = tag.substring(size - 2);
    return isBucket(bucket) ? tag.substring(0, size - 2) + RoutingTag.SEPARATOR + bucket : null;
  }

  /** Returns the root of the keys of {@code bucket}: {@code {prefix}v4:{b}:}. */
  public String bucketRoot(String bucket) {
    return root + "{" + bucket + "}:";
  }

  // ------------------------------------------------------------------ keys of one bucket

  /** Returns the hash of session {@code id} in {@code bucket}. */
  public String session(String bucket, String id) {
    return bucketRoot(bucket) + SESSION + id;
  }

  /** Returns the key that names the new id of session {@code id} after it moved away. */
  public String moved(String bucket, String id) {
    return bucketRoot(bucket) + MOVED + id;
  }

  /** Returns the set of session ids of {@code principal}. */
  public String principal(String bucket, String principal) {
    return bucketRoot(bucket) + PRINCIPAL + principal;
  }

  /** Returns the key of the revocation generation of {@code principal}. */
  public String generation(String bucket, String principal) {
    return bucketRoot(bucket) + GENERATION + principal;
  }

  /** Returns the bucket's shard of the due-time index of sessions. */
  public String due(String bucket) {
    return bucketRoot(bucket) + DUE;
  }

  /** Returns the hash of the remember-me series whose selector hashes to {@code selectorHash}. */
  public String series(String bucket, String selectorHash) {
    return bucketRoot(bucket) + SERIES + selectorHash;
  }

  /** Returns the set of series selector hashes of {@code principal}. */
  public String seriesOfPrincipal(String bucket, String principal) {
    return bucketRoot(bucket) + SERIES_PRINCIPAL + principal;
  }

  /** Returns the bucket's shard of the due-time index of remember-me series. */
  public String seriesDue(String bucket) {
    return bucketRoot(bucket) + SERIES_DUE;
  }
}
