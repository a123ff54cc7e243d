// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import dev.sessionkit.redis.internal.ClientSetup;
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
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * changes of different attributes merge), plus a small key from its token hash to its id. After a
 * rotation the previous token hash has such a key too, with a TTL that ends with the previous
 * token's grace period; the next rotation deletes it, so a session answers to at most two token
 * hashes. A set per principal lists the principal's session ids; a sorted set (the due index)
 * holds every session's expiry time with its id, absolute deadline and principal. Every change
 * that spans several keys is one script, so that no reader sees half of it: force logout under
 * concurrent logins, token rotation, and delete racing with touch all stay consistent. The key
 * layout is defined in one place, {@code RedisKeys}; it carries a layout version ({@code v2:})
 * so that keys of the earlier layout are never misread.
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
 * Redis TTLs are a physical backstop: each session key (and its token key) lives for its {@code
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
 * <p>Redis standalone or a Sentinel-managed primary; Redis Cluster is not supported yet. Scripts
 * get every key they touch in {@code KEYS} except those whose names come from stored values: the
 * session a token key, a principal's set or a due entry names, that session's stored token keys and
 * its stored principal's set; and likewise the series a principal's series set or the series due
 * index names, and the set of a series' stored principal. Without a read first (a second round
 * trip) the caller cannot know them. Cluster support will need hash tags that put a principal's
 * keys in one slot. Thread-safe: one connection serves all threads.
 */
public final class RedisSessionStore implements SessionStore, RememberMeStore {

  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "sessionkit:";
  /** The default command timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** The default time a key outlives the end of its session. */
  public static final Duration DEFAULT_TTL_MARGIN = Duration.ofMinutes(1);

  private final RedisGateway gateway;
  private final RedisSessions sessions;
  private final RedisSeries series;
  private final OwnedClient ownedClient;
  private final StatefulRedisConnection<String, byte[]> ownedConnection;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisSessionStore(Builder b, OwnedClient ownedClient,
      StatefulRedisConnection<String, byte[]> connection, boolean ownsConnection,
      String where) {
    RedisKeys keys = new RedisKeys(b.keyPrefix);
    this.gateway = new RedisGateway(connection, keys, b.timeout, b.ttlMargin);
    this.sessions = new RedisSessions(gateway, keys, b.codec);
    this.series = new RedisSeries(gateway, keys);
    this.ownedClient = ownedClient;
    this.ownedConnection = ownsConnection ? connection : null;
    this.description = "RedisSessionStore[" + where + ", prefix=" + b.keyPrefix + ", timeout="
        + b.timeout.toMillis() + "ms]";
  }

