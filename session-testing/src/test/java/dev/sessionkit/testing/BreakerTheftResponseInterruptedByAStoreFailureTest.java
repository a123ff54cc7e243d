package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.idsOf;
import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Theft is detected (the victim's browser presents the validator the thief's resume replaced),
 * but one store call of the theft sweep fails. The sweep deletes the series first, so the evidence
 * is gone: the victim's retry is INVALID, the sweep never runs again, and the thief's session stays
 * alive until its timeouts. I1 (a theft response is final) and I2 (unknown outcomes are safe).
 */
class BreakerTheftResponseInterruptedByAStoreFailureTest {

  protected Stores createStores() {
    return Stores.of(InMemorySessionStore.create());
  }

  @Test
  void aFailedTheftSweepLeavesTheThiefSignedIn() {
    List<String> survivors = new ArrayList<>();
    for (Operation op : List.of(Operation.SERIES_REVOKE_PRINCIPAL,
        Operation.SESSION_REVOKE_PRINCIPAL)) {
      for (Fault fault : Fault.values()) {
        BreakerSupport t = new BreakerSupport();
        try (FaultInjectingStore faults = new FaultInjectingStore(createStores())) {
          SessionManager manager = t.manager(faults.stores());
          IssuedSession victim = manager.authenticate("alice", ClientInfo.NONE, true);
          String stolen = rememberMe(victim);
          RememberMeResult thief = manager.resumeRememberMe(stolen, ClientInfo.NONE);
          assertThat(thief.status()).isEqualTo(Status.RESUMED);
          String thiefToken = thief.issued().orElseThrow().token();
          t.clock.advance(Duration.ofMinutes(10));

          // the victim's browser presents its (replaced) validator: theft; the sweep hits a fault
          faults.failNext(op, fault);
          Object first;
          try {
            first = manager.resumeRememberMe(stolen, ClientInfo.NONE).status();
          } catch (SessionStoreException e) {
            first = "SessionStoreException";
          }
          faults.heal();
          t.clock.advance(Duration.ofMinutes(1));
          // the browser retries with the only cookie it has
          Status retry = manager.resumeRememberMe(stolen, ClientInfo.NONE).status();

          boolean thiefAlive = manager.resolve(thiefToken).isPresent();
          List<String> alive = idsOf(manager, "alice");
          if (thiefAlive || !alive.isEmpty()) {
            survivors.add(op + "/" + fault + ": first=" + first + ", retry=" + retry
                + ", thief session resolves=" + thiefAlive + ", live sessions of alice="
                + alive.size() + ", theft events=" + t.events.stream()
                    .filter(e -> e.type() == dev.sessionkit.SessionEvent.Type.REMEMBER_ME_THEFT)
                    .count());
          }
        }
      }
    }
    assertThat(survivors).as("theft detected, sweep failed once, browser retried: the thief"
        + " must not stay signed in").isEmpty();
  }
}
