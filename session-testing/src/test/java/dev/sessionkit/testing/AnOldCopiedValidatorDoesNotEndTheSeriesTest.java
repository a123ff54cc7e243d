// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * forgetRememberMe is documented to end a series only for its current "(or just-replaced)"
 * credential, but it accepts the replaced validator at any age. Whoever copied an old cookie
 * (rotated and confirmed days ago) can present it at logout: the device's persistent login ends
 * silently, and the presentation of a stale validator, which resume would take for theft, raises
 * no alarm.
 */
class AnOldCopiedValidatorDoesNotEndTheSeriesTest {

  @Test
  void anOldCopiedCookieEndsTheVictimsSeriesWithoutAlarm() {
    BreakerSupport t = new BreakerSupport();
    SessionManager m = t.manager(Stores.of(InMemorySessionStore.create()));
    IssuedSession login = m.authenticate("alice", ClientInfo.NONE, true);
    String copied = rememberMe(login); // e.g. from a backup or a shared computer
    t.clock.advance(Duration.ofDays(1));
    RememberMeResult victim = m.resumeRememberMe(copied, ClientInfo.NONE); // the owner's use
    assertThat(victim.status()).isEqualTo(Status.RESUMED);
    t.clock.advance(Duration.ofDays(2)); // far past the grace period

    boolean forgot = m.forgetRememberMe(copied);

    assertThat(forgot).as("a validator replaced two days ago is not 'just replaced'").isFalse();
    assertThat(m.resumeRememberMe(rememberMe(victim), ClientInfo.NONE).status())
        .as("the owner's current cookie").isEqualTo(Status.RESUMED);
  }
}
