// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.docapp.ProgrammaticRegistration;
import dev.sessionkit.servlet.support.JettyContainer;
import dev.sessionkit.servlet.support.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the servlet examples of README.md and docs/servlet.md on Jetty: the {@code web.xml}
 * example ({@code src/test/doc-webapps/web-xml}), the programmatic registration and the account
 * actions through {@code Sessions} ({@code docapp}). DocumentationExamplesTest (session-core)
 * checks that the documents show exactly this code.
 */
class ServletDocExamplesTest {

  private static final String SID = "__Host-sid";
  private static final String REMEMBER = "__Host-remember";
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theWebXmlExampleServesTheAccountActions() throws Exception {
    try (JettyContainer jetty = new JettyContainer()) {
      URI base = jetty.start(Path.of("src/test/doc-webapps/web-xml"));

      Reply phone = post(base, "/account/login", "user=alice&remember-me=on", null);
      assertThat(phone.status()).isEqualTo(200);
      String phoneCookie = SID + "=" + phone.cookieValue(SID);
      assertThat(phone.cookieValue(REMEMBER)).isNotEmpty();
      assertThat(phone.line("idle")).isEqualTo("900");      // idle-timeout PT15M from web.xml

      Reply laptop = post(base, "/account/login", "user=alice", null);
      String laptopCookie = SID + "=" + laptop.cookieValue(SID);
      assertThat(laptop.line("sessions").split(",")).hasSize(2);
      assertThat(laptop.setCookie(REMEMBER)).isEmpty();

      Reply others = post(base, "/account/others", "", phoneCookie);
      assertThat(others.line("sessions")).isEqualTo(phone.line("current"));
      assertThat(post(base, "/account/logout", "", laptopCookie).line("current")).isEmpty();

      Reply changed = post(base, "/account/password", "", phoneCookie);
      String newCookie = SID + "=" + changed.cookieValue(SID);
      assertThat(newCookie).isNotEqualTo(phoneCookie);
      assertThat(changed.line("current")).isEqualTo(phone.line("current"));
      assertThat(post(base, "/account/logout", "", phoneCookie).line("current")).isEmpty();

      Reply out = post(base, "/account/logout", "", newCookie);
      assertThat(out.line("sessions")).isEmpty();
      assertThat(out.setCookie(SID)).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    }
  }

  @Test
  void theProgrammaticRegistrationServesTheAccountActionsFromItsStore() throws Exception {
    try (JettyContainer jetty = new JettyContainer()) {
      URI base = jetty.start(Path.of("src/test/doc-webapps/programmatic"));

      Reply login = post(base, "/account/login", "user=bob", null);
      String cookie = SID + "=" + login.cookieValue(SID);
      Reply second = post(base, "/account/login", "user=bob", null);
      assertThat(ProgrammaticRegistration.lastStore.size()).isEqualTo(2);

      Reply revoked = post(base, "/account/revoke", "id=" + second.line("current"), cookie);
      assertThat(revoked.line("sessions")).isEqualTo(login.line("current"));
      assertThat(ProgrammaticRegistration.lastStore.size()).isEqualTo(1);
    }
  }

  private static Reply post(URI base, String path, String form, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.headers().map(), r.body());
  }
}
