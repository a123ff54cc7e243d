// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects events for assertions. */
final class RecordingListener implements SessionListener {

  private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(SessionEvent event) {
    events.add(event);
  }

  List<SessionEvent> events() {
    return List.copyOf(events);
  }

  List<SessionEvent> ofType(SessionEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).toList();
  }

  void clear() {
    events.clear();
  }
}
