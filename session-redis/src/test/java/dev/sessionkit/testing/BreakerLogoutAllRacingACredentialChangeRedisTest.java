package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.idsOf;
import static dev.sessionkit.testing.BreakerSupport.outcome;
import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.Session;
import dev.sessionkit.SessionEndedException;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An administrator disables alice ({@code logoutAll}) while alice's other device changes its
 * password ({@code credentialsChanged}). Found by a breaker when the sweep deleted series first:
 * the credential change's new series carried the generation the logout-all raised to, and resumed
 * after "sign out everywhere" returned (I1). The logout-all is parked after each of its store
 * calls in turn while the credential change runs; afterwards nothing of alice resumes or resolves.
 */
class BreakerLogoutAllRacingACredentialChangeRedisTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  protected Stores createStores() {
    return BreakerRedis.stores();
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void nothingOfACredentialChangeSurvivesARacingLogoutAll() {
    BreakerSupport t = new BreakerSupport();
    for (Operation step : List.of(Operation.PRINCIPAL_GENERATION,
        Operation.SESSION_REVOKE_PRINCIPAL, Operation.SERIES_REVOKE_PRINCIPAL)) {
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = t.manager(interleaving.stores());
        IssuedSession device = manager.authenticate("alice", ClientInfo.NONE, true);
        Session seen = manager.resolve(device.token()).orElseThrow();

        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        Future<Integer> logoutAll = executor.submit(() -> manager.logoutAll("alice"));
        pause.awaitParked(Duration.ofSeconds(10));
        IssuedSession changed;
        try {
          changed = manager.credentialsChanged(seen);
        } catch (SessionEndedException signedOutMeanwhile) {
          changed = null; // the logout-all ended this session first: right
        }
        pause.release();
        assertThat(outcome(logoutAll)).isInstanceOf(Integer.class); // "signed out everywhere"
        if (changed == null) {
          assertThat(idsOf(manager, "alice")).isEmpty();
          continue;
        }

        assertThat(idsOf(manager, "alice")).isEmpty();
        t.clock.advance(Duration.ofMinutes(10));
        assertThat(manager.resumeRememberMe(rememberMe(changed), ClientInfo.NONE).status())
            .as("the remember-me cookie issued by the racing credential change, after logoutAll"
                + " returned").isNotEqualTo(Status.RESUMED);
        assertThat(idsOf(manager, "alice")).isEmpty();
      }
    }
  }
}
