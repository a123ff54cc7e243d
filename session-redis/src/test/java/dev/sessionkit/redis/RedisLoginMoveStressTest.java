// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.SessionEndedException;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded stress run of the login move (an anonymous session joins its principal's bucket under
 * a new id, three steps) against everything else the same browser and an administrator can do at
 * once with the old cookie and the principal: resolve, attribute writes, logout, renew, a second
 * login, a force logout. Whatever order the steps land in, nothing is half-written: every session
 * hash has exactly its due entry and, when authenticated, its entry in a principal's set that
 * outlives it; every set entry and due entry names a hash; a moved key names the session's new id.
 */
class RedisLoginMoveStressTest {

  private static final int ROUNDS = 60;
  private static RedisNamespace namespace;

  @BeforeAll
  static void connect() {
    namespace = RedisNamespace.open("move-stress");
  }

  @AfterAll
  static void disconnect() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void aLoginMoveRacingTheOldCookieAndAForceLogoutLeavesEveryKeyConsistent() throws Exception {
    String prefix = namespace.newPrefix();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try (RedisSessionStore store = namespace.store(prefix)) {
      SessionManager sessions = SessionManager.builder().store(store).build();
      for (int r = 0; r < ROUNDS; r++) {
        int round = r;
        String principal = "p" + (round % 4);
        IssuedSession visit = sessions.startAnonymous(ClientInfo.NONE);
        visit.session().putAttribute("cart", "book");
        visit.session().saveChanges();
        String old = visit.token();
        CyclicBarrier start = new CyclicBarrier(5);
        List<Future<?>> tasks = new ArrayList<>();
        tasks.add(pool.submit(() -> quietly(start, () -> {
          sessions.authenticate(old, principal, ClientInfo.NONE, round % 3 == 0);
        })));
        tasks.add(pool.submit(() -> quietly(start, () -> {
          for (int i = 0; i < 5; i++) {
            int seen = i;
            sessions.resolve(old).ifPresent(s -> {
              s.putAttribute("seen", seen);
              s.saveChanges();
            });
          }
        })));
        tasks.add(pool.submit(() -> quietly(start, () -> {
          if (round % 2 == 0) {
            sessions.logout(old);
          } else {
            sessions.renew(old);
          }
        })));
        tasks.add(pool.submit(() -> quietly(start, () -> {
          sessions.authenticate(old, principal, ClientInfo.NONE, false); // a parallel login
        })));
        tasks.add(pool.submit(() -> quietly(start, () -> {
          if (round % 5 == 0) {
            sessions.logoutAll(principal);
          } else {
            sessions.sessionsOf(principal);
          }
        })));
        for (Future<?> task : tasks) {
          task.get(60, TimeUnit.SECONDS);
        }
        assertConsistent(prefix, "round " + round);
      }
      for (int p = 0; p < 4; p++) {
        for (Session s : sessions.sessionsOf("p" + p)) {
          assertThat(sessions.revoke("p" + p, s.id())).isTrue();
        }
      }
      sessions.purgeExpired();
      assertConsistent(prefix, "at the end");
    } finally {
      pool.shutdownNow();
      namespace.deleteUnder(prefix);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static Void quietly(CyclicBarrier start, Step step) throws Exception {
    start.await(30, TimeUnit.SECONDS);
    try {
      step.run();
    } catch (SessionEndedException lostTheRace) {
      // a login refused by a force logout, a session that ended under a request: allowed
    }
    return null;
  }

  /** Checks every key under {@code prefix} against the others. */
  private static void assertConsistent(String prefix, String when) {
    RedisCommands<String, String> redis = namespace.commands();
    RedisKeys keys = new RedisKeys(prefix);
    Map<String, Map<String, String>> hashes = new HashMap<>();
    List<String> all = RedisTestSupport.keysUnder(redis, prefix);
    for (String key : all) {
      if (key.contains("}:s:")) {
        hashes.put(key.substring(key.indexOf("}:s:") + 4), redis.hgetall(key));
      }
    }
    for (Map.Entry<String, Map<String, String>> e : hashes.entrySet()) {
      String id = e.getKey();
      String bucket = RedisKeys.bucketOfSessionId(id);
      Map<String, String> f = e.getValue();
      assertThat(f.get("id")).as("%s: hash of %s", when, id).isEqualTo(id);
      long expiry = Math.min(Long.parseLong(f.get("la")) + Long.parseLong(f.get("it")),
          Long.parseLong(f.get("ad")));
      List<ScoredValue<String>> due = new ArrayList<>();
      for (ScoredValue<String> entry : redis.zrangeWithScores(keys.due(bucket), 0, -1)) {
        if (entry.getValue().startsWith(id + "\n")) {
          due.add(entry);
        }
      }
      assertThat(due).as("%s: due entries of %s", when, id).hasSize(1);
      assertThat((long) due.get(0).getScore()).as("%s: due score of %s", when, id)
          .isEqualTo(expiry);
      String principal = f.get("p");
      long hashTtl = redis.pttl(keys.session(bucket, id));
      if (principal != null) {
        String set = keys.principal(bucket, principal);
        assertThat(bucket).isEqualTo(RedisKeys.bucketOf(principal));
        assertThat(redis.smembers(set)).as("%s: %s in its principal's set", when, id)
            .contains(id);
        assertThat(redis.pttl(set)).as("%s: the set outlives %s", when, id)
            .isGreaterThanOrEqualTo(hashTtl - 5_000);
      }
    }
    for (String key : all) {
      if (key.contains("}:p:")) {
        String principal = key.substring(key.indexOf("}:p:") + 4);
        for (String id : redis.smembers(key)) {
          assertThat(hashes.get(id)).as("%s: set entry %s of %s", when, id, principal)
              .isNotNull().containsEntry("p", principal);
        }
      } else if (key.endsWith("}:due")) {
        for (String entry : redis.zrange(key, 0, -1)) {
          String id = entry.substring(0, entry.indexOf('\n'));
          assertThat(hashes).as("%s: due entry %s", when, id).containsKey(id);
        }
      } else if (key.contains("}:m:")) {
        String value = redis.get(key); // the new id, the hash of the token the login replaced
        String to = value.substring(0, value.indexOf('\n'));
        assertThat(RedisKeys.bucketOfSessionId(to)).as("%s: moved key %s", when, key).isNotNull();
        assertThat(value.substring(value.indexOf('\n') + 1)).hasSize(43);
        assertThat(redis.pttl(key)).as("%s: moved key %s expires", when, key).isPositive();
      }
    }
  }
}
