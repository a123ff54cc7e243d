// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Counts the commands a Lettuce client sends: each is one request/response exchange with Redis,
 * since the store sends one command per exchange. The client's own housekeeping (a cluster
 * client's topology refresh, a new connection's handshake) is not the store's and is left out.
 */
final class RoundTripCounter implements CommandListener {

  private final List<String> commands = new ArrayList<>();

  private static final Set<String> HOUSEKEEPING =
      Set.of("CLIENT", "CLUSTER", "HELLO", "PING", "COMMAND", "INFO", "AUTH", "SELECT");

  @Override
  public synchronized void commandStarted(CommandStartedEvent event) {
    String type = event.getCommand().getType().toString();
    if (!HOUSEKEEPING.contains(type)) {
      commands.add(type);
    }
  }

  /** Returns the commands sent since the last call, and forgets them. */
  synchronized List<String> take() {
    List<String> sent = List.copyOf(commands);
    commands.clear();
    return sent;
  }
}
