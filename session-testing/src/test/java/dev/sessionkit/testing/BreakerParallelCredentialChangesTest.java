package dev.sessionkit.testing;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A double-submitted password form: two requests of one remembered browser call
 * {@code credentialsChanged} with the same session in parallel. Request A is parked after each of
 * its store calls in turn while request B runs to completion. Whatever the order, the browser must
 * end with a working session (neither response says "the session has ended" while it lives) and a
 * remember-me cookie that resumes; today each call's sweep deletes the other's new series.
 */
class BreakerParallelCredentialChangesTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aDoubleSubmittedPasswordChangeKeepsTheDeviceRemembered() {
    List<String> broken = new ArrayList<>();
    for (Operation step : List.of(Operation.PRINCIPAL_GENERATION, Operation.SERIES_CREATE,
        Operation.SERIES_REVOKE_PRINCIPAL, Operation.SESSION_REVOKE_PRINCIPAL)) {
      BreakerSupport t = new BreakerSupport();
      try (InterleavingStore interleaving = new InterleavingStore(createStores())) {
        SessionManager manager = t.manager(interleaving.stores());
        IssuedSession laptop = manager.authenticate("alice", ClientInfo.NONE, true);
        Session seenByA = manager.resolve(laptop.token()).orElseThrow();
        Session seenByB = manager.resolve(laptop.token()).orElseThrow();

        InterleavingStore.Pause pause = interleaving.pauseAfter(step);
        Future<IssuedSession> a = executor.submit(() -> manager.credentialsChanged(seenByA));
        pause.awaitParked(Duration.ofSeconds(10));
        IssuedSession b = manager.credentialsChanged(seenByB);
        pause.release();
        Object resultA = outcome(a);

        List<String> problems = new ArrayList<>();
        if (resultA instanceof Throwable e) {
          problems.add("A threw " + e.getClass().getSimpleName() + " (" + e.getMessage() + ")"
              + " while the session " + (manager.resolve(b.token()).isPresent() ? "lives"
              : "is gone"));
        }
        // the browser keeps the cookies of whichever response set them last; try both orders
        List<IssuedSession> responses = new ArrayList<>();
        responses.add(b);
        if (resultA instanceof IssuedSession ia) {
          responses.add(ia);
        }
        t.clock.advance(Duration.ofHours(9)); // the session is over: only remember-me is left
        for (IssuedSession response : responses) {
          Status status = manager.resumeRememberMe(rememberMe(response), ClientInfo.NONE)
              .status();
          if (status != Status.RESUMED) {
            problems.add((response == b ? "B" : "A") + "'s remember-me cookie: " + status);
          }
        }
        if (!problems.isEmpty() && problems.size() >= responses.size()) {
          broken.add("A parked after " + step + ": " + problems);
        } else if (resultA instanceof Throwable) {
          broken.add("A parked after " + step + ": " + problems);
        }
      }
    }
    assertThat(broken).isEmpty();
  }
}
