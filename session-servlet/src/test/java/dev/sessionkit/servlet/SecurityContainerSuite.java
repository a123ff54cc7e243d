// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.support.Browser;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.testapp.TestBackends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The filter's security features on a real container, started once per class from
 * src/test/webapp/WEB-INF/web.xml: step-up, guessing detection, Clear-Site-Data at logout, and
 * tokens carried by the cookie only. Subclasses supply the container (Jetty 12 ee10, Tomcat 11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecurityContainerSuite {

  static final String SID = "__Host-sid";
  static final String REMEMBER = "__Host-remember";

  private final AtomicInteger browsers = new AtomicInteger();
  private ServletContainer container;
  private Http http;
  private TestBackends backends;

  /** Returns a new, stopped container. */
  abstract ServletContainer newContainer();

  @BeforeAll
  void startContainer() throws Exception {
    backends = TestBackends.install();
    container = newContainer();
    http = new Http(container.start(Path.of("src/test/webapp")));
  }

  @AfterAll
  void stopContainer() throws Exception {
    container.close();
  }

  private Browser browser() {
    return new Browser(http, "SecurityBrowser/" + browsers.incrementAndGet());
  }

  // ------------------------------------------------------------------ step-up

  @Test
  void aSensitiveChangeDemandsARecentInteractiveSignIn() {
    Browser b = browser();
    assertThat(b.get("/clock/do/login?user=alice&remember=true").status()).isEqualTo(200);
    assertThat(b.get("/clock/sec/sensitive").body()).isEqualTo("changed=true\n");

    backends.clock.advance(Duration.ofMinutes(5));
    Reply stale = b.get("/clock/sec/sensitive");
    assertThat(stale.status()).isEqualTo(302);
    assertThat(stale.header("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/reauthenticate?next=/clock/sec/sensitive"));

    String before = b.cookie(SID);
    Reply stepUp = b.get("/clock/sec/reauthenticate?user=alice");
    assertThat(stepUp.body()).isEqualTo("steppedUp=true\n");
    assertThat(b.cookie(SID)).as("a step-up rotates the token").isNotEqualTo(before);
    assertThat(b.get("/clock/sec/sensitive").body()).isEqualTo("changed=true\n");
  }

  @Test
  void aRememberMeSessionMustSignInAgainBeforeASensitiveChange() {
    Browser b = browser();
    b.get("/clock/do/login?user=bob&remember=true");
    b.cookie(SID, null); // the browser restarts: only the remember-me cookie is left

    Reply resumed = b.get("/clock/sec/sensitive");
    assertThat(resumed.setCookie(SID)).as("the remember-me cookie started a session").isPresent();
    assertThat(resumed.status()).as("though it is seconds old").isEqualTo(302);

    b.get("/clock/sec/reauthenticate?user=bob");
    assertThat(b.get("/clock/sec/sensitive").body()).isEqualTo("changed=true\n");
    assertThat(b.cookie(REMEMBER)).as("the device stays remembered").isNotNull();
  }

  @Test
  void aSignedOutRequestIsNeverRecent() {
    Reply anonymous = browser().get("/clock/sec/sensitive");
    assertThat(anonymous.status()).isEqualTo(302);
    assertThat(anonymous.setCookies()).isEmpty();
  }
}
