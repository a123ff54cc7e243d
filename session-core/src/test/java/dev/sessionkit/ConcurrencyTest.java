// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.ClientInfo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many threads log in, resolve, write attributes and force-log-out at once; afterwards no
 * attribute write is lost and the principal index matches the sessions exactly.
 */
class ConcurrencyTest {

  static final List<String> PRINCIPALS = List.of("alice", "bob", "carol", "dave");

  @Test
  void concurrentLoginsResolvesWritesAndForceLogoutsStayConsistent() throws Exception {
    TestClock clock = TestClock.at(java.time.Instant.now());
    InMemorySessionStore store = InMemorySessionStore.create();
    SessionManager manager = SessionManager.builder().store(store).clock(clock)
        .config(SessionConfig.builder().touchInterval(Duration.ZERO).build()).build();
    IssuedSession shared = manager.startAnonymous(ClientInfo.NONE);
    Map<String, String> tokenToPrincipal = new ConcurrentHashMap<>();
    int threads = 6;
    int rounds = 300;

    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      tasks.add(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < rounds; i++) {
          // a write of this thread's own attribute on the shared session, from a fresh resolve
          manager.resolve(shared.token()).orElseThrow().putAttribute("t" + thread + "-" + i, i);

          String principal = PRINCIPALS.get(random.nextInt(PRINCIPALS.size()));
          IssuedSession login;
          try {
            login = manager.authenticate(principal, ClientInfo.NONE, random.nextBoolean());
          } catch (SessionEndedException revokedDuringLogin) {
            continue; // a parallel force logout of this principal ran during the login: refused
          }
          tokenToPrincipal.put(login.token(), principal);
          Session session = manager.resolve(login.token()).orElse(null);
          if (session != null) {
            try {
              session.putAttribute("n", i);
            } catch (IllegalStateException endedMeanwhile) {
              // a parallel force logout of this principal won the race: allowed
            }
            if (random.nextInt(10) == 0) {
              manager.logoutOthers(session);
            } else if (random.nextInt(10) == 0) {
              manager.logout(login.token());
            }
          }
        }
        return null;
      });
    }
    Concurrently.run(tasks);

    Map<String, Object> attributes = manager.resolve(shared.token()).orElseThrow().attributes();
    assertThat(attributes).hasSize(threads * rounds);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < rounds; i++) {
        assertThat(attributes).containsEntry("t" + t + "-" + i, i);
      }
    }

    for (String principal : PRINCIPALS) {
      Set<String> alive = new HashSet<>();
      tokenToPrincipal.forEach((token, p) -> {
        if (p.equals(principal)) {
          manager.resolve(token).ifPresent(s -> alive.add(s.id()));
        }
      });
      Set<String> indexed = store.findByPrincipal(principal, clock.millis()).stream()
          .map(SessionRecord::id).collect(Collectors.toSet());
      assertThat(indexed).as("index of %s", principal).isEqualTo(alive);
      assertThat(manager.sessionsOf(principal)).extracting(Session::id)
          .containsExactlyInAnyOrderElementsOf(alive);
    }
    long authenticated = store.size() - 1;
    assertThat(PRINCIPALS.stream().mapToLong(p -> manager.sessionsOf(p).size()).sum())
        .as("every stored session is indexed under its principal").isEqualTo(authenticated);
  }
}
