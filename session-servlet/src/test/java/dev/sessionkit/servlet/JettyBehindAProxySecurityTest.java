// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.support.JettyContainer;
import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.testapp.SecurityBackends;
import dev.sessionkit.servlet.testapp.TestBackends;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Guessing detection on a Jetty behind a reverse proxy, set up as SECURITY.md advises ("Jetty's
 * ForwardedRequestCustomizer"): the proxy appends the address it saw to {@code X-Forwarded-For},
 * as proxies do by default. The filter's {@code /guard/*} refuses an address past 3 failures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyBehindAProxySecurityTest {

  private static final String SID = "__Host-sid";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

  private ServletContainer container;
  private URI base;

  @BeforeAll
  void startContainer() throws Exception {
    TestBackends.install();
    SecurityBackends.install();
    container = JettyContainer.behindAProxy();
    base = container.start(Path.of("src/test/webapp"));
  }

  @AfterAll
  void stopContainer() {
    container.close();
  }

  /**
   * Jetty's ForwardedRequestCustomizer trusts every sender and takes the first (leftmost) {@code
   * X-Forwarded-For} address, the one the client wrote; it has no list of trusted proxies to
   * configure. So an attacker who writes its victim's address there has its unknown tokens
   * counted against the victim, whose requests then get 429 for the cool-down (and the attacker
   * evades the count by writing a new address each time).
   */
  @Test
  void aClientCannotLockOutAnotherAddressByWritingItIntoXForwardedFor() {
    String victim = "192.0.2.77";
    String attacker = "198.51.100.5";
    for (int i = 0; i < 4; i++) {
      // what the proxy forwards: the attacker's header, then the address the proxy saw
      assertThat(whoami(victim + ", " + attacker, SID + "=" + unknownToken())).isEqualTo(200);
    }

    assertThat(whoami(victim, null)).as("the victim's own request, through the same proxy")
        .isEqualTo(200);
  }

  /** GETs /guard/sec/whoami as the proxy forwards it; returns the status. */
  private int whoami(String forwardedFor, String cookie) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/guard/sec/whoami"))
        .timeout(Duration.ofSeconds(20)).header("X-Forwarded-For", forwardedFor);
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      throw new AssertionError("GET failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String unknownToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
