// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revocations on a private primary with one replica, which the tests stall (SIGSTOP): the store
 * may report a revocation done only once the replica has it ({@code WAIT 1}), so that a failover
 * to that replica can never bring the revoked session back. {@code WAIT} counts the replicas that
 * acknowledged the last write <em>of the connection it is sent on</em>: a revocation is confirmed
 * only by a {@code WAIT} on the very connection (TCP session) that carried its writes.
 */
class RedisRevocationReplicationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private RedisServerProcess primary;
  private RedisServerProcess replica;
  private RedisClient client;
  private RedisClient adminClient;
  private StatefulRedisConnection<String, String> admin;

  @BeforeEach
  void startPrimaryAndReplica() throws Exception {
    primary = RedisServerProcess.start();
    replica = RedisServerProcess.start();
    RedisClient replicaClient = RedisClient.create(RedisURI.create(replica.uri()));
    try (var connection = replicaClient.connect()) {
      connection.sync().replicaof("127.0.0.1", primary.port());
      awaitLine(connection.sync(), "master_link_status:up");
    } finally {
      replicaClient.shutdown();
    }
    adminClient = RedisClient.create(RedisURI.create(primary.uri()));
    admin = adminClient.connect();
    awaitLine(admin.sync(), "slave0:ip=127.0.0.1,port=" + replica.port() + ",state=online");
    client = RedisClient.create(RedisURI.create(primary.uri()));
    client.setOptions(ClientSetup.options(TIMEOUT));
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.shutdown();
    }
    if (admin != null) {
      admin.close();
      adminClient.shutdown();
    }
    if (replica != null) {
      replica.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  /**
   * A logout's delete reaches the primary over the revocation connection; that connection drops
   * and reconnects (a network blip, an idle timeout, {@code CLIENT KILL}) before the {@code WAIT}
   * is sent, so the {@code WAIT} runs on a new connection that has written nothing. A {@code WAIT}
   * that is a connection's first command counts every connected replica at once, also a stalled
   * one that never got the delete; but Lettuce's handshake ({@code HELLO}) comes first, and from
   * Redis 7 any command sets the offset the connection's {@code WAIT} waits for to the primary's
   * current one, which includes the delete. So the logout fails (no replica has it) instead of
   * reporting the user signed out while a failover to that replica would sign them back in.
   */
  @Test
  void aLogoutWhoseRevocationConnectionReconnectsBeforeItsWaitStillWaitsForTheReplica()
      throws Exception {
    ReconnectBeforeWait reconnect = new ReconnectBeforeWait();
    client.addListener((CommandListener) reconnect);
    client.addListener((RedisConnectionStateListener) reconnect);
    try (RedisSessionStore store = RedisSessionStore.builder().client(client)
        .revocationReplicas(1).timeout(TIMEOUT).build()) {
      SessionManager sessions = SessionManager.builder().store(store).build();
      IssuedSession alice = sessions.authenticate("alice", ClientInfo.NONE, false);
      replicaCaughtUp();
      replica.pause();
      try {
        reconnect.arm();
        assertThatThrownBy(() -> sessions.logout(alice.token()))
            .as("the WAIT ran on a connection that did not write the revocation")
            .isInstanceOf(SessionStoreException.class);
        assertThat(reconnect.happened()).as("the connections were killed before the WAIT")
            .isTrue();
      } finally {
        replica.resume();
      }
    }
  }

  /**
   * A logout whose {@code WAIT} failed (the delete stands on the primary, no replica has it) is
   * retried, as the failure says: the retry's delete finds nothing to delete, and must still wait
   * for a replica before it returns, not report "nothing to delete" while the replica still
   * lacks the first attempt's delete.
   */
  @Test
  void aDeleteRetriedAfterItsWaitFailedWaitsForTheReplicaAgain() throws Exception {
    try (RedisSessionStore store = RedisSessionStore.builder().client(client)
        .revocationReplicas(1).timeout(TIMEOUT).build()) {
      SessionManager sessions = SessionManager.builder().store(store).build();
      IssuedSession alice = sessions.authenticate("alice", ClientInfo.NONE, false);
      String id = alice.session().id();
      replicaCaughtUp();
      replica.pause();
      try {
        assertThatThrownBy(() -> store.delete(id)).isInstanceOf(SessionStoreException.class)
            .hasMessageContaining("0 of 1 replicas acknowledged");
        assertThatThrownBy(() -> store.delete(id))
            .as("the retry confirms nothing while the replica lacks the delete")
            .isInstanceOf(SessionStoreException.class)
            .hasMessageContaining("0 of 1 replicas acknowledged");
      } finally {
        replica.resume();
      }
      assertThat(store.delete(id)).as("once the replica has it, the retry returns").isFalse();
    }
  }

  /**
   * Kills the store's connections ({@code CLIENT KILL TYPE normal}) when the store is about to send
   * a {@code WAIT}, on the thread that sends it, and lets the {@code WAIT} go only once both
   * connections are back: it then goes over the new revocation connection.
   */
  private final class ReconnectBeforeWait implements CommandListener,
      RedisConnectionStateListener {
    private final AtomicReference<CountDownLatch> reconnects = new AtomicReference<>();
    private volatile boolean armed;
    private volatile boolean happened;

    void arm() {
      armed = true;
    }

    boolean happened() {
      return happened;
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
      if (!armed || !"WAIT".equals(event.getCommand().getType().toString())) {
        return;
      }
      armed = false;
      CountDownLatch latch = new CountDownLatch(2); // the main and the revocation connection
      reconnects.set(latch);
      long killed = admin.sync().clientKill(KillArgs.Builder.typeNormal());
      assertThat(killed).isEqualTo(2);
      try {
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("both connections are back").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      happened = true;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      CountDownLatch latch = reconnects.get();
      if (latch != null) {
        latch.countDown();
      }
    }
  }

  /** Returns once the replica has acknowledged every write so far (then it is stopped). */
  private void replicaCaughtUp() {
    admin.sync().set("replicated", "yes");
    assertThat(admin.sync().waitForReplication(1, 10_000)).isEqualTo(1);
  }

  /** Polls INFO replication until it shows {@code line} (an outside event: replication). */
  private static void awaitLine(RedisCommands<String, String> redis, String line)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!redis.info("replication").contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("replication never showed " + line + ": "
            + redis.info("replication"));
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
