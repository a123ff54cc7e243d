package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.contract.SessionStoreContract;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest extends SessionStoreContract {

  @Override
  protected SessionStore createStore() {
    return InMemorySessionStore.create();
  }

  @Test
  void aFullStoreRefusesNewSessionsWithAClearError() {
    InMemorySessionStore small = InMemorySessionStore.withMaxSessions(2);
    small.create(session("alice", t0));
    small.create(session("alice", t0));
    assertThatThrownBy(() -> small.create(session("bob", t0)))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("full")
        .hasMessageContaining("maxSessions=2");
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void aFullStoreAcceptsSessionsAgainAfterAPurge() {
    InMemorySessionStore small = InMemorySessionStore.withMaxSessions(1);
    small.create(session("alice", t0 - IDLE));
    assertThat(small.purgeExpired(t0, 10)).hasSize(1);
    small.create(session("bob", t0));
    assertThat(small.size()).isEqualTo(1);
  }

  @Test
  void maxSessionsMustBePositive() {
    assertThatThrownBy(() -> InMemorySessionStore.withMaxSessions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSessions");
  }
}
