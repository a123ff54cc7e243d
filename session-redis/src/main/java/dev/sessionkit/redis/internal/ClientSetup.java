// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.SessionStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Lettuce client and connection of a store that was given a URI, with the options that
 * keep it failing fast and healing by itself: commands are rejected at once while disconnected
 * (which also keeps Lettuce from re-sending a command that was in flight when a connection
 * dropped), every command has a timeout, and reconnect attempts back off from 50 ms to at most 1 s.
 */
public final class ClientSetup {

  /** Keys as UTF-8 text, values as raw bytes (attributes are binary). */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final Logger LOG = LoggerFactory.getLogger(ClientSetup.class);

  private ClientSetup() {}

  /**
   * Logs a warning if a client with {@code options} would send a command again after a reconnect
   * (auto-reconnect without {@code REJECT_COMMANDS}): a script that was applied before the
   * connection dropped would then run twice, and the second answer (a compare-and-set that finds
   * its own change) is wrong.
   */
  public static void warnIfReplaying(ClientOptions options, String what) {
    if (options.isAutoReconnect()
        && options.getDisconnectedBehavior() != ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) {
      LOG.warn("Redis session store: the application's {} re-sends commands that were in flight"
          + " when a connection dropped; a session script could run twice and report a wrong"
          + " outcome. Set ClientOptions.disconnectedBehavior(REJECT_COMMANDS)", what);
    }
  }

  /** Returns the options a store-created client uses. */
  public static ClientOptions options(Duration timeout) {
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .build();
  }

  /** Creates a client for {@code uri}; the caller shuts it down ({@link OwnedClient#shutdown}). */
  public static OwnedClient client(RedisURI uri, Duration timeout) {
    uri.setTimeout(timeout);
    OwnedClient.Threads threads = new OwnedClient.Threads();
    ClientResources resources = ClientResources.builder()
        .threadFactoryProvider(threads)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(options(timeout));
    return new OwnedClient(client, threads);
  }

  /**
   * Opens a connection with the store's codec.
   *
   * @throws SessionStoreException if Redis cannot be reached
   */
  public static StatefulRedisConnection<String, byte[]> connect(RedisClient client,
      String where) {
    try {
      return NettyThreadState.released(() -> client.connect(CODEC));
    } catch (RuntimeException e) {
      throw new SessionStoreException("Redis session store: cannot connect to " + where + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** Returns {@code host:port} of {@code uri} (never its password). */
  public static String describe(RedisURI uri) {
    if (uri.getSocket() != null) {
      return "unix:" + uri.getSocket();
    }
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
        + (uri.getDatabase() != 0 ? "/" + uri.getDatabase() : "");
  }
}
