// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

/**
 * Live Spring Session sessions in a {@link MapSessionRepository} over a {@link ConcurrentHashMap}
 * (Spring Session's in-memory repository), each authenticated the way Spring Session records it:
 * the principal name in the {@code PRINCIPAL_NAME_INDEX_NAME} attribute.
 */
final class SpringSessions {

  /** The attribute under which Spring Session keeps the principal's name. */
  static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

  final ConcurrentHashMap<String, Session> map = new ConcurrentHashMap<>();
  final MapSessionRepository repository = new MapSessionRepository(map);
  final String[] ids;

  private SpringSessions(int count) {
    repository.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
    ids = new String[count];
  }

  /** Returns a repository holding {@code count} sessions of user-0.. */
  static SpringSessions authenticated(int count) {
    SpringSessions sessions = new SpringSessions(count);
    for (int i = 0; i < count; i++) {
      MapSession session = sessions.repository.createSession();
      session.setAttribute(PRINCIPAL, "user-" + i);
      sessions.repository.save(session);
      sessions.ids[i] = session.getId();
    }
    return sessions;
  }

  /** Returns an empty repository. */
  static SpringSessions empty() {
    return new SpringSessions(0);
  }
}
