package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sessionkit.ClientInfo;
import dev.sessionkit.IssuedSession;
import dev.sessionkit.MutableClock;
import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.SessionStoreException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Outages of a private redis-server: frozen (SIGSTOP, requests hang), then killed and restarted
 * with its saved data. Operations fail fast with {@link SessionStoreException}, nothing resolves
 * while Redis is away, and the store heals by itself afterwards with every session intact.
 */
class RedisOutageTest {

  /** Generous bound for "fails fast": many times the 300 ms timeout, far below a hung thread. */
  private static final Duration FAST = Duration.ofSeconds(10);

  @Test
  void failsFastWhileRedisIsAwayAndRecoversWithEverySessionIntact() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisSessionStore store = RedisSessionStore.builder().uri(server.uri())
            .timeout(Duration.ofMillis(300)).build()) {
      MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
      SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();
      List<IssuedSession> before = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        IssuedSession login = sessions.authenticate("ivy", ClientInfo.NONE, false);
        login.session().putAttribute("cart", "item-" + i);
        before.add(login);
      }
      String token = before.get(0).token();

      server.pause(); // connections stay open; nothing answers
      assertTimeoutPreemptively(FAST, () -> {
        assertThatThrownBy(() -> sessions.resolve(token))
            .isInstanceOf(SessionStoreException.class).hasMessageContaining("timed out");
        assertThatThrownBy(() -> sessions.authenticate("ivy", ClientInfo.NONE, false))
            .isInstanceOf(SessionStoreException.class);
        assertThatThrownBy(() -> store.findById(before.get(1).session().id()))
            .isInstanceOf(SessionStoreException.class);
      });
      server.resume();
      assertAllResolve(sessions, before);

      saveData(server);
      server.kill(); // the connection drops: commands are rejected at once
      assertTimeoutPreemptively(FAST, () -> {
        for (int i = 0; i < 3; i++) {
          assertThatThrownBy(() -> sessions.resolve(token))
              .isInstanceOf(SessionStoreException.class)
              .hasMessageNotContaining(token)
              .hasMessageNotContaining(RedisSessionStoreTest.hash(token));
        }
      });
      server.restart(); // a new process: same data, but no cached scripts (NOSCRIPT, then EVAL)
      assertAllResolve(sessions, before);
      assertThat(sessions.sessionsOf("ivy")).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aFlushedScriptCacheCostsOneExtraRoundTripOnce() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      RedisClient client = RedisClient.create(server.uri());
      RoundTripCounter counter = new RoundTripCounter();
      client.addListener(counter);
      try (RedisSessionStore store = RedisSessionStore.builder().client(client).build();
          StatefulRedisConnection<String, String> admin = client.connect()) {
        String id = RoundTripScenario.randomId();
        counter.take();
        assertThat(store.touch(id, 1)).isFalse();
        assertThat(counter.take()).containsExactly("EVALSHA", "EVAL");
        assertThat(store.touch(id, 1)).isFalse();
        assertThat(counter.take()).containsExactly("EVALSHA");

        admin.sync().scriptFlush();
        counter.take();
        assertThat(store.touch(id, 1)).isFalse();
        assertThat(store.touch(id, 1)).isFalse();
        assertThat(counter.take()).containsExactly("EVALSHA", "EVAL", "EVALSHA");
      } finally {
        client.shutdown();
      }
    }
  }

  private static void saveData(RedisServerProcess server) {
    RedisClient client = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> admin = client.connect()) {
      assertThat(admin.sync().save()).isEqualTo("OK");
    } finally {
      client.shutdown();
    }
  }

  /** Waits (bounded) until the store answers again, then checks every session and attribute. */
  private static void assertAllResolve(SessionManager sessions, List<IssuedSession> issued)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Optional<Session> first = Optional.empty();
    SessionStoreException last = null;
    while (first.isEmpty() && System.nanoTime() < deadline) {
      try {
        first = sessions.resolve(issued.get(0).token());
        assertThat(first).as("the session outlived the outage").isPresent();
      } catch (SessionStoreException stillDown) {
        last = stillDown;
        Thread.sleep(50);
      }
    }
    assertThat(first).as("recovered within 20 s; last failure: %s", last).isPresent();
    for (int i = 0; i < issued.size(); i++) {
      Session session = sessions.resolve(issued.get(i).token()).orElseThrow();
      assertThat(session.attributes()).isEqualTo(Map.of("cart", "item-" + i));
    }
  }
}
