package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.idsOf;
import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A thief copied the laptop's remember-me cookie and resumed with it (the thief now holds the
 * series' current validator). The owner, still signed in on the laptop, sees the strange session
 * in the list and presses "sign out other sessions". logoutOthers keeps the current session's
 * series without rotating it, so the thief's session goes but the thief's cookie starts a new one
 * right after: a session other than the kept one lives after the force logout returned.
 */
class BreakerLogoutOthersKeepsTheThiefsSeriesTest {

  @Test
  void theThiefResumesAgainAfterSignOutOtherSessions() {
    BreakerSupport t = new BreakerSupport();
    SessionManager m = t.manager(Stores.of(InMemorySessionStore.create()));
    IssuedSession laptop = m.authenticate("alice", ClientInfo.NONE, true);
    RememberMeResult thief = m.resumeRememberMe(rememberMe(laptop), ClientInfo.NONE);
    assertThat(thief.status()).isEqualTo(Status.RESUMED);
    t.clock.advance(Duration.ofMinutes(1));

    Session current = m.resolve(laptop.token()).orElseThrow();
    assertThat(m.logoutOthers(current)).isEqualTo(1);
    assertThat(m.resolve(thief.issued().orElseThrow().token())).isEmpty();

    t.clock.advance(Duration.ofMinutes(1));
    RememberMeResult again = m.resumeRememberMe(rememberMe(thief), ClientInfo.NONE);
    assertThat(again.status()).as("the thief's cookie after 'sign out other sessions'")
        .isNotEqualTo(Status.RESUMED);
    assertThat(idsOf(m, "alice")).containsExactly(current.id());
  }
}
