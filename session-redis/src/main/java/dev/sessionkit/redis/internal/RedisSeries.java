package dev.sessionkit.redis.internal;

import static dev.sessionkit.redis.internal.RedisSessions.array;
import static dev.sessionkit.redis.internal.RedisSessions.keys;

import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remember-me half of the Redis store: each operation is one script or one {@code HGETALL};
 * rotation is a compare-and-set of the validator hash inside one script.
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
    if (series.selector().indexOf('\n') >= 0 || series.selector().isEmpty()) {
      throw new IllegalArgumentException("a selector must be non-empty, without line breaks");
    }
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(series.selector()));
    args.addAll(SeriesHash.all(series).items());
    Long result = redis.run("createSeries", LuaScript.CREATE_SERIES,
        keys(keys.series(series.selector())), array(args));
    if (result == 0) {
      throw new SessionStoreException("a remember-me series with this selector already exists");
    }
  }

  public Optional<RememberMeSeries> findSeries(String selector) {
    Fields fields = Fields.of(redis.hashFields("findSeries", keys.series(selector)));
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SeriesHash.read(fields));
    } catch (CorruptEntryException e) {
      // the selector stays out of the log: with it, anyone could trigger the theft response
      LOG.warn("Removing a remember-me series: it cannot be read back ({})", e.getMessage());
      deleteSeries(selector);
      return Optional.empty();
    }
  }

  public boolean rotateSeries(String selector, TokenHash expectedValidatorHash,
      TokenHash newValidatorHash, long graceUntil, long now) {
    Long result = redis.run("rotateSeries", LuaScript.ROTATE_SERIES, keys(keys.series(selector)),
        Fields.bytes(expectedValidatorHash.toBase64Url()),
        Fields.bytes(newValidatorHash.toBase64Url()), Fields.bytes(graceUntil),
        Fields.bytes(now));
    return result == 1;
  }

  public boolean deleteSeries(String selector) {
    Long result = redis.run("deleteSeries", LuaScript.DELETE_SERIES, keys(keys.series(selector)),
        Fields.bytes(selector));
    return result == 1;
  }

  public int deleteSeriesByPrincipal(String principal, Set<String> keepSelectors) {
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principal));
    keepSelectors.forEach(s -> args.add(Fields.bytes(s)));
    Long result = redis.run("deleteSeriesByPrincipal", LuaScript.DELETE_SERIES_BY_PRINCIPAL,
        keys(keys.seriesOfPrincipal(principal)), array(args));
    return Math.toIntExact(result);
  }

  public int purgeExpiredSeries(long now, int limit) {
    if (limit <= 0) {
      return 0;
    }
    Long result = redis.run("purgeExpiredSeries", LuaScript.PURGE_SERIES,
        keys(keys.seriesDue()), Fields.bytes(now), Fields.bytes(limit));
    return Math.toIntExact(result);
  }
}
