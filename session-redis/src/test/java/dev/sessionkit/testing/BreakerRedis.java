package dev.sessionkit.testing;

import dev.sessionkit.redis.RedisSessionStore;
import dev.sessionkit.spi.Stores;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/** The Redis at 127.0.0.1:6379 for the breaker tests: one key prefix per store, removed at the end. */
final class BreakerRedis {

  static final String PREFIX =
      "skbreaker:" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6)) + ":";
  private static final AtomicInteger STORES = new AtomicInteger();
  private static RedisClient client;

  private BreakerRedis() {}

  static synchronized Stores stores() {
    if (client == null) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
      } catch (IOException e) {
        Assumptions.abort("Redis at 127.0.0.1:6379 is not reachable: " + e.getMessage());
      }
      client = RedisClient.create("redis://127.0.0.1:6379");
      client.setOptions(ClientOptions.builder()
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
      Runtime.getRuntime().addShutdownHook(new Thread(BreakerRedis::cleanUp));
    }
    return Stores.of(RedisSessionStore.builder().client(client)
        .keyPrefix(PREFIX + STORES.incrementAndGet() + ":").build());
  }

  private static void cleanUp() {
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = c.sync().scan(cursor,
            ScanArgs.Builder.matches(PREFIX + "*").limit(1000));
        if (!page.getKeys().isEmpty()) {
          c.sync().del(page.getKeys().toArray(new String[0]));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } catch (RuntimeException ignored) {
      // best effort
    }
  }
}
