// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.JavaSerializationCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the Redis example of README.md and docs/stores.md. */
class ReadmeExampleTest {

  @Test
  void readmeExampleRuns() {
    assertThat(getClass().desiredAssertionStatus()).as("assert statements enabled").isTrue();
    RedisTestSupport.requireRedis();
    String keyPrefix = RedisTestSupport.RUN_PREFIX + "readme:";
    // example: redis-setup
    try (RedisSessionStore store = RedisSessionStore.builder()
        .uri("redis://127.0.0.1:6379")       // or .client(redisClient) / .connection(conn)
        .keyPrefix(keyPrefix)                 // default "sessionkit:"
        .timeout(Duration.ofSeconds(1))       // per command, default 2 s
        .codec(JavaSerializationCodec.builder().allow("com.example.shop.*").build())
        .build()) {
      // one store for sessions and remember-me series
      SessionManager sessions = SessionManager.builder().store(store).build();
      IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
      assert sessions.resolve(login.token()).isPresent();
      String rememberMe = login.rememberMe().orElseThrow().value();
      sessions.logout(login.token());       // ends the session and the device's series
      assert sessions.resolve(login.token()).isEmpty();
      assert sessions.resumeRememberMe(rememberMe, ClientInfo.NONE).issued().isEmpty();
    }
    // end of example
  }
}
