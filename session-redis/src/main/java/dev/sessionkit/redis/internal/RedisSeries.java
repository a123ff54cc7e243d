// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import static dev.sessionkit.redis.internal.RedisSessions.array;
import static dev.sessionkit.redis.internal.RedisSessions.keys;

import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remember-me half of the Redis store, in the bucket of the series' principal (named by the
 * selector hash's routing tag where the principal is not known). Series are keyed by the
 * selector's hash; {@link #replaceSeries} is a compare-and-set of the validator hash inside one
 * script. Every script names every key it touches in {@code KEYS}: a delete removes only the series
 * hash (its entries in the principal's set and the due index, whose names come from the series,
 * stay until the series would have expired, when the purge removes them), and the revocations and
 * the purge read the selector hashes first, then name their series in a script that re-checks
 * each one (a compare-and-set), in batches of at most {@value RedisSessions#BATCH}.
 */
public final class RedisSeries {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSeries.class);

  private final RedisGateway redis;
  private final RedisKeys keys;
  /** The most claim rounds per series due-index shard and purge call. */
  private static final int PURGE_ROUNDS = 10;

  private final AtomicInteger purgeStart = new AtomicInteger();
  private volatile Consumer<String> betweenPhases = bucket -> { };

  /**
   * Runs {@code hook} between the phases of {@link #revokeSeries}, {@link #revokeAllSeries} and
   * {@link #purgeExpiredSeries}, with the bucket they work on: for tests that let a concurrent
   * call land there.
   */
  void betweenPhases(Consumer<String> hook) {
    this.betweenPhases = Objects.requireNonNull(hook, "hook");
  }

  public RedisSeries(RedisGateway redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  public void createSeries(RememberMeSeries series) {
    Objects.requireNonNull(series, "series");
    String bucket = RedisKeys.bucketOf(series.principal());
    if (!bucket.equals(series.selectorHash().routingTag())) {
      throw new IllegalArgumentException("the selector hash of a series must carry its"
          + " principal's bucket (the store's seriesRoutingTag(principal))");
    }
    String selectorHash = series.selectorHash().toBase64Url();
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(selectorHash));
    args.addAll(SeriesHash.all(series).items());
    Long result = redis.run("createSeries", LuaScript.CREATE_SERIES, keys.bucketRoot(bucket),
        keys(keys.series(bucket, selectorHash), keys.seriesOfPrincipal(bucket, series.principal()),
            keys.seriesDue(bucket)), array(args));
    if (result == 0) {
      throw new SessionStoreException("a remember-me series with this selector already exists");
    }
  }

  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    String bucket = selectorHash.routingTag();
    if (!RedisKeys.isBucket(bucket)) {
      return Optional.empty();
    }
    Fields fields = Fields.of(redis.hashFields("findSeries",
        keys.series(bucket, selectorHash.toBase64Url())));
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SeriesHash.read(selectorHash, fields));
    } catch (CorruptEntryException e) {
      // no key in the log: the selector hash would let a reader of the log find the series
      LOG.warn("Removing a remember-me series of principal {}: it cannot be read back ({})",
          fields.text("p"), e.getMessage());
      deleteSeries(selectorHash);
      return Optional.empty();
    }
  }

  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(expectedValidatorHash, "expectedValidatorHash");
    String bucket = RedisKeys.bucketOf(replacement.principal());
    String selectorHash = replacement.selectorHash().toBase64Url();
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(selectorHash));
    args.add(Fields.bytes(expectedValidatorHash.toBase64Url()));
    args.addAll(SeriesHash.all(replacement).items());
    Long result = redis.run("replaceSeries", LuaScript.REPLACE_SERIES, keys.bucketRoot(bucket),
        keys(keys.series(bucket, selectorHash),
            keys.seriesOfPrincipal(bucket, replacement.principal()), keys.seriesDue(bucket)),
        array(args));
    return result == 1;
  }

  public boolean deleteSeries(TokenHash selectorHash) {
    String bucket = selectorHash.routingTag();
    if (!RedisKeys.isBucket(bucket)) {
      return false;
    }
    String key = keys.series(bucket, selectorHash.toBase64Url());
    Long result = redis.revoke("deleteSeries", LuaScript.DELETE_SERIES, keys.bucketRoot(bucket),
        keys(key));
    // also when this call found nothing: a retry after a failed WAIT finds its series gone
    redis.awaitReplicas("deleteSeries", key);
    return result == 1;
  }

  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    String bucket = selectorHash.routingTag();
    if (!RedisKeys.isBucket(bucket)) {
      return false;
    }
    String key = keys.series(bucket, selectorHash.toBase64Url());
    Long result = redis.revoke("deleteSeriesIfLatest", LuaScript.DELETE_SERIES_IF_LATEST,
        keys.bucketRoot(bucket), keys(key), Fields.bytes(sessionId));
    // also when this call found nothing: a retry after a failed WAIT finds its series gone
    redis.awaitReplicas("deleteSeriesIfLatest", key);
    return result == 1;
  }

  /**
   * Two phases: an {@code SMEMBERS} of the principal's series set (over the connection for
   * revocations), then a script per batch that names the set, the series due index and the listed
   * series hashes in {@code KEYS} and deletes those not kept that still belong to the principal (a
   * compare-and-set), raising the kept ones' generation.
   */
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    String bucket = RedisKeys.bucketOf(principal);
    String key = keys.seriesOfPrincipal(bucket, principal);
    Set<String> keep = new HashSet<>();
    keepSelectorHashes.forEach(s -> keep.add(s.toBase64Url()));
    List<String> listed = new ArrayList<>();
    redis.revocationMembers("revokeSeries", key).forEach(m -> listed.add(Fields.text(m)));
    if (!listed.isEmpty()) {
      betweenPhases.accept(bucket);
    }
    long deleted = 0;
    for (int from = 0; from < listed.size(); from += RedisSessions.BATCH) {
      List<String> batch = listed.subList(from,
          Math.min(from + RedisSessions.BATCH, listed.size()));
      List<String> scriptKeys = new ArrayList<>(batch.size() + 2);
      scriptKeys.add(key);
      scriptKeys.add(keys.seriesDue(bucket));
      List<byte[]> args = new ArrayList<>(2 * batch.size() + 2);
      args.add(Fields.bytes(principal));
      args.add(Fields.bytes(keptGeneration));
      for (String selector : batch) {
        scriptKeys.add(keys.series(bucket, selector));
        args.add(Fields.bytes(selector));
        args.add(Fields.bytes(keep.contains(selector) ? "1" : "0"));
      }
      Long result = redis.revoke("revokeSeries", LuaScript.REVOKE_SERIES,
          keys.bucketRoot(bucket), RedisSessions.keyArray(scriptKeys), array(args));
      deleted += result;
    }
    redis.awaitReplicas("revokeSeries", key);
    return Math.toIntExact(deleted);
  }

  /**
   * Deletes every series, bucket by bucket, in two phases each: the series due index is read
   * (over the connection for revocations), then a script per batch names the listed series hashes
   * and their principals' sets in {@code KEYS} and deletes those whose entry is still there.
   */
  public long revokeAllSeries() {
    long deleted = 0;
    for (int i = 0; i < RedisKeys.BUCKETS; i++) {
      String bucket = RedisKeys.bucket(i);
      String due = keys.seriesDue(bucket);
      List<byte[]> entries = redis.revocationRange("revokeAllSeries", due);
      if (!entries.isEmpty()) {
        betweenPhases.accept(bucket);
      }
      for (int from = 0; from < entries.size(); from += RedisSessions.BATCH) {
        deleted += claim("revokeAllSeries", true, LuaScript.REVOKE_ALL_SERIES, bucket,
            entries.subList(from, Math.min(from + RedisSessions.BATCH, entries.size())),
            List.of());
      }
      redis.awaitReplicas("revokeAllSeries", due);
    }
    return deleted;
  }

  /**
   * Walks the series due-index shards as {@link RedisSessions#purgeExpired} does: two phases per
   * shard, a {@code ZRANGEBYSCORE} of the due entries (at most {@value RedisSessions#BATCH}), then
   * a script that names their series hashes and principals' sets in {@code KEYS} and removes those
   * whose entry is still there and still due.
   */
  public int purgeExpiredSeries(long nowMillis, int limit) {
    int removed = 0;
    int start = purgeStart.getAndIncrement();
    for (int i = 0; i < RedisKeys.BUCKETS && removed < limit; i++) {
      String bucket = RedisKeys.bucket(Math.floorMod(start + i, RedisKeys.BUCKETS));
      // each round takes its entries out of the due range (removed, or moved to a later expiry)
      for (int round = 0; round < PURGE_ROUNDS && removed < limit; round++) {
        List<ScoredValue<byte[]>> due = redis.lowest("purgeExpiredSeries",
            keys.seriesDue(bucket), nowMillis, Math.min(limit - removed, RedisSessions.BATCH));
        if (due.isEmpty()) {
          break;
        }
        betweenPhases.accept(bucket);
        List<byte[]> entries = new ArrayList<>(due.size());
        due.forEach(e -> entries.add(e.getValue()));
        removed += Math.toIntExact(claim("purgeExpiredSeries", false, LuaScript.PURGE_SERIES,
            bucket, entries, List.of(Fields.bytes(nowMillis))));
      }
    }
    return removed;
  }

  /**
   * Runs the second phase of {@link #revokeAllSeries} or {@link #purgeExpiredSeries}: {@code
   * script} with the series due index, the series hashes of {@code entries} (due-index members,
   * {@code "{selectorHash}\n{principal}"}) and their principals' sets in {@code KEYS}; in {@code
   * ARGV}, {@code head}, the number of entries, then per entry the member and the index of its
   * principal's set in {@code KEYS}.
   *
   * @return the script's count
   * @throws SessionStoreException if Redis fails or refuses while the slot moves
   */
  private long claim(String operation, boolean revocation, LuaScript script, String bucket,
      List<byte[]> entries, List<byte[]> head) {
    List<String> scriptKeys = new ArrayList<>(entries.size() + 2);
    scriptKeys.add(keys.seriesDue(bucket));
    List<String> principals = new ArrayList<>(entries.size());
    for (byte[] entry : entries) {
      String text = Fields.text(entry);
      int cut = text.indexOf('\n');
      scriptKeys.add(keys.series(bucket, text.substring(0, cut)));
      principals.add(text.substring(cut + 1));
    }
    List<byte[]> args = new ArrayList<>(head);
    args.add(Fields.bytes(entries.size()));
    Map<String, Integer> sets = new HashMap<>();
    for (int j = 0; j < entries.size(); j++) {
      int set = sets.computeIfAbsent(principals.get(j), p -> {
        scriptKeys.add(keys.seriesOfPrincipal(bucket, p));
        return scriptKeys.size(); // Lua indexes KEYS from 1
      });
      args.add(entries.get(j));
      args.add(Fields.bytes(set));
    }
    String[] named = RedisSessions.keyArray(scriptKeys);
    Long result = revocation
        ? redis.revoke(operation, script, keys.bucketRoot(bucket), named, array(args))
        : redis.run(operation, script, keys.bucketRoot(bucket), named, array(args));
    return result;
  }
}
