// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.EndReason;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.memory.InMemorySessionStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anonymous sessions are bounded: a flood of cookie-less cart writes cannot fill the store. */
class DemoAnonymousSessionsTest {

  @Test
  void twoThousandCookieLessCartWritesDoNotCreateTwoThousandSessions() throws Exception {
    try (DemoServer demo = DemoServer.start(DemoOptions.parse(List.of("--port=0",
            "--user=alice:alice-pass-1")),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      InMemorySessionStore store = (InMemorySessionStore) demo.services().manager().store();
      int perAddress = demo.services().anonymous().maxPerAddress();
      int started = 0;
      int refused = 0;
      for (int i = 0; i < 2000; i++) {
        Browserless script = new Browserless(demo.uri()).json();
        HttpResponse<String> r = script.post("/cart", "item", "spam-" + i);
        if (r.statusCode() == 200) {
          started++;
          assertThat(script.cookies).containsKey("__Host-sid");
        } else {
          assertThat(r.statusCode()).as("write %d", i).isEqualTo(429);
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
          assertThat(script.setCookies(r)).isEmpty();
          refused++;
        }
      }
      assertThat(started).isEqualTo(perAddress).isEqualTo(AnonymousSessions.DEFAULT_MAX / 20);
      assertThat(refused).isEqualTo(2000 - perAddress);
      assertThat(store.size()).isEqualTo(perAddress);
      assertThat(demo.services().anonymous().live()).isEqualTo(perAddress);

      // signing in is never refused for it, and an anonymous session that signs in frees a slot
      Browserless shopper = new Browserless(demo.uri());
      assertThat(shopper.post("/cart", "item", "book").statusCode()).isEqualTo(429);
      assertThat(shopper.post("/login", "username", "alice", "password", "alice-pass-1")
          .statusCode()).isEqualTo(303);
      assertThat(shopper.post("/cart", "item", "book").statusCode()).isEqualTo(303);
    }
  }

  @Test
  void theTotalIsCappedAcrossAddressesAndEveryEndFreesASlot() {
    AnonymousSessions anonymous = new AnonymousSessions(40); // 2 per address
    for (int i = 0; i < 40; i++) {
      String id = "id" + i;
      assertThat(anonymous.refusal("10.0.0." + i / 2)).as("session %d", i).isNull();
      anonymous.onEvent(event(SessionEvent.Type.CREATED, id, null, null));
      anonymous.started(id, "10.0.0." + i / 2);
    }
    assertThat(anonymous.refusal("10.0.0.0")).isEqualTo(AnonymousSessions.Refusal.ADDRESS_FULL);
    assertThat(anonymous.refusal("10.9.9.9")).isEqualTo(AnonymousSessions.Refusal.FULL);

    anonymous.onEvent(event(SessionEvent.Type.AUTHENTICATED, "id0", "alice", null));
    anonymous.onEvent(event(SessionEvent.Type.EXPIRED, "id2", null, EndReason.IDLE_TIMEOUT));
    anonymous.onEvent(event(SessionEvent.Type.LOGGED_OUT, "id4", null, EndReason.LOGOUT));
    anonymous.onEvent(event(SessionEvent.Type.REVOKED, "id6", null, EndReason.REVOKED));
    anonymous.onEvent(event(SessionEvent.Type.EXPIRED, "unknown", null,
        EndReason.ABSOLUTE_TIMEOUT));
    assertThat(anonymous.live()).isEqualTo(36);
    assertThat(anonymous.refusal("10.0.0.0")).as("id0 signed in").isNull();
    assertThat(anonymous.refusal("10.9.9.9")).isNull();
    anonymous.onEvent(event(SessionEvent.Type.CREATED, "signed-in", "bob", null));
    assertThat(anonymous.live()).as("authenticated sessions are not counted").isEqualTo(36);
  }

  private static SessionEvent event(SessionEvent.Type type, String id, String principal,
      EndReason reason) {
    return new SessionEvent(type, id, principal, Instant.EPOCH, reason);
  }
}
