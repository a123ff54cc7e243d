// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

/**
 * Refuses to start on data of an earlier key layout under the same prefix, with a message that
 * says what to do. Layout 3 ({@code {prefix}v3:{b}:...}, a key per token and session cookies
 * without the session id) kept a due index per bucket, {@code {prefix}v3:{b}:due} and {@code
 * {prefix}v3:{b}:rdue}, which exist while any session or series of that bucket does. Layout 2 ({@code {prefix}v2:...}, before buckets) kept one due index per kind,
 * {@code {prefix}v2:due} and {@code {prefix}v2:rdue}, which have no TTL and exist while any
 * session or series of layout 2 does; layout 1 kept {@code {prefix}due} and {@code {prefix}rdue}.
 * This layout would not see those sessions and series (users would be signed out without a word, and
 * the old keys, series selectors in clear for layout 1, would stay).
 */
public final class LayoutCheck {

  private LayoutCheck() {}

  /**
   * Checks that no index key of layout 1, 2 or 3 exists under the prefix of {@code keys}: 516
   * {@code EXISTS}, sent together, at build time only.
   *
   * @throws IllegalStateException if one does, naming the prefix and the way out
   */
  public static void refuseEarlierLayouts(RedisGateway redis, RedisKeys keys) {
    String p = keys.prefix();
    String[] layout3 = new String[2 * RedisKeys.BUCKETS];
    for (int i = 0; i < RedisKeys.BUCKETS; i++) {
      String root = p + "v3:{" + RedisKeys.bucket(i) + "}:";
      layout3[2 * i] = root + "due";
      layout3[2 * i + 1] = root + "rdue";
    }
    if (redis.existing("layoutCheck", layout3) > 0) {
      throw refusal(p, 3, p + "v3:*");
    }
    if (redis.existing("layoutCheck", p + "v2:due", p + "v2:rdue") > 0) {
      throw refusal(p, 2, p + "v2:*");
    }
    if (redis.existing("layoutCheck", p + "due", p + "rdue") > 0) {
      throw refusal(p, 1, p + "[sptrd]*");
    }
  }

  private static IllegalStateException refusal(String prefix, int layout, String pattern) {
    return new IllegalStateException("Redis session store: Redis holds sessions of key layout "
        + layout + " under prefix '" + prefix + "', which this version (layout 4: the session"
        + " cookie names its session) cannot read. Either remove them once no app server of the"
        + " earlier version runs (their users sign in again): redis-cli --scan --pattern '"
        + pattern + "' | xargs -r -n 1 redis-cli unlink (one key per command: keys of different"
        + " buckets lie in different cluster slots; on a cluster, run it against every primary,"
        + " giving both redis-cli its -h and -p), or configure another keyPrefix"
        + " (redis-key-prefix) and remove them later. See docs/redis.md, 'Migration'.");
  }
}
