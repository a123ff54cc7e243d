// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ClientInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Drives every operation with logging at DEBUG to a file (see the surefire configuration), then
 * checks that no token or validator the test saw appears in the log, an event or an exception.
 */
class SecretsDoNotLeakTest {

  @Test
  void noTokenOrValidatorReachesTheLogEventsOrExceptions() throws Exception {
    Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile",
        "target/sessionkit-test.log"));
    assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("debug");
    TestClock clock = TestClock.at(java.time.Instant.now());
    RecordingListener events = new RecordingListener();
    SessionManager manager = SessionManager.builder().clock(clock).listener(events)
        .config(SessionConfig.builder().maxSessionsPerPrincipal(3).build()).build();
    List<String> secrets = new ArrayList<>();

    IssuedSession visit = manager.startAnonymous(ClientInfo.of("10.0.0.1", "UA"));
    secrets.add(visit.token());
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    secrets.add(login.token());
    String rememberMe = login.rememberMe().orElseThrow().value();
    secrets.add(rememberMe);
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    secrets.add(renewed.token());
    IssuedSession resumed = manager.resumeRememberMe(rememberMe, ClientInfo.NONE).issued()
        .orElseThrow();
    secrets.add(resumed.token());
    secrets.add(resumed.rememberMe().orElseThrow().value());
    manager.logoutOthers(manager.resolve(resumed.token()).orElseThrow());
    for (int i = 0; i < 4; i++) { // the cap of 3 evicts the oldest
      clock.advance(Duration.ofMillis(1));
      secrets.add(manager.authenticate("alice", ClientInfo.NONE, false).token());
    }
    clock.advance(Duration.ofSeconds(10));
    manager.resumeRememberMe(rememberMe, ClientInfo.NONE); // theft
    IssuedSession bob = manager.authenticate("bob", ClientInfo.NONE, false);
    secrets.add(bob.token());
    manager.logout(bob.token());
    IssuedSession idle = manager.startAnonymous(ClientInfo.NONE);
    secrets.add(idle.token());
    clock.advance(Duration.ofHours(1));
    manager.resolve(idle.token());
    manager.purgeExpired();
    assertThatThrownBy(() -> renewed.session().putAttribute("x", 1))
        .satisfies(e -> secrets.forEach(s -> assertThat(e.getMessage()).doesNotContain(s)));

    String logText = Files.readString(log);
    assertThat(logText).contains("REMEMBER_ME", "AUTHENTICATED", "EXPIRED");
    for (String secret : secrets) {
      assertThat(logText).doesNotContain(secret);
      String[] parts = secret.split("\\.");
      assertThat(logText).doesNotContain(parts[parts.length - 1]);
      for (SessionEvent e : events.events()) {
        assertThat(e.toString()).doesNotContain(secret);
      }
    }
  }
}
