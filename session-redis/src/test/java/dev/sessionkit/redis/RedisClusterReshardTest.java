// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.testing.MutableClock;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a Redis Cluster while a slot is resharded ({@code CLUSTER SETSLOT ... MIGRATING}
 * and {@code IMPORTING}, keys moved by {@code MIGRATE}, as {@code redis-cli --cluster reshard}
 * does it): requests may fail (closed) meanwhile, but a revocation that reports success has ended
 * every session it names, wherever the migration had got to.
 */
class RedisClusterReshardTest {

  private static RedisNamespace redis;
  private static RedisClusterClient client;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.CLUSTER, "reshard-test");
    client = (RedisClusterClient) redis.client();
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  /**
   * A force logout that runs while the principal's slot is being migrated, after the principal's
   * index keys moved to the new node but before its session hashes did (the order in which {@code
   * MIGRATE} takes a slot's keys is Redis's): the script reaches the new node by {@code ASK},
   * finds none of the sessions there, and must not report the principal signed out while its
   * sessions, arriving a moment later, still resolve.
   */
  @Test
  void aForceLogoutDuringAReshardOfThePrincipalsSlotEndsEverySessionOrFails() {
    Reshard reshard = new Reshard("reshard:");
    try (RedisSessionStore store = reshard.store()) {
      SessionManager sessions = reshard.manager(store);
      sessions.logoutAll("alice"); // signed out everywhere once before: a generation key
      IssuedSession phone = sessions.authenticate("alice", ClientInfo.NONE, false);
      IssuedSession laptop = sessions.authenticate("alice", ClientInfo.NONE, false);
      // the index keys first, the session hashes still on the old node
      reshard.run(List.of(reshard.keys.principal(reshard.bucket, "alice"),
          reshard.keys.generation(reshard.bucket, "alice"), reshard.keys.due(reshard.bucket)),
          () -> sessions.logoutAll("alice"));
      assertThat(sessions.resolve(phone.token())).as("force-logged-out session").isEmpty();
      assertThat(sessions.resolve(laptop.token())).as("force-logged-out session").isEmpty();
    }
  }

  /**
   * Listing a principal's sessions ({@code sessionsOf}) while its slot is being migrated, in the
   * same state: the listing reaches the new node, finds no session hash there yet and must not
   * forget the sessions, or a force logout after the migration (when nothing is in flux any more)
   * misses them and they stay signed in until they expire.
   */
  @Test
  void aSessionListingDuringAReshardLeavesEverySessionToALaterForceLogout() {
    Reshard reshard = new Reshard("reshard-list:");
    try (RedisSessionStore store = reshard.store()) {
      SessionManager sessions = reshard.manager(store);
      sessions.logoutAll("alice"); // signed out everywhere once before: a generation key
      IssuedSession phone = sessions.authenticate("alice", ClientInfo.NONE, false);
      reshard.run(List.of(reshard.keys.principal(reshard.bucket, "alice"),
          reshard.keys.generation(reshard.bucket, "alice"), reshard.keys.due(reshard.bucket)),
          () -> sessions.sessionsOf("alice"));
      sessions.logoutAll("alice"); // the slot is stable again
      assertThat(sessions.resolve(phone.token())).as("force-logged-out after the migration")
          .isEmpty();
    }
  }

  /**
   * Signing everyone out ({@code logoutEveryone}) while a principal's slot is being migrated, its
   * index keys (due indexes, principal sets, generation) on the new node and its session and
   * series hashes still on the old one: the per-bucket script runs on the new node and must not
   * report the sessions ended (nor drop their index entries) while they still resolve.
   */
  @Test
  void aLogoutOfEveryoneDuringAReshardEndsEverySessionOrFails() {
    Reshard reshard = new Reshard("reshard-all:");
    try (RedisSessionStore store = reshard.store()) {
      SessionManager sessions = reshard.manager(store);
      IssuedSession phone = sessions.authenticate("alice", ClientInfo.NONE, true);
      IssuedSession laptop = sessions.authenticate("alice", ClientInfo.NONE, false);
      String rememberMe = phone.rememberMe().orElseThrow().value();
      RedisKeys keys = reshard.keys;
      String bucket = reshard.bucket;
      reshard.run(List.of(keys.due(bucket), keys.seriesDue(bucket),
          keys.principal(bucket, "alice"), keys.seriesOfPrincipal(bucket, "alice"),
          keys.generation(bucket, "alice")), sessions::logoutEveryone);
      assertThat(sessions.resolve(phone.token())).as("signed-out session").isEmpty();
      assertThat(sessions.resolve(laptop.token())).as("signed-out session").isEmpty();
      assertThat(sessions.resumeRememberMe(rememberMe, ClientInfo.NONE).issued())
          .as("remember-me after everyone was signed out").isEmpty();
    }
  }

  /**
   * The request path (resolve, which records an access), a logout and a touch while the slot of
   * the sessions' bucket is being migrated, in three states: the session hashes moved first, the
   * index keys moved first, no key moved yet. Each call either answers as it would on a stable
   * slot or fails closed ({@link SessionStoreException}): never "no session" for a live one,
   * never a logout reported done while the session still resolves, never an access recorded in
   * the hash without its due entry.
   */
  @Test
  void aResolveALogoutAndATouchDuringAReshardAnswerRightOrFailClosed() {
    for (String split : List.of("hashes first", "indexes first", "nothing moved")) {
      Reshard reshard = new Reshard("reshard-request-" + split.charAt(0) + ":");
      MutableClock clock = MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()));
      try (RedisSessionStore store = reshard.store()) {
        SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();
        IssuedSession phone = sessions.authenticate("alice", ClientInfo.NONE, false);
        IssuedSession laptop = sessions.authenticate("alice", ClientInfo.NONE, false);
        String phoneId = phone.session().id();
        clock.advance(Duration.ofSeconds(2)); // past the touch interval: a resolve writes
        RedisKeys keys = reshard.keys;
        List<String> movedFirst = switch (split) {
          case "hashes first" -> List.of(keys.session(reshard.bucket, phoneId),
              keys.session(reshard.bucket, laptop.session().id()));
          case "indexes first" -> List.of(keys.due(reshard.bucket),
              keys.principal(reshard.bucket, "alice"));
          default -> List.of();
        };
        List<String> outcomes = new ArrayList<>();
        boolean[] loggedOut = new boolean[1];
        reshard.run(movedFirst, () -> {
          outcomes.add(attempt("resolve", () -> assertThat(sessions.resolve(phone.token()))
              .as("%s: a live session is never 'no session'", split).isPresent()));
          outcomes.add(attempt("logout", () -> {
            assertThat(sessions.logout(laptop.token())).as("%s: logout", split).isTrue();
            loggedOut[0] = true;
          }));
          outcomes.add(attempt("touch", () -> assertThat(
              store.touch(phoneId, clock.millis() + 1000)).as("%s: touch", split).isTrue()));
        });
        if (!loggedOut[0]) {
          assertThat(sessions.logout(laptop.token())).as("%s: the retry", split).isTrue();
        }
        assertThat(sessions.resolve(laptop.token())).as("%s: logged out (%s)", split, outcomes)
            .isEmpty();
        SessionRecord stored = store.findById(phoneId).orElseThrow();
        long expiry = stored.lifetime().expiresAt();
        assertThat(redis.keysUnder(reshard.prefix)).as("%s: the keys left", split)
            .contains(keys.session(reshard.bucket, phoneId), keys.due(reshard.bucket));
        assertThat(dueScoreOf(reshard, phoneId)).as("%s: the due entry follows the hash (%s)",
            split, outcomes).isEqualTo(expiry);
        assertThat(sessions.resolve(phone.token())).as("%s: still signed in", split).isPresent();
      }
    }
  }

  private static String attempt(String what, Runnable call) {
    try {
      call.run();
      return what + " answered";
    } catch (SessionStoreException refused) {
      return what + " failed closed";
    }
  }

  private static long dueScoreOf(Reshard reshard, String sessionId) {
    int port = primaryPortOf(reshard.slot);
    String due = reshard.keys.due(reshard.bucket);
    List<Double> scores = onNode(port, c -> {
      List<Double> found = new ArrayList<>();
      for (var entry : c.zrangeWithScores(due, 0, -1)) {
        if (entry.getValue().startsWith(sessionId + "\n")) {
          found.add(entry.getScore());
        }
      }
      return found;
    });
    assertThat(scores).as("one due entry").hasSize(1);
    return scores.get(0).longValue();
  }

  /** Alice's bucket under a fresh key prefix, and the moves of its slot. */
  private static final class Reshard {
    final String prefix;
    final RedisKeys keys;
    final String bucket = RedisKeys.bucketOf("alice");
    final int slot;

    Reshard(String name) {
      prefix = redis.newPrefix() + name;
      keys = new RedisKeys(prefix);
      slot = SlotHash.getSlot(keys.bucketRoot(bucket));
    }

    RedisSessionStore store() {
      return RedisSessionStore.builder().clusterClient(client).keyPrefix(prefix).build();
    }

    SessionManager manager(RedisSessionStore store) {
      return SessionManager.builder().store(store)
          .clock(MutableClock.at(Instant.ofEpochMilli(System.currentTimeMillis()))).build();
    }

    /**
     * Moves the slot to another primary: {@code movedFirst} (keys of the slot), then {@code
     * operation}, which may fail closed ({@link SessionStoreException}) while the slot is split,
     * then every other key; runs {@code operation} again if it failed (the caller's retry once the
     * slot settled). Moves the slot back at the end, whatever happened.
     */
    void run(List<String> movedFirst, Runnable operation) {
      int source = primaryPortOf(slot);
      int target = otherPrimaryPort(source);
      try {
        beginMigration(slot, source, target);
        migrate(source, target, movedFirst);
        boolean reportedDone;
        try {
          operation.run();
          reportedDone = true;
        } catch (SessionStoreException refusedDuringMigration) {
          reportedDone = false; // fail closed: the caller retries once the slot settled
        }
        finishMigration(slot, source, target);
        if (!reportedDone) {
          operation.run();
        }
      } finally {
        if (primaryPortOf(slot) != source) {
          int now = primaryPortOf(slot);
          beginMigration(slot, now, source);
          finishMigration(slot, now, source);
        }
      }
    }
  }

  // ------------------------------------------------------------------ resharding by hand

  private static <T> T onNode(int port, java.util.function.Function<RedisCommands<String, String>,
      T> action) {
    RedisClient node = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + port));
    try (var connection = node.connect()) {
      return action.apply(connection.sync());
    } finally {
      node.shutdown();
    }
  }

  private static String idOf(int port) {
    return onNode(port, RedisCommands::clusterMyId);
  }

  private static void beginMigration(int slot, int source, int target) {
    String sourceId = idOf(source);
    String targetId = idOf(target);
    onNode(target, c -> c.clusterSetSlotImporting(slot, sourceId));
    onNode(source, c -> c.clusterSetSlotMigrating(slot, targetId));
  }

  private static void migrate(int source, int target, List<String> keys) {
    if (keys.isEmpty()) {
      return; // MIGRATE needs a key
    }
    onNode(source, c -> c.migrate("127.0.0.1", target, 0, 5000,
        MigrateArgs.Builder.<String>keys(keys)));
  }

  /** Moves the rest of the slot's keys and assigns the slot to {@code target} on every node. */
  private static void finishMigration(int slot, int source, int target) {
    while (true) {
      List<String> left = onNode(source, c -> c.clusterGetKeysInSlot(slot, 100));
      if (left.isEmpty()) {
        break;
      }
      migrate(source, target, left);
    }
    String targetId = idOf(target);
    onNode(target, c -> c.clusterSetSlotNode(slot, targetId));
    onNode(source, c -> c.clusterSetSlotNode(slot, targetId));
    for (int port : primaryPorts()) {
      onNode(port, c -> c.clusterSetSlotNode(slot, targetId));
    }
  }

  private static String clusterNodes() {
    return onNode(7101, c -> c.clusterNodes());
  }

  private static List<Integer> primaryPorts() {
    List<Integer> ports = new ArrayList<>();
    for (RedisClusterNode node : ClusterPartitionParser.parse(
        clusterNodes())) {
      if (node.getRole().isUpstream() && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
        ports.add(node.getUri().getPort());
      }
    }
    return ports;
  }

  private static int primaryPortOf(int slot) {
    RedisClusterNode node = ClusterPartitionParser.parse(clusterNodes())
        .getPartitionBySlot(slot);
    return node.getUri().getPort();
  }

  private static int otherPrimaryPort(int port) {
    return primaryPorts().stream().filter(p -> p != port).findFirst().orElseThrow();
  }
}
