// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Outages of a private redis-server: frozen (SIGSTOP, requests hang), then killed and restarted
 * with its saved data. Operations fail fast with {@link SessionStoreException}, nothing resolves
 * while Redis is away, and the store heals by itself afterwards with every session intact. A write
 * pause (what a failover does) makes a remember-me rotation time out and be applied later: the
 * browser's next visit with its only cookie must not be taken for theft.
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
              .hasMessageNotContaining(RedisTestSupport.hashOf(token));
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
      client.setOptions(ClientOptions.builder()
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
      RoundTripCounter counter = new RoundTripCounter();
      client.addListener(counter);
      try (RedisSessionStore store = RedisSessionStore.builder().client(client).build();
          StatefulRedisConnection<String, String> admin = client.connect()) {
        String id = RoundTripScenario.randomId() + ".00"; // an id in bucket 00
        counter.take();
        assertThat(store.delete(id)).isFalse();
        assertThat(counter.take()).containsExactly("EVALSHA", "EVAL");
        assertThat(store.delete(id)).isFalse();
        assertThat(counter.take()).containsExactly("EVALSHA");

        admin.sync().scriptFlush();
        counter.take();
        assertThat(store.delete(id)).isFalse();
        assertThat(store.delete(id)).isFalse();
        assertThat(counter.take()).containsExactly("EVALSHA", "EVAL", "EVALSHA");
      } finally {
        client.shutdown();
      }
    }
  }

  /**
   * A write pause ({@code CLIENT PAUSE ... WRITE}) during a remember-me rotation. The rotation
   * script times out (the resume fails, the app answers 503) and Redis applies it when the pause
   * ends; the browser never got the new validator. Its next visit with the old cookie is refused
   * without alarm within the grace period and resumes after it, never a theft response.
   */
  @Test
  void aRememberMeRotationThatTimedOutDuringAWritePauseIsNeverTakenForTheft() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisSessionStore store = RedisSessionStore.builder().uri(server.uri())
            .timeout(Duration.ofMillis(1000)).build()) {
      MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
      List<SessionEvent> events = new CopyOnWriteArrayList<>();
      SessionManager sessions = SessionManager.builder().store(store).clock(clock)
          .listener(events::add).build();
      IssuedSession warmUp = sessions.authenticate("ava", ClientInfo.NONE, true);
      assertThat(sessions.resumeRememberMe(warmUp.rememberMe().orElseThrow().value(),
          ClientInfo.NONE).status()).as("scripts cached, as in a running system")
          .isEqualTo(RememberMeResult.Status.RESUMED);
      IssuedSession login = sessions.authenticate("ivo", ClientInfo.NONE, true);
      String cookie = login.rememberMe().orElseThrow().value();
      String seriesKey = new RedisKeys(RedisSessionStore.DEFAULT_KEY_PREFIX)
          .series(RedisKeys.bucketOf("ivo"),
              RedisTestSupport.hashOf(cookie.substring(0, cookie.indexOf('.'))));
      RedisClient adminClient = RedisClient.create(server.uri());
      try (StatefulRedisConnection<String, String> admin = adminClient.connect()) {
        String validatorBefore = admin.sync().hget(seriesKey, "vh");
        clock.advance(Duration.ofMinutes(40)); // the session cookie is gone; the device resumes

        // CLIENT PAUSE 1500 WRITE: reads go on, writes (scripts included) wait past the store's
        // 1 s timeout (which also bounds its connect: on a loaded machine 300 ms was too short)
        admin.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(1500).add("WRITE"));
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(
            () -> sessions.resumeRememberMe(cookie, ClientInfo.NONE))
            .isInstanceOf(SessionStoreException.class).hasMessageContaining("timed out"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (validatorBefore.equals(admin.sync().hget(seriesKey, "vh"))
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(admin.sync().hget(seriesKey, "vh")).as("Redis applied the rotation later")
            .isNotEqualTo(validatorBefore);
        assertThat(admin.sync().hget(seriesKey, "rc")).as("unconfirmed").isEqualTo("0");
      } finally {
        adminClient.shutdown();
      }
      awaitAnswers(sessions);

      RememberMeResult withinGrace = sessions.resumeRememberMe(cookie, ClientInfo.NONE);
      assertThat(withinGrace.status()).isEqualTo(RememberMeResult.Status.RECENTLY_ROTATED);
      clock.advance(SessionConfig.defaults().rememberMeGracePeriod());
      RememberMeResult nextVisit = sessions.resumeRememberMe(cookie, ClientInfo.NONE);
      assertThat(nextVisit.status()).isEqualTo(RememberMeResult.Status.RESUMED);
      assertThat(events).extracting(SessionEvent::type)
          .doesNotContain(SessionEvent.Type.REMEMBER_ME_THEFT);
      String next = nextVisit.issued().orElseThrow().rememberMe().orElseThrow().value();
      assertThat(sessions.resolve(nextVisit.issued().orElseThrow().token())).isPresent();
      clock.advance(Duration.ofMinutes(40));
      assertThat(sessions.resumeRememberMe(next, ClientInfo.NONE).status())
          .as("the device's new cookie works").isEqualTo(RememberMeResult.Status.RESUMED);
    }
  }

  /** Waits (bounded) until the store answers again after a pause. */
  private static void awaitAnswers(SessionManager sessions) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        sessions.sessionsOf("nobody");
        return;
      } catch (SessionStoreException stillPaused) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("Redis did not answer within 10 s after the pause");
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
