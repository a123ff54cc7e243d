// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.SessionManager;
import dev.sessionkit.StoreHealth;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store check of the Redis store: up, frozen (no answer) and killed (a closed port). */
class RedisStoreCheckTest {

  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void theStoreCheckIsUpWhenRedisAnswers() {
    RedisTestSupport.requireRedis();
    try (RedisSessionStore store = RedisSessionStore.builder()
        .uri("redis://" + RedisTestSupport.HOST + ":" + RedisTestSupport.PORT)
        .keyPrefix(RedisTestSupport.RUN_PREFIX + "check:").build()) {

      StoreHealth health = SessionManager.builder().store(store).build().checkStore(CHECK_TIMEOUT);

      assertThat(health.up()).as("%s", health).isTrue();
      assertThat(health.stores()).startsWith("RedisSessionStore[");
    }
  }

  @Test
  void theStoreCheckIsDownWhileRedisIsFrozenAndAfterItIsGone() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisSessionStore store = RedisSessionStore.builder().uri(server.uri())
            .timeout(Duration.ofMillis(300)).build()) {
      SessionManager sessions = SessionManager.builder().store(store).build();
      assertThat(sessions.checkStore(CHECK_TIMEOUT).up()).isTrue();

      server.pause();                   // connected, but nothing answers: the command times out
      StoreHealth frozen = sessions.checkStore(CHECK_TIMEOUT);
      server.resume();
      assertThat(frozen.up()).isFalse();
      assertThat(frozen.detail()).startsWith("SessionStoreException: ");

      server.kill();                    // the port is closed: commands are rejected at once
      StoreHealth gone = sessions.checkStore(CHECK_TIMEOUT);
      assertThat(gone.up()).isFalse();
      assertThat(gone.detail()).startsWith("SessionStoreException: ");
    }
  }
}