  /**
   * Returns a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the codec that connections given to {@link Builder#connection} must use: keys as UTF-8
   * text, values as bytes ({@code client.connect(RedisSessionStore.codec())}).
   *
   * @return the codec that connections given to {@link Builder#connection} must use
   */
  public static RedisCodec<String, byte[]> codec() {
    return ClientSetup.CODEC;
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
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    return sessions.setIdleTimeout(sessionId, expectedPrincipal, idleTimeoutMillis);
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

  /**
   * One Lua script: raises the generation of every principal with a session or a series and
   * deletes every session. Redis serves no other command while it runs, for a time that grows
   * with the number of sessions and series.
   */
  @Override
  public long revokeAll() {
    return sessions.revokeAll();
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
  public long revokeAllSeries() {
    return series.revokeAllSeries();
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
    if (ownedClient != null) {
      ownedClient.shutdown();
    }
  }

  /** Names the server and prefix; never a password. */
  @Override
  public String toString() {
    return description;
  }

  /**
   * Builds a {@link RedisSessionStore}. Give exactly one of {@link #uri}, {@link #client} or
   * {@link #connection}. Not thread-safe.
   */
  public static final class Builder {
    private RedisURI uri;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> connection;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration ttlMargin = DEFAULT_TTL_MARGIN;
    private AttributeCodec codec = AttributeCodec.defaultCodec();

    private Builder() {}

    /**
     * Connects to {@code uri} ({@code redis://[:password@]host[:port][/database]} or {@code
     * rediss://...} for TLS) with a client the store creates, configures and closes.
     *
     * @param uri a {@code redis://} or {@code rediss://} location
     * @return this builder
     * @throws IllegalArgumentException if {@code uri} is not a Redis URI
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      try {
        URI parsed = new URI(uri);
        String scheme = String.valueOf(parsed.getScheme()).toLowerCase(Locale.ROOT);
        if ((scheme.equals("redis") || scheme.equals("rediss")) && parsed.getHost() != null) {
          return uri(RedisURI.create(uri));
        }
      } catch (URISyntaxException | RuntimeException e) {
        // the messages repeat the URI, password included: not passed on
      }
      throw new IllegalArgumentException("not a Redis URI (redis[s]://[:password@]host[:port]"
          + "[/database]): " + redact(uri));
    }

    /**
     * Like {@link #uri(String)}.
     *
     * @param value a {@code redis://} or {@code rediss://} location
     * @return this builder
     */
    public Builder uri(RedisURI value) {
      this.uri = Objects.requireNonNull(value, "uri");
      return this;
    }

    /**
     * Uses the application's client: the store opens one connection on it (closed by {@link
     * #close()}) and leaves the client running. Give it {@code
     * ClientOptions.builder().disconnectedBehavior(REJECT_COMMANDS)}: with Lettuce's default, a command in flight when the connection drops is sent again after the reconnect, so
     * a script could run twice and report a wrong outcome; the store logs a warning then.
     *
     * @param value the application's client; the store does not shut it down
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
     * @param value the application's connection, using {@link #codec()}; the store does not close
     *     it
     * @return this builder
     */
    public Builder connection(StatefulRedisConnection<String, byte[]> value) {
      this.connection = Objects.requireNonNull(value, "connection");
      return this;
    }

    /**
     * Sets the prefix of every key (default {@value RedisSessionStore#DEFAULT_KEY_PREFIX}):
     * printable ASCII without spaces or glob characters ({@code * ? [ ] \}), at most 100.
     *
     * @param value printable ASCII without spaces or {@code * ? [ ] \\}
     * @return this builder
     */
    public Builder keyPrefix(String value) {
      Objects.requireNonNull(value, "keyPrefix");
      if (value.isEmpty() || value.length() > 100) {
        throw new IllegalArgumentException("keyPrefix must have 1 to 100 characters: '"
            + value + "'");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c <= ' ' || c >= 0x7f || "*?[]\\".indexOf(c) >= 0) {
          throw new IllegalArgumentException("keyPrefix must be printable ASCII without spaces"
              + " or * ? [ ] \\: '" + value + "'");
        }
      }
      this.keyPrefix = value;
      return this;
    }

    /**
     * Sets how long one command may take before it fails with a {@link SessionStoreException}
     * (default 2 s, at most 1 minute). Also the connect timeout of a store-created client.
     *
     * @param value a positive duration
     * @return this builder
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
     * @param value a duration, zero or more
     * @return this builder
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
     * @param value the codec of attribute values
     * @return this builder
     */
    public Builder codec(AttributeCodec value) {
      this.codec = Objects.requireNonNull(value, "codec");
      return this;
    }

    /**
     * Returns the store, connected.
     *
     * @return the store, connected
     * @throws IllegalStateException unless exactly one of uri, client and connection was given
     * @throws SessionStoreException if Redis cannot be reached
     */
    public RedisSessionStore build() {
      return NettyThreadState.released(this::open);
    }

    private RedisSessionStore open() {
      int sources = (uri != null ? 1 : 0) + (client != null ? 1 : 0)
          + (connection != null ? 1 : 0);
      if (sources != 1) {
        throw new IllegalStateException(
            "give exactly one of uri, client and connection (got " + sources + ")");
      }
      if (connection != null) {
        ClientSetup.warnIfReplaying(connection.getOptions(), "connection");
        return new RedisSessionStore(this, null, connection, false, "application connection");
      }
      if (client != null) {
        ClientSetup.warnIfReplaying(client.getOptions(), "client");
        return new RedisSessionStore(this, null,
            ClientSetup.connect(client, "the application's client"), true, "application client");
      }
      String where = ClientSetup.describe(uri);
      OwnedClient created = ClientSetup.client(uri, timeout);
      try {
        return new RedisSessionStore(this, created, ClientSetup.connect(created.client(), where),
            true, where);
      } catch (RuntimeException e) {
        created.shutdown();
        throw e;
      }
    }

    private static String redact(String uri) {
      int at = uri.lastIndexOf('@');
      int scheme = uri.indexOf("://");
      return at > scheme && scheme >= 0 ? uri.substring(0, scheme + 3) + "***" + uri.substring(at)
          : uri;
    }
  }
}
