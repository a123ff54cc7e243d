// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.AttributeCodec;
import java.util.function.Consumer;

/** Test access to the hook that {@link RedisSessions} runs between the phases of an operation. */
public final class PhaseHooks {

  private PhaseHooks() {
  }

  /**
   * Returns the session half of a store over {@code gateway} and {@code keys} that runs {@code
   * hook} between the phases of a force logout, a logout of everyone, a listing, a purge, a delete
   * and a rotation or move whose second phase removes what still points at the session, with the
   * bucket they work on.
   */
  public static RedisSessions sessions(RedisGateway gateway, RedisKeys keys, Consumer<String> hook) {
    RedisSessions sessions = new RedisSessions(gateway, keys, AttributeCodec.defaultCodec());
    sessions.betweenPhases(hook);
    return sessions;
  }

  /**
   * Returns the remember-me half of a store over {@code gateway} and {@code keys} that runs {@code
   * hook} between the phases of a series revocation, a revocation of every series and a series
   * purge, with the bucket they work on.
   */
  public static RedisSeries series(RedisGateway gateway, RedisKeys keys, Consumer<String> hook) {
    RedisSeries series = new RedisSeries(gateway, keys);
    series.betweenPhases(hook);
    return series;
  }
}
