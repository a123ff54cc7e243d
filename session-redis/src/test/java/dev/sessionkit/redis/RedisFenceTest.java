// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.SessionRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The revocation fence under real concurrency: logins that read the principal's generation before
 * a force logout keep creating sessions with it, on their own connection, while the revocation
 * runs on another. Redis runs each script whole, so every such create lands before the revocation
 * (and is deleted by it) or after it (and is refused): no session with a stale generation
 * survives.
 */
class RedisFenceTest {

  private static final int ROUNDS = 20;
  /** Creates after the revocation returned, per round: each must be refused. */
  private static final int CREATES_AFTER = 5;

  private static RedisClient loginClient;
  private static RedisClient adminClient;
  private static StatefulRedisConnection<String, String> admin;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    loginClient = RedisTestSupport.client();
    adminClient = RedisTestSupport.client();
    admin = adminClient.connect();
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      RedisTestSupport.deleteUnder(admin, RedisTestSupport.RUN_PREFIX + "fence:");
      admin.close();
      adminClient.shutdown();
      loginClient.shutdown();
    }
  }

  @Test
  void noSessionCreatedWithAStaleGenerationSurvivesARacingRevocation() throws Exception {
    String prefix = RedisTestSupport.RUN_PREFIX + "fence:";
    try (RedisSessionStore logins = RedisSessionStore.builder().client(loginClient)
            .keyPrefix(prefix).build();
        RedisSessionStore revoker = RedisSessionStore.builder().client(adminClient)
            .keyPrefix(prefix).build()) {
      int refusedInAll = 0;
      for (int round = 0; round < ROUNDS; round++) {
        String principal = "fence-" + round;
        long stale = logins.principalGeneration(principal);
        List<String> stored = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean revoked = new AtomicBoolean();
        CompletableFuture<Integer> creator = CompletableFuture.supplyAsync(() -> {
          int refused = 0;
          int afterRevocation = 0;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (afterRevocation < CREATES_AFTER && System.nanoTime() < deadline) {
            boolean revocationReturned = revoked.get();
            SessionRecord login = RoundTripScenario.authenticated(principal,
                System.currentTimeMillis());
            if (logins.create(login, stale)) {
              stored.add(login.id());
              assertThat(revocationReturned).as("stored after the revocation returned").isFalse();
            } else {
              refused++;
            }
            attempts.incrementAndGet();
            afterRevocation += revocationReturned ? 1 : 0;
          }
          return refused;
        });
        // let the logins run for a while that differs from round to round, then revoke
        while (attempts.get() < round + 1 && !creator.isDone()) {
          LockSupport.parkNanos(50_000);
        }
        Set<String> deleted = new HashSet<>(revoker.revokePrincipal(principal, Set.of(),
            stale + 1));
        revoked.set(true);
        int refused = creator.get(30, TimeUnit.SECONDS);

        assertThat(refused).as("creates after the revocation").isGreaterThanOrEqualTo(
            CREATES_AFTER);
        assertThat(stored).as("logins stored before the revocation").hasSizeGreaterThan(round);
        assertThat(deleted).as("every stored stale session was deleted by the revocation")
            .containsExactlyInAnyOrderElementsOf(stored);
        for (String id : stored) {
          assertThat(logins.findById(id)).as("survivor %s", id).isEmpty();
        }
        assertThat(logins.findByPrincipal(principal, System.currentTimeMillis())).isEmpty();
        // the fence refuses only the stale generation: a login that read the new one is stored
        assertThat(logins.create(RoundTripScenario.authenticated(principal,
            System.currentTimeMillis()), logins.principalGeneration(principal))).isTrue();
        refusedInAll += refused;
      }
      assertThat(refusedInAll).isGreaterThanOrEqualTo(ROUNDS * CREATES_AFTER);
    }
  }
}
