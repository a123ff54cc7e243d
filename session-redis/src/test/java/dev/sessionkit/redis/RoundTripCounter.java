// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the commands a Lettuce client sends: each is one request/response exchange with Redis,
 * since the store sends one command per exchange.
 */
final class RoundTripCounter implements CommandListener {

  private final List<String> commands = new ArrayList<>();

  @Override
  public synchronized void commandStarted(CommandStartedEvent event) {
    commands.add(event.getCommand().getType().toString());
  }

  /** Returns the commands sent since the last call, and forgets them. */
  synchronized List<String> take() {
    List<String> sent = List.copyOf(commands);
    commands.clear();
    return sent;
  }
}
