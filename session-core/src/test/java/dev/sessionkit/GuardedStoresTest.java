// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.SessionStoreException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardedStoresTest {

  private static final TokenHash HASH = TokenHash.of(new byte[32]);

  /** A store whose every method behaves as {@code handler} says. */
  private static SessionStore store(InvocationHandler handler) {
    return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(),
        new Class<?>[] {SessionStore.class, RememberMeStore.class}, handler);
  }

  private static SessionStore throwing(Throwable failure) {
    return store((proxy, method, args) -> {
      throw failure;
    });
  }

  @Test
  void wrapsAFailureOfThePerRequestCallsNamingTheOperation() {
    IllegalStateException cause = new IllegalStateException("connection reset");
    GuardedStores.Sessions guarded = new GuardedStores.Sessions(throwing(cause));

    assertThatThrownBy(() -> guarded.findByTokenHash(HASH))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("session store failed in findByTokenHash (IllegalStateException)")
        .hasCause(cause);
    assertThatThrownBy(() -> guarded.touch("id", 1L))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("session store failed in touch (IllegalStateException)");
    assertThatThrownBy(() -> guarded.revokePrincipal("alice", Set.of(), 1L))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("session store failed in revokePrincipal (IllegalStateException)");
    GuardedStores.RememberMe series = new GuardedStores.RememberMe((RememberMeStore) throwing(cause));
    assertThatThrownBy(() -> series.findSeries(HASH))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("session store failed in find series (IllegalStateException)");
  }

  @Test
  void passesAStoreExceptionOnUnchanged() {
    SessionStoreException failure = new SessionStoreException("database is down");
    GuardedStores.Sessions guarded = new GuardedStores.Sessions(throwing(failure));

    assertThatThrownBy(() -> guarded.findByTokenHash(HASH)).isSameAs(failure);
    assertThatThrownBy(() -> guarded.touch("id", 1L)).isSameAs(failure);
    assertThatThrownBy(() -> guarded.findById("id")).isSameAs(failure);
  }

  @Test
  void wrapsAnErrorButNotAVirtualMachineError() {
    AssertionError assertion = new AssertionError("bug in a store");
    StackOverflowError overflow = new StackOverflowError();

    assertThatThrownBy(() -> new GuardedStores.Sessions(throwing(assertion)).findByTokenHash(HASH))
        .isInstanceOf(SessionStoreException.class).hasCause(assertion);
    assertThatThrownBy(() -> new GuardedStores.Sessions(throwing(overflow)).findByTokenHash(HASH))
        .isSameAs(overflow);
    assertThatThrownBy(() -> new GuardedStores.Sessions(throwing(overflow)).touch("id", 1L))
        .isSameAs(overflow);
  }

  @Test
  void aNullAnswerIsAFailureNotAnAnswer() {
    GuardedStores.Sessions guarded = new GuardedStores.Sessions(store((proxy, method, args) -> null));

    assertThatThrownBy(() -> guarded.findByTokenHash(HASH))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("session store answered null to findByTokenHash");
    assertThatThrownBy(() -> guarded.findById("id"))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("session store answered null to findById");
  }

  @Test
  void aFailingStoreNeverYieldsASession() {
    SessionManager manager = SessionManager.builder()
        .store(throwing(new IllegalStateException("down"))).build();
    String token = Tokens.newToken(TokenGenerator.secure());

    assertThatThrownBy(() -> manager.resolve(token)).isInstanceOf(SessionStoreException.class);
    assertThat(manager.resolve("not a token")).isEmpty();
  }
}
