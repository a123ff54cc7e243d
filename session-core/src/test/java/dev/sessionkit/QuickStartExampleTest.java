// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ClientInfo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's quick start; DocumentationExamplesTest checks that the README shows it. */
class QuickStartExampleTest {

  @Test
  void readmeExampleRuns() {
    // example: quick-start
    SessionManager sessions = SessionManager.builder()
        .config(SessionConfig.builder().idleTimeout(Duration.ofMinutes(15)).build())
        .build();                                       // in-memory store, system clock

    IssuedSession visit = sessions.startAnonymous(ClientInfo.of("203.0.113.9", "Firefox"));
    visit.session().putAttribute("cart", new ArrayList<>(List.of("book")));

    IssuedSession login = sessions.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    Session session = sessions.resolve(login.token()).orElseThrow(); // on every request
    assert sessions.resolve(visit.token()).isEmpty();   // the pre-login token is dead
    assert session.getAttribute("cart").isPresent();    // the cart survived the login

    String rememberMe = login.rememberMe().orElseThrow().value();     // persistent cookie
    IssuedSession changed = sessions.credentialsChanged(session);      // after a password change:
    assert sessions.resolve(login.token()).isEmpty();   // others signed out, this one re-issued
    sessions.logout(changed.token());                   // ends the session on the server
    // end of example

    assertThat(sessions.resolve(visit.token())).isEmpty();
    assertThat(session.getAttribute("cart")).contains(List.of("book"));
    assertThat(rememberMe).hasSize(60);
    assertThat(changed.session().id()).isEqualTo(login.session().id());
    assertThat(sessions.resolve(changed.token())).isEmpty();
    assertThat(sessions.resumeRememberMe(rememberMe, ClientInfo.NONE).status())
        .isEqualTo(RememberMeResult.Status.INVALID);
  }
}
