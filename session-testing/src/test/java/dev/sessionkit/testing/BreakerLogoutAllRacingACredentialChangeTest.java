package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.idsOf;
import static dev.sessionkit.testing.BreakerSupport.outcome;
import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An administrator disables alice ({@code logoutAll}) while alice's other device changes its
 * password ({@code credentialsChanged}). The logout-all has deleted the series and is about to
 * sweep the sessions when the credential change runs: it reads generation g, issues its device a
 * new series with generation g + 1 and sweeps to g + 1. The logout-all then sweeps to its own
 * target, also g + 1: the device's session goes, but its new series has the principal's
 * generation, so its remember-me cookie resumes after "sign out everywhere" returned (I1).
 */
class BreakerLogoutAllRacingACredentialChangeTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void theCredentialChangesNewSeriesSurvivesLogoutAll() {
    BreakerSupport t = new BreakerSupport();
    try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
      SessionManager manager = t.manager(interleaving.stores());
      IssuedSession device = manager.authenticate("alice", ClientInfo.NONE, true);
      Session seen = manager.resolve(device.token()).orElseThrow();

      InterleavingStore.Pause pause = interleaving.pauseAfter(Operation.SERIES_REVOKE_PRINCIPAL);
      Future<Integer> logoutAll = executor.submit(() -> manager.logoutAll("alice"));
      pause.awaitParked(Duration.ofSeconds(10));
      IssuedSession changed = manager.credentialsChanged(seen); // completes
      pause.release();
      assertThat(outcome(logoutAll)).isInstanceOf(Integer.class); // "signed out everywhere"

      assertThat(idsOf(manager, "alice")).isEmpty();
      t.clock.advance(Duration.ofMinutes(10));
      assertThat(manager.resumeRememberMe(rememberMe(changed), ClientInfo.NONE).status())
          .as("the remember-me cookie issued by the racing credential change, after logoutAll"
              + " returned").isNotEqualTo(Status.RESUMED);
      assertThat(idsOf(manager, "alice")).isEmpty();
    }
  }
}
