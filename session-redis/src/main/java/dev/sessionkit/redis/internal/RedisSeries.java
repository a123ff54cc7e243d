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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remember-me half of the Redis store: each operation is one script or one {@code HGETALL}.
 * Series are keyed by the selector's hash; {@link #replaceSeries} is a compare-and-set of the
 * validator hash inside one script.
 */
public final class RedisSeries {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSeries.class);

  private final RedisGateway redis;
  private final RedisKeys keys;

  public RedisSeries(RedisGateway redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  public void createSeries(RememberMeSeries series) {
    Objects.requireNonNull(series, "series");
    String selectorHash = series.selectorHash().toBase64Url();
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(selectorHash));
    args.addAll(SeriesHash.all(series).items());
    Long result = redis.run("createSeries", LuaScript.CREATE_SERIES,
        keys(keys.series(selectorHash), keys.seriesOfPrincipal(series.principal()),
            keys.seriesDue()), array(args));
    if (result == 0) {
      throw new SessionStoreException("a remember-me series with this selector already exists");
    }
  }

  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    Fields fields = Fields.of(redis.hashFields("findSeries",
        keys.series(selectorHash.toBase64Url())));
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
    String selectorHash = replacement.selectorHash().toBase64Url();
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(selectorHash));
    args.add(Fields.bytes(expectedValidatorHash.toBase64Url()));
    args.addAll(SeriesHash.all(replacement).items());
    Long result = redis.run("replaceSeries", LuaScript.REPLACE_SERIES,
        keys(keys.series(selectorHash), keys.seriesOfPrincipal(replacement.principal()),
            keys.seriesDue()), array(args));
    return result == 1;
  }

  public boolean deleteSeries(TokenHash selectorHash) {
    String encoded = selectorHash.toBase64Url();
    Long result = redis.run("deleteSeries", LuaScript.DELETE_SERIES,
        keys(keys.series(encoded), keys.seriesDue()), Fields.bytes(encoded));
    return result == 1;
  }

  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    String encoded = selectorHash.toBase64Url();
    Long result = redis.run("deleteSeriesIfLatest", LuaScript.DELETE_SERIES_IF_LATEST,
        keys(keys.series(encoded), keys.seriesDue()), Fields.bytes(encoded),
        Fields.bytes(sessionId));
    return result == 1;
  }

  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principal));
    args.add(Fields.bytes(keptGeneration));
    keepSelectorHashes.forEach(s -> args.add(Fields.bytes(s.toBase64Url())));
    Long result = redis.run("revokeSeries", LuaScript.REVOKE_SERIES,
        keys(keys.seriesOfPrincipal(principal), keys.seriesDue()), array(args));
    return Math.toIntExact(result);
  }

  /** Deletes every series: one script. */
  public long revokeAllSeries() {
    Long deleted = redis.run("revokeAllSeries", LuaScript.REVOKE_ALL_SERIES,
        keys(keys.seriesDue()));
    return deleted;
  }

  public int purgeExpiredSeries(long nowMillis, int limit) {
    if (limit <= 0) {
      return 0;
    }
    Long result = redis.run("purgeExpiredSeries", LuaScript.PURGE_SERIES,
        keys(keys.seriesDue()), Fields.bytes(nowMillis), Fields.bytes(limit));
    return Math.toIntExact(result);
  }
}
