// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The failover that {@link RedisClusterTest} and {@link RedisSentinelTest} provoke: the primary on
 * a port is killed (SIGKILL, as a crash) and its replica is promoted, by the cluster itself or by
 * the Sentinels. What a test checks around it: requests fail closed while no primary serves, the
 * store follows the promoted replica without a restart, and a revocation that returned before the
 * kill (it waited for the replica) stays revoked.
 */
final class Failover {

  /** How long the promotion may take: the topology script sets timeouts of a few seconds. */
  private static final long PROMOTION_SECONDS = 60;

  private Failover() {}

  /**
   * Kills the primary on {@code killedPort} and checks, while it is down: {@code kept} and {@code
   * refusedMeanwhile} fail with {@link SessionStoreException}; within 60 s a promoted replica
   * serves (polled every 100 ms): {@code revoked} stays revoked and {@code kept} resolves; {@code
   * primaryPort} names another port; the series of {@code revoked} (issued with remember-me) is
   * invalid; its principal logs in again. Then runs {@code whilePromoted}, and restarts the killed
   * node in every case (it rejoins as a replica; the script returns once it synced).
   *
   * @param killedPort the port of the primary to kill
   * @param primaryPort the port of the primary that serves {@code kept} now, asked of the topology
   * @param sessions the manager over a store of the topology, with a timeout of about a second
   * @param revoked a login with remember-me whose principal was logged out everywhere before
   * @param kept a login that was replicated before the kill and must survive it
   * @param refusedMeanwhile another request that must fail closed while no primary serves
   * @param whilePromoted further checks before the killed node rejoins
   */
  static void killPrimaryAndAwaitPromotion(int killedPort, IntSupplier primaryPort,
      SessionManager sessions, IssuedSession revoked, IssuedSession kept,
      ThrowingCallable refusedMeanwhile, Runnable whilePromoted) throws Exception {
    String revokedRememberMe = revoked.rememberMe().orElseThrow().value();
    String principal = revoked.session().principal().orElseThrow();
    RedisTestSupport.killServer(killedPort);
    try {
      // no primary serves: every request fails closed (the filter answers 503)
      assertThatThrownBy(() -> sessions.resolve(kept.token()))
          .isInstanceOf(SessionStoreException.class);
      assertThatThrownBy(refusedMeanwhile).isInstanceOf(SessionStoreException.class);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMOTION_SECONDS);
      boolean recovered = false;
      while (!recovered && System.nanoTime() < deadline) {
        try {
          assertThat(sessions.resolve(revoked.token())).as("revoked before the failover")
              .isEmpty();
          recovered = sessions.resolve(kept.token()).isPresent();
          assertThat(recovered).as("a replicated session survives the failover").isTrue();
        } catch (SessionStoreException stillFailingOver) {
          TimeUnit.MILLISECONDS.sleep(100); // polls the promotion (an outside event)
        }
      }
      assertThat(recovered).as("the promoted replica serves, no restart").isTrue();
      assertThat(primaryPort.getAsInt()).isNotEqualTo(killedPort);
      assertThat(sessions.resumeRememberMe(revokedRememberMe, ClientInfo.NONE).status())
          .as("the series deleted before the failover")
          .isEqualTo(RememberMeResult.Status.INVALID);
      IssuedSession again = sessions.authenticate(principal, ClientInfo.NONE, false);
      assertThat(sessions.resolve(again.token())).isPresent();
      whilePromoted.run();
    } finally {
      RedisTopology.script("start-node", Integer.toString(killedPort));
    }
  }
}
