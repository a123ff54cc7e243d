// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ForwardingSessionStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Logout by token is one store call ({@code SessionStore.findAndDelete}), which finds and deletes
 * the session in one step; the in-memory store's side is counted in {@code
 * InMemoryFindAndDeleteTest}.
 */
class LogoutPathTest {

  /** Counts the calls a logout makes; forwards {@code findAndDelete} to the store beneath. */
  private static final class CountingStore extends ForwardingSessionStore {
    final List<String> calls = new ArrayList<>();

    CountingStore() {
      super(InMemorySessionStore.create());
    }

    @Override
    public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
      calls.add("findByTokenHash");
      return super.findByTokenHash(tokenHash);
    }

    @Override
    public boolean delete(String sessionId) {
      calls.add("delete");
      return super.delete(sessionId);
    }

    @Override
    public SessionView findAndDelete(long w0, long w1, long w2, long w3, String routingTag,
        long nowMillis) {
      calls.add("findAndDelete");
      return delegate().findAndDelete(w0, w1, w2, w3, routingTag, nowMillis);
    }
  }

  @Test
  void aLogoutIsOneStoreCallAndEndsTheSessionOnce() {
    CountingStore store = new CountingStore();
    RecordingListener events = new RecordingListener();
    SessionManager manager = SessionManager.builder().store(store)
        .rememberMeStore(InMemorySessionStore.create()).listener(events).build();
    IssuedSession issued = manager.authenticate("alice", ClientInfo.NONE, false);
    store.calls.clear();

    assertThat(manager.logout(issued.token())).isTrue();

    assertThat(store.calls).containsExactly("findAndDelete");
    assertThat(manager.resolve(issued.token())).isEmpty();
    assertThat(manager.logout(issued.token())).as("ended once").isFalse();
    List<SessionEvent> loggedOut = events.ofType(SessionEvent.Type.LOGGED_OUT);
    assertThat(loggedOut).hasSize(1);
    assertThat(loggedOut.get(0).sessionId()).contains(issued.session().id());
    assertThat(loggedOut.get(0).principal()).contains("alice");
    assertThat(loggedOut.get(0).reason()).contains(EndReason.LOGOUT);
  }
}
