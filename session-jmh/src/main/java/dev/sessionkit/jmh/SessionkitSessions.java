// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.SessionRecord;
import java.time.InstantSource;

/**
 * Live authenticated Sessionkit sessions on the in-memory store, created through the public API
 * (so that every record is exactly what the manager writes), with their tokens.
 */
final class SessionkitSessions {

  final SessionManager manager;
  final InMemorySessionStore store;
  final String[] tokens;
  final String[] ids;

  private SessionkitSessions(SessionManager manager, InMemorySessionStore store, int count) {
    this.manager = manager;
    this.store = store;
    this.tokens = new String[count];
    this.ids = new String[count];
  }

  /** Returns a manager over a new in-memory store holding {@code count} sessions of user-0.. */
  static SessionkitSessions authenticated(int count, SessionConfig config, InstantSource clock) {
    InMemorySessionStore store = InMemorySessionStore.create();
    SessionManager manager = SessionManager.builder().config(config).store(store).clock(clock)
        .build();
    SessionkitSessions sessions = new SessionkitSessions(manager, store, count);
    for (int i = 0; i < count; i++) {
      IssuedSession issued = manager.authenticate("user-" + i, ClientInfo.NONE, false);
      sessions.tokens[i] = issued.token();
      sessions.ids[i] = issued.session().id();
    }
    return sessions;
  }

  /** Returns the stored record of session {@code i}. */
  SessionRecord record(int i) {
    return store.findById(ids[i]).orElseThrow();
  }

  /** Puts {@code record} back into the store if it is gone (after a logout in a benchmark). */
  void restore(SessionRecord record) {
    restore(store, record);
  }

  /**
   * Puts {@code record} back into {@code store} if it is gone. It goes in unfenced ({@link
   * Long#MAX_VALUE}): a benchmark that ended it by a force logout raised its principal's
   * revocation generation, and the restored session must come back all the same.
   */
  static void restore(InMemorySessionStore store, SessionRecord record) {
    if (store.findById(record.id()).isEmpty()) {
      store.create(record, Long.MAX_VALUE);
    }
  }
}
