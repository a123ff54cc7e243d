// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.JavaSerializationCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's example of the Redis store, as written there (prefix aside). */
class ReadmeExampleTest {

  @Test
  void readmeExampleRuns() {
    RedisTestSupport.requireRedis();
    String prefix = RedisTestSupport.RUN_PREFIX + "readme:";
    try (RedisSessionStore store = RedisSessionStore.builder()
        .uri("redis://127.0.0.1:6379")       // or .client(redisClient) / .connection(conn)
        .keyPrefix(prefix)                    // default "sessionkit:"
        .timeout(Duration.ofSeconds(1))       // per command, default 2 s
        .codec(JavaSerializationCodec.builder().allow("com.example.shop.*").build())
        .build()) {
      // one store for sessions and remember-me series
      SessionManager sessions = SessionManager.builder().store(store).build();
      IssuedSession login = sessions.authenticate("alice", ClientInfo.NONE, true);
      assertThat(sessions.resolve(login.token())).isPresent();

      sessions.logout(login.token());
      assertThat(sessions.resolve(login.token())).isEmpty();
      assertThat(sessions.resumeRememberMe(login.rememberMe().orElseThrow().value(),
          ClientInfo.NONE).issued()).isEmpty();
    }
  }
}
