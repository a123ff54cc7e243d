// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.redis.internal.LayoutCheck;
import dev.sessionkit.redis.internal.NettyThreadState;
import dev.sessionkit.redis.internal.OwnedClient;
import dev.sessionkit.redis.internal.RedisGateway;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.redis.internal.RedisSeries;
import dev.sessionkit.redis.internal.RedisSessions;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.RedisCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} and {@link RememberMeStore} on Redis (through Lettuce), for applications
 * that run on many app servers. Every operation is one round trip: a server-side Lua script (run by
 * {@code EVALSHA}), a single {@code HGETALL} or a single {@code GET}.
 *
 * <pre>{@code
 * RedisSessionStore store = RedisSessionStore.builder()
 *     .uri("redis://127.0.0.1:6379")
 *     .keyPrefix("shop:sessions:")
 *     .build();
 * SessionManager sessions = SessionManager.builder().store(store).build(); // series too
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <p>A session is one hash, keyed by its public id, with one field per attribute (so concurrent
 * changes of different attributes merge). It holds the hash of its token and, after a rotation,
 * of the previous one with the end of its grace period, so a session answers to at most two token
 * hashes. The session cookie carries the session id beside the token ({@link #sessionCookieTag}):
 * a lookup reads the session's hash by id and checks the token's hash against it, so there is no
 * key per token. A set per principal lists the principal's session ids; a sorted set per bucket (the due index shards)
 * holds every session's expiry time with its id, absolute deadline and principal. Every change
 * that spans several keys is one script, so that no reader sees half of it: force logout under
 * concurrent logins, token rotation, and delete racing with touch all stay consistent. The key
 * layout is defined in one place, {@code RedisKeys}; it carries a layout version ({@code v4:}),
 * and the store refuses to start while keys of an earlier layout are under its prefix.
 *
 * <p>Slots: every key lies in one of 256 buckets, a Redis Cluster hash tag ({@code {b}}), and every
 * script works on the keys of one bucket, so the store runs unchanged on a Redis Cluster. A
 * principal's sessions, series, index sets and generation share its bucket (from the SHA-256 of
 * its name); an anonymous session gets a random one and moves to its principal's at the login (a
 * new id, three steps: create fenced, compare-and-set away with a forward, copy the attributes).
 * The bucket travels as the {@linkplain #routingTag routing tag} of session ids and cookies, so
 * the request path knows its slot and its session's key: one round trip on a cluster too.
 *
 * <p>The fence: a string per principal holds its revocation generation. {@link #revokePrincipal}
 * raises it (to the maximum of stored and given, so a repeated sweep is idempotent) and deletes the
 * principal's other sessions in the same script; the {@link #create} and {@link #rotate} scripts
 * read it and write nothing if it is above the generation the caller read, when the session newly
 * belongs to the principal. Redis runs scripts one at a time, so a fenced create is entirely
 * before a revocation (and deleted by it) or entirely after it (and refused). The request path
 * ({@link #findByTokenHashAndTouch}) never reads the generation. The generation key never expires
 * (a generation must never fall back to 0): one small string per principal ever force-logged-out.
 *
 * <p>Remember-me series are hashes keyed by the SHA-256 of the selector, never the selector: a
 * reader of Redis can neither sign in nor present a selector. {@link #replaceSeries} is a
 * compare-and-set of the validator hash that keeps the higher of the stored and the given
 * generation; {@link #revokeSeries} deletes a principal's other series and raises the kept ones'
 * generation; {@link #deleteSeriesIfLatest} compares the series' latest session id in the script.
 *
 * <p>Expiry: the manager decides with the times it passes in; this store never reads a clock.
 * Redis TTLs are a physical backstop: each session key lives for its {@code
 * expiresAt} minus the time of the write, plus a margin (default 1 minute), and moves forward on
 * every touch; remember-me series likewise. A purge claims due entries of the due index
 * atomically (whoever removes an entry reports it) and reports every expired session once, with
 * its principal, also when Redis removed the session itself while no app server ran: the due
 * entry carries what the report needs. No keyspace notifications are used.
 *
 * <p>Faults: each command waits at most the {@linkplain Builder#timeout timeout} (default 2 s) and
 * then fails with a {@link SessionStoreException}. Such a call may have been applied; it is never
 * sent again (the only re-sent command is a script that Redis answered {@code NOSCRIPT}, which did
 * not run), because a second run of a compare-and-set would report a definite "no" for a change
 * that was made. A store-created client rejects commands at once while disconnected (so Lettuce
 * never replays a command that was in flight when a connection dropped) and reconnects by itself.
 * A store built from a {@link RedisClient} or a connection uses that client's options; it logs a
 * warning at build time unless they reject commands while disconnected.
 *
 * <p>Redis standalone, a Sentinel-managed primary or a Redis Cluster ({@link Builder#uri}). Every
 * script gets every key it touches in {@code KEYS}; where a key's name comes from a stored value
 * (the sessions a principal's set or a due entry lists), the store reads it first and a second
 * script names it and checks it again (a compare-and-set).
 * Failover: revocations wait until a replica has them ({@link Builder#revocationReplicas}), so a
 * promoted replica never brings back a revoked session; see {@code docs/redis.md}. A revocation
 * and its {@code WAIT} go over a second connection that the store opens when it waits for replicas
 * (not when it was given a connection), so that a lagging replica holds up revocations only, never
 * the requests. Thread-safe: one connection serves all threads.
 */
public final class RedisSessionStore implements SessionStore, RememberMeStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "sessionkit:";
  /** The default command timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** The default time a key outlives the end of its session. */
  public static final Duration DEFAULT_TTL_MARGIN = Duration.ofMinutes(1);

  private final RedisGateway gateway;
  private final RedisSessions sessions;
  private final RedisSeries series;
  private final Runnable releaseClient;
  private final StatefulConnection<String, byte[]> ownedConnection;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisSessionStore(Builder b, RedisGateway gateway, Runnable releaseClient,
      boolean ownsConnection, String where) {
    RedisKeys keys = new RedisKeys(b.keyPrefix);
    this.gateway = gateway;
    this.sessions = new RedisSessions(gateway, keys, b.codec);
    this.series = new RedisSeries(gateway, keys);
    this.releaseClient = releaseClient;
    this.ownedConnection = ownsConnection ? gateway.connection() : null;
    this.description = "RedisSessionStore[" + where + ", prefix=" + b.keyPrefix + ", timeout="
        + b.timeout.toMillis() + "ms]";
    try {
      gateway.requireReplicas(b.revocationReplicas);
      if (b.revocationReplicas > 0 && !gateway.separatesRevocations()) {
        LOG.warn("Redis session store: revocations wait for {} replica(s) on the application's"
            + " connection, which every request shares: while a replica lags, a revocation's WAIT"
            + " holds up the requests behind it (up to the timeout). Give the store a client"
            + " instead, and it opens a connection of its own for revocations",
            b.revocationReplicas);
      }
      LayoutCheck.refuseEarlierLayouts(gateway, keys);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Returns a builder.
   *
   * @return a new builder, with every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the codec that connections given to {@link Builder#connection} must use: keys as UTF-8
   * text, values as bytes ({@code client.connect(RedisSessionStore.codec())}).
   *
   * @return the codec: UTF-8 keys, byte-array values
   */
  public static RedisCodec<String, byte[]> codec() {
    return ClientSetup.CODEC;
  }

  /**
   * Returns the bucket of {@code principal}'s sessions (two hex digits from the SHA-256 of its
   * name), or a random bucket for a new anonymous session. Reads nothing from Redis.
   */
  @Override
  public String routingTag(String principal) {
    return principal == null ? RedisKeys.randomBucket() : RedisKeys.bucketOf(principal);
  }

  /**
   * Returns the session id's random part followed by its bucket (18 characters for the ids the
   * manager makes): the session cookie then names the session, so that the request path's script
   * names the session's keys in {@code KEYS} (Redis Cluster). The id is no secret; the token beside
   * it stays 256 random bits and is checked against the session's stored hash.
   */
  @Override
  public String sessionCookieTag(String sessionId) {
    return RedisKeys.cookieTag(sessionId);
  }

  /** Returns the bucket of {@code principal}, where its series live with its sessions. */
  @Override
  public String seriesRoutingTag(String principal) {
    return RedisKeys.bucketOf(principal);
  }

  /** One round trip: a script that checks the fence and writes every key of the session. */
  @Override
  public boolean create(SessionRecord session, long principalGeneration) {
    return sessions.create(session, principalGeneration);
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    return sessions.findByTokenHash(tokenHash);
  }

  /**
   * One round trip, also by a previous token hash: a script that reads the session and records the
   * access when it is due.
   */
  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    return sessions.findByTokenHashAndTouch(tokenHash, nowMillis, minIntervalMillis);
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    return sessions.findById(sessionId);
  }

  @Override
  public boolean touch(String sessionId, long nowMillis) {
    return sessions.touch(sessionId, nowMillis);
  }

  @Override
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    return sessions.rotate(sessionId, expectedTokenHash, replacement, principalGeneration);
  }

  @Override
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    return sessions.updateAttributes(sessionId, expectedPrincipal, puts, removals);
  }

  @Override
  public boolean delete(String sessionId) {
    return sessions.delete(sessionId);
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    return sessions.findByPrincipal(principal, nowMillis);
  }

  /** One {@code GET} of the principal's generation key. */
  @Override
  public long principalGeneration(String principal) {
    return sessions.principalGeneration(principal);
  }

  @Override
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    return sessions.revokePrincipal(principal, keepSessionIds, newGeneration);
  }

  /** One {@code HGETALL} of a key that never exists. */
  @Override
  public void ping() {
    sessions.ping();
  }

  /** One script in the session's bucket. */
  @Override
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    return sessions.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis);
  }

  /**
   * One script per bucket (256): raises the generation of every principal with a session or a
   * series in it and deletes its sessions. A principal lies wholly in one bucket, so each
   * principal's revocation is atomic; Redis serves no other command of that slot while a bucket's
   * script runs.
   */
  @Override
  public long revokeAll() {
    return sessions.revokeAll();
  }

  /** One script per bucket (256). */
  @Override
  public long revokeAllSeries() {
    return series.revokeAllSeries();
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    return sessions.purgeExpired(nowMillis, limit);
  }

  @Override
  public void createSeries(RememberMeSeries series) {
    this.series.createSeries(series);
  }

  @Override
  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    return series.findSeries(selectorHash);
  }

  @Override
  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    return series.replaceSeries(replacement, expectedValidatorHash);
  }

  @Override
  public boolean deleteSeries(TokenHash selectorHash) {
    return series.deleteSeries(selectorHash);
  }

  @Override
  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    return series.deleteSeriesIfLatest(selectorHash, sessionId);
  }

  @Override
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    return series.revokeSeries(principal, keepSelectorHashes, keptGeneration);
  }

  @Override
  public int purgeExpiredSeries(long nowMillis, int limit) {
    return series.purgeExpiredSeries(nowMillis, limit);
  }

  /**
   * Closes what this store opened: the connection it opened, and the client it created from a
   * URI. A client or connection given to the builder stays open. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    gateway.close();
    if (ownedConnection != null) {
      NettyThreadState.released(ownedConnection::close);
    }
    if (releaseClient != null) {
      releaseClient.run();
    }
  }

  /** Names the server and prefix; never a password. */
  @Override
  public String toString() {
    return description;
  }

  /**
   * Builds a {@link RedisSessionStore}. Give exactly one of {@link #uri}, {@link #client}, {@link
   * #connection}, {@link #clusterClient} or {@link #clusterConnection}. Not thread-safe.
   */
  public static final class Builder {
    private String uri;
    private RedisURI redisUri;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> connection;
    private RedisClusterClient clusterClient;
    private StatefulRedisClusterConnection<String, byte[]> clusterConnection;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration ttlMargin = DEFAULT_TTL_MARGIN;
    private AttributeCodec codec = AttributeCodec.defaultCodec();
    private int revocationReplicas = -1;

    private Builder() {}

    /**
     * Connects to {@code uri} with a client the store creates, configures and closes:
     *
     * <ul>
     *   <li>{@code redis://[:password@]host[:port][/database]}, or {@code rediss://...} for TLS: one
     *       Redis;
     *   <li>{@code redis-sentinel://[:password@]host[:port][,host[:port]...][/database]#primaryName}
     *       (or {@code rediss-sentinel://}): the primary that the Sentinels name, followed after a
     *       failover;
     *   <li>{@code redis-cluster://[:password@]host:port[,host:port...]} (or {@code
     *       rediss-cluster://}): a Redis Cluster, found from any of the given nodes.
     * </ul>
     *
     * @throws IllegalArgumentException if {@code uri} is none of these
     *
     * @param uri a Redis location in one of the forms above
     * @return this builder
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      RedisLocation.parse(uri); // fails now, naming the forms, never the password
      this.uri = uri;
      return this;
    }

    /**
     * Connects to one Redis (or a Sentinel-managed primary) described by Lettuce's URI.
     *
     * @param value Lettuce's description of the server (or the Sentinels and the primary's name)
     * @return this builder
     */
    public Builder uri(RedisURI value) {
      this.redisUri = Objects.requireNonNull(value, "uri");
      return this;
    }

    /**
     * Uses the application's client: the store opens one connection on it (closed by {@link
     * #close()}) and leaves the client running. Give it {@code
     * ClientOptions.builder().disconnectedBehavior(REJECT_COMMANDS)}: with Lettuce's default, a
     * command in flight when the connection drops is sent again after the reconnect, so a script
     * could run twice and report a wrong outcome; the store logs a warning then.
     *
     * @param value the application's client, left running by {@link #close()}
     * @return this builder
     */
    public Builder client(RedisClient value) {
      this.client = Objects.requireNonNull(value, "client");
      return this;
    }

    /**
     * Uses the application's connection, which must use {@link RedisSessionStore#codec()}; the
     * store never closes it. Its client should reject commands while disconnected, as for {@link
     * #client}.
     *
     * @param value the application's connection, never closed by the store
     * @return this builder
     */
    public Builder connection(StatefulRedisConnection<String, byte[]> value) {
      this.connection = Objects.requireNonNull(value, "connection");
      return this;
    }

    /**
     * Uses the application's Redis Cluster client: the store opens one cluster connection on it
     * (closed by {@link #close()}) and leaves the client running. Give it {@code
     * ClusterClientOptions} that reject commands while disconnected and refresh the topology
     * (adaptive triggers), as a store-created client does; the store logs a warning otherwise.
     *
     * @param value the application's cluster client, left running by {@link #close()}
     * @return this builder
     */
    public Builder clusterClient(RedisClusterClient value) {
      this.clusterClient = Objects.requireNonNull(value, "clusterClient");
      return this;
    }

    /**
     * Uses the application's Redis Cluster connection, which must use {@link
     * RedisSessionStore#codec()}; the store never closes it.
     *
     * @param value the application's cluster connection, never closed by the store
     * @return this builder
     */
    public Builder clusterConnection(StatefulRedisClusterConnection<String, byte[]> value) {
      this.clusterConnection = Objects.requireNonNull(value, "clusterConnection");
      return this;
    }

    /**
     * Sets the prefix of every key (default {@value RedisSessionStore#DEFAULT_KEY_PREFIX}):
     * printable ASCII without spaces, glob characters ({@code * ? [ ] \}) or braces ({@code { }},
     * which would change the keys' hash slots), at most 100.
     *
     * @param value the prefix of every key
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is empty, longer than 100 characters or
     *     holds a character not allowed
     */
    public Builder keyPrefix(String value) {
      Objects.requireNonNull(value, "keyPrefix");
      if (value.isEmpty() || value.length() > 100) {
        throw new IllegalArgumentException("keyPrefix must have 1 to 100 characters: '"
            + value + "'");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c <= ' ' || c >= 0x7f || "*?[]\\{}".indexOf(c) >= 0) {
          throw new IllegalArgumentException("keyPrefix must be printable ASCII without spaces"
              + " or * ? [ ] \\ { }: '" + value + "'");
        }
      }
      this.keyPrefix = value;
      return this;
    }

    /**
     * Sets how long one command may take before it fails with a {@link SessionStoreException}
     * (default 2 s, at most 1 minute). Also the connect timeout of a store-created client.
     *
     * @param value the longest a command may take
     * @return this builder
     * @throws IllegalArgumentException unless positive and at most 1 minute
     */
    public Builder timeout(Duration value) {
      Objects.requireNonNull(value, "timeout");
      if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("timeout must be positive and at most 1 minute: "
            + value);
      }
      this.timeout = value;
      return this;
    }

    /**
     * Sets how long after its end a session or series key may stay in Redis before its TTL removes
     * it (default 1 minute, at most 1 day). It absorbs clock differences between app servers; the
     * manager's own expiry check is exact whatever the margin.
     *
     * @param value how long an ended key may stay
     * @return this builder
     * @throws IllegalArgumentException unless between 0 and 1 day
     */
    public Builder ttlMargin(Duration value) {
      Objects.requireNonNull(value, "ttlMargin");
      if (value.isNegative() || value.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("ttlMargin must be between 0 and 1 day: " + value);
      }
      this.ttlMargin = value;
      return this;
    }

    /**
     * Sets the attribute codec (default {@link AttributeCodec#defaultCodec()}: Java serialization
     * behind an allow-list).
     *
     * @param value how attribute values become bytes and back
     * @return this builder
     */
    public Builder codec(AttributeCodec value) {
      this.codec = Objects.requireNonNull(value, "codec");
      return this;
    }

    /**
     * Sets how many replicas must acknowledge a revocation (a logout, a force logout, a theft
     * response, a deleted remember-me series) before it returns: the store sends {@code WAIT} on
     * the connection that wrote it, at most for the timeout, and fails with a {@link
     * SessionStoreException} if fewer acknowledged it (the revocation then stands on the primary
     * but could be lost if it failed at once; the caller retries). With it, a failover that
     * promotes a replica never brings back a revoked session. Default: 1 for a {@code
     * redis-cluster://} or {@code redis-sentinel://} location and a cluster client or connection,
     * else 0 (no {@code WAIT}); 0 to 5.
     * {@code WAIT} holds the connection it is sent on, so set 0 where no replica runs. Above 0, the
     * store opens a second connection (on a cluster, a second cluster connection) on its client
     * for revocations and their {@code WAIT}, so that the requests never wait behind one; a store
     * given a connection ({@link #connection}, {@link #clusterConnection}) sends them over that
     * connection and logs a warning.
     *
     * @param count the replicas that must acknowledge a revocation, 0 to 5
     * @return this builder
     * @throws IllegalArgumentException unless 0 to 5
     */
    public Builder revocationReplicas(int count) {
      if (count < 0 || count > 5) {
        throw new IllegalArgumentException("revocationReplicas must be between 0 and 5: "
            + count);
      }
      this.revocationReplicas = count;
      return this;
    }

    /**
     * Returns the store, connected.
     *
     * @throws IllegalStateException unless exactly one source (uri, client, connection, cluster
     *     client, cluster connection) was given, or if Redis holds keys of an earlier layout under
     *     the prefix (the message says what to do)
     * @throws SessionStoreException if Redis cannot be reached
     *
     * @return the store, connected
     */
    public RedisSessionStore build() {
      return NettyThreadState.released(this::open);
    }

    private RedisSessionStore open() {
      int sources = count(uri, redisUri, client, connection, clusterClient, clusterConnection);
      if (revocationReplicas < 0 && (clusterClient != null || clusterConnection != null)) {
        revocationReplicas = 1;
      }
      if (sources != 1) {
        throw new IllegalStateException("give exactly one of uri, client, connection,"
            + " clusterClient and clusterConnection (got " + sources + ")");
      }
      if (connection != null) {
        ClientSetup.warnIfReplaying(connection.getOptions(), "connection");
        return new RedisSessionStore(this, RedisGateway.of(connection, timeout, ttlMargin), null,
            false, "application connection");
      }
      if (clusterConnection != null) {
        ClientSetup.connectPrimaries(clusterConnection);
        return new RedisSessionStore(this, RedisGateway.of(clusterConnection, timeout, ttlMargin),
            null, false, "application cluster connection");
      }
      if (client != null) {
        ClientSetup.warnIfReplaying(client.getOptions(), "client");
        String where = "the application's client";
        return new RedisSessionStore(this, RedisGateway.of(ClientSetup.connect(client, where),
            () -> ClientSetup.connect(client, where), timeout, ttlMargin), null, true,
            "application client");
      }
      if (clusterClient != null) {
        ClientSetup.warnIfReplaying(clusterClient.getOptions(), "cluster client");
        String where = "the application's cluster client";
        return new RedisSessionStore(this, RedisGateway.of(ClientSetup.connect(clusterClient,
            where), () -> ClientSetup.connectAgain(clusterClient, where), timeout, ttlMargin),
            null, true, "application cluster client");
      }
      RedisLocation location = redisUri != null ? RedisLocation.of(redisUri)
          : RedisLocation.parse(uri);
      if (revocationReplicas < 0) {
        revocationReplicas = location.isReplicated() ? 1 : 0;
      }
      String where = location.describe();
      if (location.isCluster()) {
        OwnedClient<RedisClusterClient> created =
            ClientSetup.clusterClient(location.nodes(), timeout);
        return owning(created::shutdown, () -> RedisGateway.of(
            ClientSetup.connect(created.client(), where),
            () -> ClientSetup.connectAgain(created.client(), where), timeout, ttlMargin), where);
      }
      OwnedClient<RedisClient> created = ClientSetup.client(location.nodes().get(0), timeout);
      return owning(created::shutdown, () -> RedisGateway.of(
          ClientSetup.connect(created.client(), where),
          () -> ClientSetup.connect(created.client(), where), timeout, ttlMargin), where);
    }

    /** Builds a store on a client it created: {@code release} shuts it down, also on failure. */
    private RedisSessionStore owning(Runnable release, Supplier<RedisGateway> connect,
        String where) {
      try {
        return new RedisSessionStore(this, connect.get(), release, true, where);
      } catch (RuntimeException e) {
        release.run();
        throw e;
      }
    }

    private static int count(Object... sources) {
      int n = 0;
      for (Object source : sources) {
        n += source != null ? 1 : 0;
      }
      return n;
    }
  }
}
