// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session half of the Redis store: each operation is one script, one {@code HGETALL} or one
 * {@code GET}. A session that does not read back (corrupt metadata, attributes the codec refuses)
 * is removed and reported as absent, with a warning that names the session id and the problem,
 * never a value.
 */
public final class RedisSessions {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSessions.class);

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final SessionHash hash;

  public RedisSessions(RedisGateway redis, RedisKeys keys, AttributeCodec codec) {
    this.redis = redis;
    this.keys = keys;
    this.hash = new SessionHash(codec);
  }

  public boolean create(SessionRecord session, long principalGeneration) {
    Objects.requireNonNull(session, "session");
    checkId(session.id());
    List<String> scriptKeys = new ArrayList<>(6);
    scriptKeys.add(keys.session(session.id()));
    scriptKeys.add(keys.token(session.tokenHash().toBase64Url()));
    scriptKeys.add(keys.due());
    addPrincipalAndPrevious(scriptKeys, session);
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principalGeneration));
    args.addAll(hash.all(session).items());
    Long result = redis.run("create", LuaScript.CREATE, keyArray(scriptKeys), array(args));
    if (result == -1) {
      throw new SessionStoreException("a session with this id already exists");
    }
    if (result == -2) {
      throw new SessionStoreException("a session with this token hash already exists");
    }
    return result == 1;
  }

  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    List<Object> reply = redis.run("findByTokenHash", LuaScript.FIND_BY_TOKEN,
        keys(keys.token(tokenHash.toBase64Url())));
    return read(Fields.ofReply(reply), null).filter(r -> r.hasToken(tokenHash));
  }

  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    String encoded = tokenHash.toBase64Url();
    List<Object> reply = redis.run("findByTokenHashAndTouch", LuaScript.FIND_AND_TOUCH,
        keys(keys.token(encoded)), Fields.bytes(encoded), Fields.bytes(nowMillis),
        Fields.bytes(minIntervalMillis));
    return read(Fields.ofReply(reply), null).filter(r -> r.hasToken(tokenHash));
  }

  public Optional<SessionRecord> findById(String sessionId) {
    return read(Fields.of(redis.hashFields("findById", keys.session(sessionId))), sessionId);
  }

  public boolean touch(String sessionId, long nowMillis) {
    Long result = redis.run("touch", LuaScript.TOUCH, keys(keys.session(sessionId)),
        Fields.bytes(nowMillis));
    return result == 1;
  }

  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    if (idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
    }
    Long result = redis.run("setIdleTimeout", LuaScript.SET_IDLE_TIMEOUT,
        keys(keys.session(sessionId)), seenAs(expectedPrincipal), Fields.bytes(idleTimeoutMillis));
    return result == 1;
  }

  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    Objects.requireNonNull(expectedTokenHash, "expectedTokenHash");
    Objects.requireNonNull(replacement, "replacement");
    List<String> scriptKeys = new ArrayList<>(7);
    scriptKeys.add(keys.session(sessionId));
    scriptKeys.add(keys.token(expectedTokenHash.toBase64Url()));
    scriptKeys.add(keys.token(replacement.tokenHash().toBase64Url()));
    scriptKeys.add(keys.due());
    addPrincipalAndPrevious(scriptKeys, replacement);
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(expectedTokenHash.toBase64Url()));
    args.add(Fields.bytes(principalGeneration));
    args.addAll(hash.metadata(replacement).items());
    Long result = redis.run("rotate", LuaScript.ROTATE, keyArray(scriptKeys), array(args));
    return result == 1;
  }

  /** Adds the principal's set and generation key (if authenticated), then the previous token's. */
  private void addPrincipalAndPrevious(List<String> scriptKeys, SessionRecord record) {
    if (record.isAuthenticated()) {
      scriptKeys.add(keys.principal(record.principal()));
      scriptKeys.add(keys.generation(record.principal()));
    }
    if (record.previousToken() != null) {
      scriptKeys.add(keys.token(record.previousToken().hash().toBase64Url()));
    }
  }

  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    Fields.Pairs pairs = hash.attributes(puts, new Fields.Pairs());
    List<byte[]> args = new ArrayList<>();
    args.add(seenAs(expectedPrincipal));
    args.add(Fields.bytes(pairs.size() / 2));
    args.addAll(pairs.items());
    for (String field : SessionHash.attributeFields(removals)) {
      args.add(Fields.bytes(field));
    }
    Long result = redis.run("updateAttributes", LuaScript.UPDATE_ATTRIBUTES,
        keys(keys.session(sessionId)), array(args));
    return result == 1;
  }

  /** The scripts' argument for the principal the caller saw: empty for an anonymous view. */
  private static byte[] seenAs(String expectedPrincipal) {
    return Fields.bytes(expectedPrincipal == null ? "" : expectedPrincipal);
  }

  public boolean delete(String sessionId) {
    Long result = redis.run("delete", LuaScript.DELETE,
        keys(keys.session(sessionId), keys.due()), Fields.bytes(sessionId));
    return result == 1;
  }

  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    List<Object> reply = redis.run("findByPrincipal", LuaScript.FIND_BY_PRINCIPAL,
        keys(keys.principal(principal)), Fields.bytes(principal));
    List<SessionRecord> live = new ArrayList<>(reply.size());
    for (Object entry : reply) {
      read(Fields.ofReply((List<?>) entry), null)
          .filter(r -> principal.equals(r.principal()) && !r.isExpired(nowMillis))
          .ifPresent(live::add);
    }
    return live;
  }

  public long principalGeneration(String principal) {
    byte[] value = redis.value("principalGeneration", keys.generation(principal));
    if (value == null) {
      return 0L;
    }
    try {
      return Long.parseLong(Fields.text(value));
    } catch (NumberFormatException e) {
      // never treated as 0: that would reopen the fence of a revoked principal
      throw new SessionStoreException("Redis session store: the revocation generation of a"
          + " principal is not a number");
    }
  }

  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principal));
    args.add(Fields.bytes(newGeneration));
    keepSessionIds.forEach(id -> args.add(Fields.bytes(id)));
    List<Object> reply = redis.run("revokePrincipal", LuaScript.REVOKE_PRINCIPAL,
        keys(keys.principal(principal), keys.generation(principal), keys.due()), array(args));
    List<String> deleted = new ArrayList<>(reply.size());
    for (Object id : reply) {
      deleted.add(Fields.text((byte[]) id));
    }
    return deleted;
  }

  /** Every principal with a session or series raised, every session deleted: one script. */
  public long revokeAll() {
    Long deleted = redis.run("revokeAll", LuaScript.REVOKE_ALL,
        keys(keys.due(), keys.seriesDue()));
    return deleted;
  }

  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<Object> reply = redis.run("purgeExpired", LuaScript.PURGE, keys(keys.due()),
        Fields.bytes(nowMillis), Fields.bytes(limit));
    List<ExpiredSession> expired = new ArrayList<>(reply.size() / 4);
    for (int i = 0; i + 3 < reply.size(); i += 4) {
      byte[] principal = (byte[]) reply.get(i + 1);
      ExpiredSession.Timeout timeout = "A".equals(Fields.text((byte[]) reply.get(i + 3)))
          ? ExpiredSession.Timeout.ABSOLUTE : ExpiredSession.Timeout.IDLE;
      expired.add(new ExpiredSession(Fields.text((byte[]) reply.get(i)),
          principal == null ? null : Fields.text(principal),
          Long.parseLong(Fields.text((byte[]) reply.get(i + 2))), timeout));
    }
    return expired;
  }

  /** Reads a session hash; an unreadable one is removed and reported absent. */
  private Optional<SessionRecord> read(Fields fields, String knownId) {
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(hash.read(fields));
    } catch (CorruptEntryException | AttributeCodecException e) {
      String id = fields.text("id") != null ? fields.text("id") : knownId;
      LOG.warn("Removing session {}: it cannot be read back ({})", id, e.getMessage());
      if (id != null) {
        delete(id);
      }
      return Optional.empty();
    }
  }

  private static void checkId(String id) {
    if (id.isEmpty() || id.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a session id must be non-empty, without line breaks");
    }
  }

  static String[] keys(String... keys) {
    return keys;
  }

  static String[] keyArray(List<String> keys) {
    return keys.toArray(new String[0]);
  }

  static byte[][] array(List<byte[]> items) {
    return items.toArray(new byte[0][]);
  }
}
