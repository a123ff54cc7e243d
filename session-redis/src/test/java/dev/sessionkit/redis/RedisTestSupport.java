// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sessionkit.spi.TokenHash;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the tests use (127.0.0.1:6379): skipped with the reason when unreachable, failed when
 * {@code CI=true}. Each run writes under its own key prefix and removes it afterwards.
 */
final class RedisTestSupport {

  static final String HOST = "127.0.0.1";
  static final int PORT = 6379;
  /** The prefix of every key this test run writes. */
  static final String RUN_PREFIX =
      "sktest:" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6)) + ":";

  private RedisTestSupport() {}

  /** Skips the calling test (fails it under CI=true) unless Redis answers on 127.0.0.1:6379. */
  static void requireRedis() {
    requireServer("Redis at " + HOST + ":" + PORT, HOST, PORT);
  }

  static void requireServer(String what, String host, int port) {
    requireUp(what, reachable(host, port));
  }

  /**
   * Returns if {@code reason} is null; else skips the calling test with the reason, or fails it
   * under CI=true.
   */
  static void requireUp(String what, String reason) {
    if (reason == null) {
      return;
    }
    String message = what + " is not reachable (" + reason + ")";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + "; CI=true requires it");
    }
    System.out.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  /** Returns null if {@code host:port} accepts a connection, else why not. */
  static String reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /**
   * Kills the redis-server on 127.0.0.1:{@code port} (SIGKILL, as a crash) and waits until its
   * process ended.
   */
  static void killServer(int port) throws Exception {
    RedisClient node = RedisClient.create(RedisURI.create("redis://" + HOST + ":" + port));
    long pid;
    try (var connection = node.connect()) {
      String info = connection.sync().info("server");
      pid = Long.parseLong(info.lines().filter(l -> l.startsWith("process_id:")).findFirst()
          .orElseThrow().substring("process_id:".length()).strip());
    } finally {
      node.shutdown();
    }
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  static RedisURI uri() {
    return RedisURI.create("redis://" + HOST + ":" + PORT);
  }

  /**
   * Returns a client with the options docs/stores.md asks of an application's client: commands are
   * rejected while disconnected, so none is re-sent after a reconnect.
   */
  static RedisClient client() {
    RedisClient client = RedisClient.create(uri());
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    return client;
  }

  /**
   * Returns the hash a store sees for {@code token}: SHA-256 of its base64url bytes (a session
   * token, a remember-me selector or validator; a routing tag after a dot is left out), as {@link
   * TokenHash#toBase64Url()}.
   */
  static String hashOf(String token) {
    int dot = token.indexOf('.');
    String secret = dot < 0 ? token : token.substring(0, dot);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Base64.getUrlDecoder().decode(secret));
      return TokenHash.of(digest).toBase64Url();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns every key under {@code prefix} (SCAN, never KEYS). */
  static List<String> keysUnder(RedisCommands<String, String> redis, String prefix) {
    List<String> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*")
          .limit(500));
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  /** Deletes every key under {@code prefix}. */
  static void deleteUnder(StatefulRedisConnection<String, String> connection, String prefix) {
    List<String> keys = keysUnder(connection.sync(), prefix);
    if (!keys.isEmpty()) {
      connection.sync().unlink(keys.toArray(new String[0]));
    }
  }
}
