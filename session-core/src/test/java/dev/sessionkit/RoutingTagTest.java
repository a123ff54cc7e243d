// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ForwardingRememberMeStore;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The routing tag a store proposes travels in session ids and cookie values, reaches the store on
 * the token and selector hashes, and is checked as strictly as the token; stores that do not route
 * see ids and cookies exactly as before.
 */
class RoutingTagTest {

  private static final String TAG = "Rt7";

  private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemorySessionStore memory = InMemorySessionStore.create();
  private final List<TokenHash> lookups = new ArrayList<>();

  /** Tags every record with {@link #TAG} and records the hashes it is asked for. */
  private final class Routing extends ForwardingSessionStore {
    private final String tag;

    Routing(String tag) {
      super(memory);
      this.tag = tag;
    }

    @Override
    public String routingTag(String principal) {
      return tag;
    }

    @Override
    public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
        long minIntervalMillis) {
      lookups.add(tokenHash);
      return super.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis);
    }

    @Override
    public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
      lookups.add(tokenHash);
      return super.findByTokenHash(tokenHash);
    }
  }

  private final class RoutingSeries extends ForwardingRememberMeStore {
    RoutingSeries() {
      super(memory);
    }

    @Override
    public String seriesRoutingTag(String principal) {
      return TAG;
    }
  }

  private SessionManager routed() {
    return SessionManager.builder().store(new Routing(TAG)).rememberMeStore(new RoutingSeries())
        .clock(clock).build();
  }

  @Test
  void aStoreThatDoesNotRouteKeepsIdsAndCookiesAsTheyWere() {
    SessionManager manager = SessionManager.builder().store(memory).clock(clock).build();
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);

    assertThat(login.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(login.session().id()).matches("[A-Za-z0-9_-]{16}");
    assertThat(login.rememberMe().orElseThrow().value())
        .matches("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}");
  }

  @Test
  void theTagFollowsIdsAndCookiesAndReachesTheStoreOnTheHash() {
    SessionManager manager = routed();
    IssuedSession visit = manager.startAnonymous(ClientInfo.NONE);
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);

    for (IssuedSession issued : List.of(visit, login)) {
      assertThat(issued.token()).matches("[A-Za-z0-9_-]{43}\\.Rt7");
      assertThat(issued.session().id()).matches("[A-Za-z0-9_-]{16}\\.Rt7");
    }
    assertThat(login.rememberMe().orElseThrow().value())
        .matches("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}\\.Rt7");

    lookups.clear();
    assertThat(manager.resolve(login.token())).isPresent();
    assertThat(lookups).singleElement().extracting(TokenHash::routingTag).isEqualTo(TAG);

    RememberMeResult resumed = manager.resumeRememberMe(login.rememberMe().orElseThrow().value(),
        ClientInfo.NONE);
    assertThat(resumed.issued()).isPresent();
    assertThat(resumed.issued().orElseThrow().rememberMe().orElseThrow().value())
        .endsWith(".Rt7");
    assertThat(resumed.issued().orElseThrow().token()).endsWith(".Rt7");

    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    assertThat(renewed.token()).endsWith(".Rt7");
    assertThat(manager.revoke("alice", renewed.session().id())).isTrue();
  }

  @Test
  void aMalformedTagIsNoSessionAndNeverReachesTheStore() {
    SessionManager manager = routed();
    String token = manager.authenticate("alice", ClientInfo.NONE, false).token();
    String bare = token.substring(0, 43);
    lookups.clear();

    for (String hostile : List.of(bare + ".", bare + "..Rt7", bare + ".Rt 7", bare + ".Rt7.",
        bare + "." + "x".repeat(RoutingTag.MAX_LENGTH + 1), bare + ".R\u00e9", bare + ".Rt7\n", bare + "Rt7", bare + ".R=",
        bare + "%2ERt7", token + "x".repeat(5000))) {
      assertThat(manager.resolve(hostile)).as("%s", hostile.length()).isEmpty();
      assertThat(manager.logout(hostile)).isFalse();
      assertThat(manager.renew(hostile)).isEmpty();
    }
    assertThat(lookups).isEmpty();
    assertThat(manager.revoke("alice", "AAAAAAAAAAAAAAAA.Rt 7")).isFalse();
    assertThat(manager.resumeRememberMe("AAAAAAAAAAAAAAAA." + bare + ".", ClientInfo.NONE)
        .issued()).isEmpty();
  }

  @Test
  void aStoreThatProposesAMalformedTagFailsLoudly() {
    SessionManager manager = SessionManager.builder().store(new Routing("no.dots"))
        .rememberMeStore(new RoutingSeries()).clock(clock).build();

    assertThatThrownBy(() -> manager.startAnonymous(ClientInfo.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routing tag");
    assertThat(RoutingTag.isValid("123456789012345678901234")).isTrue();
    assertThat(RoutingTag.isValid("1234567890123456789012345")).isFalse();
    assertThat(RoutingTag.ofSessionId("AAAAAAAAAAAAAAAA.x y")).isEmpty();
  }
}
