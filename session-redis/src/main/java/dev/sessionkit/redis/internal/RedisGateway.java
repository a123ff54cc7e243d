// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.SessionStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends the store's commands over one shared connection, each bounded by the store's timeout, and
 * turns every failure into a {@link SessionStoreException} whose message names the operation and
 * never a key (keys hold token hashes).
 *
 * <p>Scripts run by {@code EVALSHA}; on {@code NOSCRIPT} (a restarted or flushed Redis) the body
 * follows in an {@code EVAL}, which also caches it again. That is one of two cases of a command
 * sent twice, both safe because the first never ran: {@code NOSCRIPT} means the script did not
 * run; and on a cluster, a command that Lettuce rejected before sending it, because the connection
 * to its slot's primary was not open yet, is sent again once that connection is. A call that
 * times out or loses its connection is never sent again: the script may have been applied, and a
 * second run would answer differently (a compare-and-set that already succeeded reports a
 * mismatch), turning an unknown outcome into a wrong one. The caller gets a {@link SessionStoreException} and the manager's
 * compensations handle both outcomes. Every script receives the root of its bucket's keys and the
 * TTL margin as {@code ARGV[1]} and {@code ARGV[2]}.
 *
 * <p>The same code serves a standalone or Sentinel-managed Redis and a Redis Cluster: every
 * command names a key, and every key of one call lies in one bucket (one hash slot), so the
 * cluster connection sends it to the node that serves the slot.
 *
 * <p>Revocations ({@link #revoke}) that must wait for replicas ({@link #awaitReplicas}) go over a
 * second connection that the gateway opens from the client when replicas are required: Redis
 * blocks a connection that sent {@code WAIT} until the replicas answer or the wait times out, and
 * requests behind it on the same connection would wait as long (on a cluster, every request of
 * that node). Over their own connection a revocation waits only behind other revocations. A gateway
 * built on a connection alone (no client to open another) sends revocations over it.
 */
public final class RedisGateway {

  /** How Lettuce's message starts when it rejects a command while disconnected (not sent). */
  private static final String NOT_CONNECTED_REJECTED = "Currently not connected.";

  private final Lane main;
  private final Supplier<Lane> revocationLane;
  private final long timeoutNanos;
  private final byte[] margin;
  private volatile Lane revocations;
  private volatile int replicas;
  private volatile boolean closed;

  private RedisGateway(Lane main, Supplier<Lane> revocationLane, Duration timeout,
      Duration ttlMargin) {
    this.main = Objects.requireNonNull(main, "main");
    this.revocationLane = revocationLane;
    this.revocations = main;
    this.timeoutNanos = timeout.toNanos();
    this.margin = Long.toString(ttlMargin.toMillis()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Creates a gateway over a standalone (or Sentinel-managed) connection. Revocations share it:
   * a {@code WAIT} then holds up every command behind it (see {@link #of(StatefulRedisConnection,
   * Supplier, Duration, Duration)}).
   */
  public static RedisGateway of(StatefulRedisConnection<String, byte[]> connection,
      Duration timeout, Duration ttlMargin) {
    return new RedisGateway(Lane.of(connection), null, timeout, ttlMargin);
  }

  /**
   * Creates a gateway over a standalone (or Sentinel-managed) connection that opens a second one
   * from {@code revocationConnection} for revocations and their {@code WAIT} once replicas are
   * required ({@link #requireReplicas}); the gateway closes that one in {@link #close}.
   */
  public static RedisGateway of(StatefulRedisConnection<String, byte[]> connection,
      Supplier<StatefulRedisConnection<String, byte[]>> revocationConnection, Duration timeout,
      Duration ttlMargin) {
    return new RedisGateway(Lane.of(connection), () -> Lane.of(revocationConnection.get()),
        timeout, ttlMargin);
  }

  /**
   * Creates a gateway over a Redis Cluster connection. {@code WAIT} goes over the node connection
   * that serves the key's slot: the one the cluster connection sent the write over. Revocations
   * share the connection (see {@link #of(StatefulRedisClusterConnection, Supplier, Duration,
   * Duration)}).
   */
  public static RedisGateway of(StatefulRedisClusterConnection<String, byte[]> connection,
      Duration timeout, Duration ttlMargin) {
    return new RedisGateway(Lane.of(connection), null, timeout, ttlMargin);
  }

  /**
   * Creates a gateway over a Redis Cluster connection that opens a second cluster connection from
   * {@code revocationConnection} for revocations and their {@code WAIT} once replicas are required
   * ({@link #requireReplicas}); the gateway closes that one in {@link #close}.
   */
  public static RedisGateway of(StatefulRedisClusterConnection<String, byte[]> connection,
      Supplier<StatefulRedisClusterConnection<String, byte[]>> revocationConnection,
      Duration timeout, Duration ttlMargin) {
    return new RedisGateway(Lane.of(connection), () -> Lane.of(revocationConnection.get()),
        timeout, ttlMargin);
  }

  private static RedisClusterNode primaryOf(StatefulRedisClusterConnection<?, ?> connection,
      String key) {
    RedisClusterNode node = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
    if (node == null) {
      throw new SessionStoreException("Redis session store: no primary serves the slot");
    }
    return node;
  }

  /**
   * One connection the gateway sends over: its commands, the commands of the node connection that
   * serves a key's slot (the connection itself when standalone), and on a cluster the way to open
   * that node connection.
   */
  private record Lane(StatefulConnection<String, byte[]> connection,
      RedisClusterAsyncCommands<String, byte[]> commands,
      Function<String, RedisClusterAsyncCommands<String, byte[]>> nodeOfKey,
      NodeOpener nodeOpener) {

    static Lane of(StatefulRedisConnection<String, byte[]> connection) {
      RedisAsyncCommands<String, byte[]> async = connection.async();
      return new Lane(connection, async, key -> async, null);
    }

    static Lane of(StatefulRedisClusterConnection<String, byte[]> connection) {
      return new Lane(connection, connection.async(), key -> {
        RedisClusterNode node = primaryOf(connection, key);
        return connection.getConnection(node.getUri().getHost(), node.getUri().getPort()).async();
      }, (key, nanos) -> {
        RedisClusterNode node = primaryOf(connection, key);
        return connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
            .get(nanos, TimeUnit.NANOSECONDS).isOpen();
      });
    }
  }

  /** Opens (or finds open) the connection to the primary of a key's slot, within a time. */
  @FunctionalInterface
  private interface NodeOpener {
    /** Returns whether the connection is open after at most {@code nanos}; may throw. */
    boolean open(String key, long nanos) throws Exception;
  }

  /**
   * Makes every revocation wait until {@code count} replicas acknowledged it ({@code WAIT}); 0
   * (the default) waits for none. With a count above 0, a gateway that can open connections opens
   * the one for revocations now: a {@code WAIT} blocks the connection it is sent on until the
   * replicas answer or it times out, and on that connection it holds up only other revocations.
   * Called once, before the gateway is shared.
   *
   * @throws SessionStoreException if that connection cannot be opened
   */
  public void requireReplicas(int count) {
    if (count > 0 && revocationLane != null && revocations == main) {
      revocations = revocationLane.get();
    }
    this.replicas = count;
  }

  /**
   * After a revocation written under {@code key} by {@link #revoke}: waits (at most the timeout)
   * until the configured number of replicas acknowledged every write of the revocation
   * connection, so that a failover cannot bring back what was revoked.
   *
   * @throws SessionStoreException if fewer replicas acknowledged it in time (the revocation is
   *     applied on the primary but could be lost if it failed now)
   */
  public void awaitReplicas(String operation, String key) {
    int count = replicas;
    if (count <= 0) {
      return;
    }
    // Redis ends the WAIT a little before the store's timeout, so that its answer (how many
    // replicas acknowledged) arrives instead of a timeout of the command
    long timeoutMillis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    long waitMillis = Math.max(1, timeoutMillis - Math.min(timeoutMillis / 4, 250));
    Lane lane = revocations;
    Long acknowledged = await(operation, () -> lane.nodeOfKey().apply(key)
        .waitForReplication(count, waitMillis));
    if (acknowledged == null || acknowledged < count) {
      throw new SessionStoreException("Redis session store: " + operation + " is applied on the"
          + " primary, but " + acknowledged + " of " + count + " replicas acknowledged it within "
          + waitMillis + " ms; a failover now could undo it: retry");
    }
  }

  /** Returns the connection commands go through (not the one for revocations). */
  public StatefulConnection<String, byte[]> connection() {
    return main.connection();
  }

  /** Whether revocations and their {@code WAIT} go over a connection of their own. */
  public boolean separatesRevocations() {
    return revocations != main;
  }

  /**
   * Runs {@code script} in the bucket whose keys start with {@code root}, with {@code keys} (all of
   * that bucket) and the script's own {@code args} (from {@code ARGV[3]}).
   *
   * @throws SessionStoreException if Redis fails, is unreachable or does not answer in time
   */
  public <T> T run(String operation, LuaScript script, String root, String[] keys,
      byte[]... args) {
    return run(main, operation, script, root, keys, args);
  }

  /**
   * Runs a revocation script as {@link #run} does, over the connection for revocations, on which
   * {@link #awaitReplicas} then waits for its replicas.
   *
   * @throws SessionStoreException if Redis fails, is unreachable or does not answer in time
   */
  public <T> T revoke(String operation, LuaScript script, String root, String[] keys,
      byte[]... args) {
    return run(revocations, operation, script, root, keys, args);
  }

  private <T> T run(Lane lane, String operation, LuaScript script, String root, String[] keys,
      byte[]... args) {
    byte[][] argv = new byte[args.length + 2][];
    argv[0] = root.getBytes(StandardCharsets.UTF_8);
    argv[1] = margin;
    System.arraycopy(args, 0, argv, 2, args.length);
    RedisClusterAsyncCommands<String, byte[]> commands = lane.commands();
    try {
      return send(lane, operation, keys[0],
          () -> commands.<T>evalsha(script.sha1(), script.output(), keys, argv));
    } catch (SessionStoreException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      return send(lane, operation, keys[0],
          () -> commands.<T>eval(script.body(), script.output(), keys, argv));
    }
  }

  /** Returns the value of string {@code key}, or {@code null} if there is none. */
  public byte[] value(String operation, String key) {
    return send(main, operation, key, () -> main.commands().get(key));
  }

  /** Returns every field of hash {@code key} (empty if there is none). */
  public Map<String, byte[]> hashFields(String operation, String key) {
    return send(main, operation, key, () -> main.commands().hgetall(key));
  }

  /**
   * Returns the values of {@code fields} of hash {@code key}, in that order ({@code null} for a
   * field or a hash that is not there).
   *
   * @throws SessionStoreException if Redis fails, is unreachable or does not answer in time
   */
  public List<byte[]> hashValues(String operation, String key, String... fields) {
    List<KeyValue<String, byte[]>> values = send(main, operation, key,
        () -> main.commands().hmget(key, fields));
    List<byte[]> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(v.hasValue() ? v.getValue() : null));
    return out;
  }

  /** Returns the members of set {@code key} (empty if there is none). */
  public Set<byte[]> members(String operation, String key) {
    return send(main, operation, key, () -> main.commands().smembers(key));
  }

  /**
   * Returns the members of set {@code key} as {@link #members} does, over the connection for
   * revocations: the first phase of a revocation, read on the connection that its later writes and
   * {@code WAIT} use.
   *
   * @throws SessionStoreException if Redis fails, is unreachable or does not answer in time
   */
  public Set<byte[]> revocationMembers(String operation, String key) {
    Lane lane = revocations;
    return send(lane, operation, key, () -> lane.commands().smembers(key));
  }

  /**
   * Returns every entry of sorted set {@code key}, lowest score first, over the connection for
   * revocations (the first phase of a revocation).
   *
   * @throws SessionStoreException if Redis fails, is unreachable or does not answer in time
   */
  public List<byte[]> revocationRange(String operation, String key) {
    Lane lane = revocations;
    return send(lane, operation, key, () -> lane.commands().zrange(key, 0, -1));
  }

  /**
   * Returns up to {@code limit} entries of sorted set {@code key} whose score is at most {@code
   * maxScore}, lowest first, with their scores.
   */
  public List<ScoredValue<byte[]>> lowest(String operation, String key, long maxScore,
      int limit) {
    return send(main, operation, key, () -> main.commands().zrangebyscoreWithScores(key,
        Range.create(Double.NEGATIVE_INFINITY, (double) maxScore), Limit.create(0, limit)));
  }

  /**
   * Returns how many of {@code keys} exist; on a cluster each key is asked on its own node. Every
   * {@code EXISTS} is sent before the first answer is awaited, so many keys cost about one round
   * trip (each still waits at most the timeout).
   */
  public long existing(String operation, String... keys) {
    List<RedisFuture<Long>> sent = new ArrayList<>(keys.length);
    for (String key : keys) {
      sent.add(closed ? null : sendQuietly(() -> main.commands().exists(key)));
    }
    long found = 0;
    for (int i = 0; i < keys.length; i++) {
      String key = keys[i];
      RedisFuture<Long> first = sent.get(i);
      boolean[] used = {first == null};
      found += send(main, operation, key, () -> {
        if (!used[0]) {
          used[0] = true;
          return first;
        }
        return main.commands().exists(key);
      });
    }
    return found;
  }

  /** Sends a command, or returns {@code null} if the driver refused it at once (sent again later). */
  private static <T> RedisFuture<T> sendQuietly(Supplier<RedisFuture<T>> command) {
    try {
      return command.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Sends a command about {@code key}. On a cluster, a command that Lettuce rejected before
   * sending it, because the connection to the key's primary was not open (Lettuce opens node
   * connections lazily, for instance to a replica that a failover just promoted, and a client that
   * rejects commands while disconnected rejects those that would wait for it), is sent once more
   * when that connection is open: it never reached Redis, so sending it again cannot apply it
   * twice. Everything else fails as {@link #await} says.
   */
  private <T> T send(Lane lane, String operation, String key,
      Supplier<RedisFuture<T>> command) {
    long start = System.nanoTime();
    try {
      return await(operation, command);
    } catch (SessionStoreException e) {
      if (lane.nodeOpener() == null || !notSent(e.getCause())) {
        throw e;
      }
      long left = timeoutNanos - (System.nanoTime() - start);
      if (left <= 0 || !openNode(lane.nodeOpener(), key, left)) {
        throw e;
      }
      return await(operation, command);
    }
  }

  /** Whether Lettuce rejected the command before writing it (never whether it was cancelled). */
  private static boolean notSent(Throwable cause) {
    return cause != null && cause.getMessage() != null
        && cause.getMessage().startsWith(NOT_CONNECTED_REJECTED);
  }

  private static boolean openNode(NodeOpener nodeOpener, String key, long nanos) {
    try {
      return NettyThreadState.released(() -> {
        try {
          return nodeOpener.open(key, nanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        } catch (Exception e) {
          return false; // not reachable (yet): the rejection stands
        }
      });
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Makes every later call fail with "closed" instead of a driver error, and closes the connection
   * for revocations if this gateway opened one (not the main connection: its owner closes it).
   */
  public void close() {
    closed = true;
    Lane lane = revocations;
    if (lane != main) {
      NettyThreadState.released(lane.connection()::close);
    }
  }

  private <T> T await(String operation, Supplier<RedisFuture<T>> command) {
    if (closed) {
      throw new SessionStoreException("Redis session store: " + operation
          + " called after the store was closed");
    }
    return NettyThreadState.released(() -> awaitOnThisThread(operation, command));
  }

  private <T> T awaitOnThisThread(String operation, Supplier<RedisFuture<T>> command) {
    RedisFuture<T> future;
    try {
      future = command.get();
    } catch (RuntimeException e) {
      throw failure(operation, e);
    }
    try {
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new SessionStoreException("Redis session store: " + operation + " timed out after "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new SessionStoreException("Redis session store: " + operation + " was interrupted", e);
    } catch (ExecutionException e) {
      throw failure(operation, e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) { // cancelled by the driver (connection closed or reset)
      throw failure(operation, e);
    }
  }

  private static SessionStoreException failure(String operation, Throwable cause) {
    String what;
    if (cause instanceof RedisCommandTimeoutException) {
      what = "timed out";
    } else if (cause instanceof RedisNoScriptException) {
      what = "found no cached script";
    } else if (cause instanceof RedisCommandExecutionException) {
      what = "got an error reply (" + errorCode(cause.getMessage()) + ")";
    } else if (cause instanceof RedisConnectionException || !connected(cause)) {
      what = "could not reach Redis (" + cause.getClass().getSimpleName() + ")";
    } else {
      what = "failed (" + cause.getClass().getSimpleName() + ")";
    }
    return new SessionStoreException("Redis session store: " + operation + " " + what, cause);
  }

  private static boolean connected(Throwable cause) {
    String message = cause.getMessage();
    return message == null || !message.contains("not connected");
  }

  /** Returns the first word of a Redis error (ERR, OOM, BUSY, READONLY...), never its details. */
  private static String errorCode(String message) {
    if (message == null || message.isBlank()) {
      return "unknown";
    }
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }
}
