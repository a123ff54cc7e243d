// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import static dev.sessionkit.redis.internal.RedisSessions.array;
import static dev.sessionkit.redis.internal.RedisSessions.keys;

import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remember-me half of the Redis store: each operation is one script or one {@code HGETALL},
 * in the bucket of the series' principal (named by the selector hash's routing tag where the
 * principal is not known). Series are keyed by the selector's hash; {@link #replaceSeries} is a
 * compare-and-set of the validator hash inside one script.
 */
public final class RedisSeries {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSeries.class);

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final AtomicInteger purgeStart = new AtomicInteger();

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
    String encoded = selectorHash.toBase64Url();
    String key = keys.series(bucket, encoded);
    Long result = redis.revoke("deleteSeries", LuaScript.DELETE_SERIES, keys.bucketRoot(bucket),
        keys(key, keys.seriesDue(bucket)), Fields.bytes(encoded));
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
    String encoded = selectorHash.toBase64Url();
    String key = keys.series(bucket, encoded);
    Long result = redis.revoke("deleteSeriesIfLatest", LuaScript.DELETE_SERIES_IF_LATEST,
        keys.bucketRoot(bucket), keys(key, keys.seriesDue(bucket)), Fields.bytes(encoded),
        Fields.bytes(sessionId));
    // also when this call found nothing: a retry after a failed WAIT finds its series gone
    redis.awaitReplicas("deleteSeriesIfLatest", key);
    return result == 1;
  }

  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    String bucket = RedisKeys.bucketOf(principal);
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principal));
    args.add(Fields.bytes(keptGeneration));
    keepSelectorHashes.forEach(s -> args.add(Fields.bytes(s.toBase64Url())));
    String key = keys.seriesOfPrincipal(bucket, principal);
    Long result = redis.revoke("revokeSeries", LuaScript.REVOKE_SERIES, keys.bucketRoot(bucket),
        keys(key, keys.seriesDue(bucket)), array(args));
    redis.awaitReplicas("revokeSeries", key);
    return Math.toIntExact(result);
  }

  /** Deletes every series: one script per bucket. */
  public long revokeAllSeries() {
    long deleted = 0;
    for (int i = 0; i < RedisKeys.BUCKETS; i++) {
      String bucket = RedisKeys.bucket(i);
      String due = keys.seriesDue(bucket);
      Long result = redis.revoke("revokeAllSeries", LuaScript.REVOKE_ALL_SERIES,
          keys.bucketRoot(bucket), keys(due));
      redis.awaitReplicas("revokeAllSeries", due);
      deleted += result;
    }
    return deleted;
  }

  /** Walks the series due-index shards as {@link RedisSessions#purgeExpired} does. */
  public int purgeExpiredSeries(long nowMillis, int limit) {
    int removed = 0;
    int start = purgeStart.getAndIncrement();
    for (int i = 0; i < RedisKeys.BUCKETS && removed < limit; i++) {
      String bucket = RedisKeys.bucket(Math.floorMod(start + i, RedisKeys.BUCKETS));
      Long result = redis.run("purgeExpiredSeries", LuaScript.PURGE_SERIES,
          keys.bucketRoot(bucket), keys(keys.seriesDue(bucket)), Fields.bytes(nowMillis),
          Fields.bytes(limit - removed));
      removed += Math.toIntExact(result);
    }
    return removed;
  }
}
