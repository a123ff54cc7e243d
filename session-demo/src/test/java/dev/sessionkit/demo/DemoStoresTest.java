// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo on each durable store its {@code --store} option accepts, on the real local servers.
 * Skipped with a printed reason when a server is unreachable, except under {@code CI=true}.
 */
class DemoStoresTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "redis://127.0.0.1:6379, 6379",
      "'redis-cluster://127.0.0.1:7101,127.0.0.1:7102', 7101",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres, 5432",
      "jdbc:mariadb://127.0.0.1:3306/test?user=root, 3306",
      "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1, 0"})
  void signInCartAndRememberMeWorkOnTheStore(String store, int port) throws Exception {
    requireReachable(store, port);
    if (store.startsWith("redis://")) {
      removeEarlierLayouts(store);
    }
    try (DemoServer demo = DemoServer.start(DemoOptions.parse(List.of("--port=0",
        "--store=" + store, "--user=alice:alice-pass-1")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      Browserless b = new Browserless(demo.uri()).json();
      assertThat(b.post("/cart", "item", "book").body()).isEqualTo("{\"items\":[\"book\"]}");
      HttpResponse<String> login = b.post("/login", "username", "alice", "password",
          "alice-pass-1", "remember-me", "on");
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(b.get("/cart").body()).isEqualTo("{\"items\":[\"book\"]}");

      b.cookies.remove("__Host-sid");
      HttpResponse<String> resumed = b.get("/account");
      assertThat(resumed.statusCode()).isEqualTo(200);
      assertThat(resumed.body()).contains("\"rememberMe\":true");
      assertThat(b.post("/logout").statusCode()).isEqualTo(200);
      assertThat(b.get("/account").statusCode()).isEqualTo(401);
    }
  }

  /**
   * Removes the keys of Redis key layouts 1 and 2 under the demo's default prefix, left by runs of
   * earlier versions: the store refuses to start beside them (as the JDBC tests drop tables of
   * the earlier layout).
   */
  private static void removeEarlierLayouts(String store) {
    RedisClient client = RedisClient.create(store);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      for (String pattern : List.of("sessionkit:v2:*", "sessionkit:due", "sessionkit:rdue")) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
          KeyScanCursor<String> page = redis.scan(cursor,
              ScanArgs.Builder.matches(pattern).limit(500));
          if (!page.getKeys().isEmpty()) {
            redis.unlink(page.getKeys().toArray(new String[0]));
          }
          cursor = page;
        } while (!cursor.isFinished());
      }
    } finally {
      client.shutdown();
    }
  }

  private static void requireReachable(String store, int port) {
    if (port == 0) {
      return;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    } catch (Exception e) {
      String reason = store + " is unreachable on 127.0.0.1:" + port + " (" + e.getMessage() + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true requires it: " + reason);
      }
      System.out.println("DemoStoresTest: skipping: " + reason);
      Assumptions.abort(reason);
    }
  }
}
