package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import org.junit.jupiter.api.Test;

/**
 * Fixation through a request in flight: the attacker planted anonymous token T in the victim's
 * browser and keeps a slow request of its own open with T (resolved before the login). The victim
 * logs in; T is rotated away and never resolves again. The attacker's request, still holding the
 * Session it resolved from T, then writes an attribute and logs out: both act on the victim's
 * authenticated session, because Session writes and logout(Session) go by the public id without
 * checking that the token the request came with is still the session's.
 */
class BreakerStaleAnonymousRequestActsOnTheLoggedInSessionTest {

  @Test
  void aRequestResolvedBeforeTheLoginWritesIntoAndEndsTheAuthenticatedSession() {
    BreakerSupport t = new BreakerSupport();
    SessionManager m = t.manager(Stores.of(InMemorySessionStore.create()));
    IssuedSession planted = m.startAnonymous(ClientInfo.NONE);
    Session attackersRequest = m.resolve(planted.token()).orElseThrow(); // slow request, open

    IssuedSession victim = m.authenticate(planted.token(), "alice", ClientInfo.NONE, false);
    assertThat(m.resolve(planted.token())).isEmpty(); // the fixation defence, as documented

    SoftAssertions soft = new SoftAssertions();
    attackersRequest.putAttribute("shippingAddress", "attacker's address");
    soft.assertThat(m.resolve(victim.token()).orElseThrow().getAttribute("shippingAddress"))
        .as("written by a request that came with the pre-login token").isEmpty();

    m.logout(attackersRequest);
    soft.assertThat(m.resolve(victim.token())).as("ended by the pre-login token's request")
        .isPresent();
    soft.assertAll();
  }
}
