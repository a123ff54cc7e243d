// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.DurationSetting;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.JavaSerializationCodec;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Creates a {@link RedisSessionStore} for a Redis location, such as the servlet filter's {@code
 * store} init-param: {@code redis://127.0.0.1:6379} (or {@code rediss://} for TLS), {@code
 * redis-sentinel://127.0.0.1:26379,127.0.0.1:26380#mymaster} or {@code
 * redis-cluster://127.0.0.1:7000,127.0.0.1:7001} (see {@link RedisSessionStore.Builder#uri(String)}).
 * Registered in {@code META-INF/services}.
 *
 * <p>Optional settings (init-params of the filter):
 *
 * <ul>
 *   <li>{@value #KEY_PREFIX}: the key prefix (default {@code sessionkit:});
 *   <li>{@value #TIMEOUT}: the command and connect timeout (default {@code 2s});
 *   <li>{@value #TTL_MARGIN}: how long keys outlive their session (default {@code 1m});
 *   <li>{@value #REVOCATION_REPLICAS}: how many replicas must acknowledge a revocation (default 1
 *       on a cluster or Sentinel location, else 0; see {@link
 *       RedisSessionStore.Builder#revocationReplicas});
 *   <li>{@value #ATTRIBUTE_ALLOW}: comma-separated classes or package patterns that attributes may
 *       hold besides the JDK's common types ({@code com.example.Cart, com.example.model.*}).
 * </ul>
 *
 * <p>Durations are written {@code 1500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code
 * PT2S}). The store created here owns its client and releases it on {@link Stores#close()}.
 */
public final class RedisSessionStoreFactory implements SessionStoreFactory {

  /** Setting: the key prefix. */
  public static final String KEY_PREFIX = "redis-key-prefix";
  /** Setting: the command timeout. */
  public static final String TIMEOUT = "redis-timeout";
  /** Setting: the TTL margin. */
  public static final String TTL_MARGIN = "redis-ttl-margin";
  /** Setting: how many replicas acknowledge a revocation before it returns. */
  public static final String REVOCATION_REPLICAS = "redis-revocation-replicas";
  /** Setting: extra classes and packages of the attribute codec's allow-list. */
  public static final String ATTRIBUTE_ALLOW = "redis-attribute-allow";

  /** Creates the factory (for {@link java.util.ServiceLoader}). */
  public RedisSessionStoreFactory() {}

  @Override
  public boolean supports(String location) {
    return RedisLocation.supports(location);
  }

  /** Returns one {@link RedisSessionStore} as both the session and the remember-me store. */
  @Override
  public Stores create(Map<String, String> settings) {
    String location = settings.get(LOCATION);
    if (location == null || !supports(location)) {
      throw new IllegalArgumentException(LOCATION + " must be a redis[s]://,"
          + " redis[s]-sentinel:// or redis[s]-cluster:// location, not "
          + (location == null ? "missing" : "'" + RedisLocation.redact(location) + "'"));
    }
    RedisSessionStore.Builder builder = RedisSessionStore.builder();
    try {
      builder.uri(location.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(LOCATION + ": " + e.getMessage(), e);
    }
    apply(settings, KEY_PREFIX, builder::keyPrefix);
    apply(settings, TIMEOUT, v -> builder.timeout(DurationSetting.parse(TIMEOUT, v)));
    apply(settings, TTL_MARGIN, v -> builder.ttlMargin(DurationSetting.parse(TTL_MARGIN, v)));
    apply(settings, ATTRIBUTE_ALLOW, v -> builder.codec(codec(v)));
    apply(settings, REVOCATION_REPLICAS, v -> builder.revocationReplicas(count(v)));
    return Stores.of(builder.build());
  }

  private static int count(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number from 0 to 5, not '" + value + "'");
    }
  }

  private static AttributeCodec codec(String patterns) {
    JavaSerializationCodec.Builder codec = JavaSerializationCodec.builder();
    for (String pattern : patterns.split(",")) {
      if (!pattern.isBlank()) {
        codec.allow(pattern.strip());
      }
    }
    return codec.build();
  }

  private static void apply(Map<String, String> settings, String name, Consumer<String> setter) {
    String value = settings.get(name);
    if (value == null) {
      return;
    }
    try {
      setter.accept(value.strip());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new IllegalArgumentException(
          message.startsWith(name) ? message : name + ": " + message, e);
    }
  }
}
