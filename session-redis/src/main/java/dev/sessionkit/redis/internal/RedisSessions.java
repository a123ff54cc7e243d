package dev.sessionkit.redis.internal;

import dev.sessionkit.EndReason;
import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.SessionRecord;
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
 * The session half of the Redis store: each operation is one script or one {@code HGETALL}. A
 * session that does not read back (corrupt metadata, attributes the codec refuses) is removed and
 * reported as absent, with a warning that names the session id and the problem, never a value.
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

  public void create(SessionRecord session) {
    Objects.requireNonNull(session, "session");
    checkId(session.id());
    Fields.Pairs pairs = hash.all(session);
    Long result = redis.run("create", LuaScript.CREATE,
        keys(keys.session(session.id()), keys.token(session.tokenHash().toBase64Url())),
        array(pairs.items()));
    if (result == -1) {
      throw new SessionStoreException("a session with this id already exists");
    }
    if (result == -2) {
      throw new SessionStoreException("a session with this token hash already exists");
    }
  }

  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    List<Object> reply = redis.run("findByTokenHash", LuaScript.FIND_BY_TOKEN,
        keys(keys.token(tokenHash.toBase64Url())));
    return read(Fields.ofReply(reply), null).filter(r -> r.tokenHash().equals(tokenHash));
  }

  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long now,
      long minInterval) {
    List<Object> reply = redis.run("findByTokenHashAndTouch", LuaScript.FIND_AND_TOUCH,
        keys(keys.token(tokenHash.toBase64Url())), Fields.bytes(now), Fields.bytes(minInterval));
    return read(Fields.ofReply(reply), null).filter(r -> r.tokenHash().equals(tokenHash));
  }

  public Optional<SessionRecord> findById(String sessionId) {
    return read(Fields.of(redis.hashFields("findById", keys.session(sessionId))), sessionId);
  }

  public boolean touch(String sessionId, long lastAccessedAt) {
    Long result = redis.run("touch", LuaScript.TOUCH, keys(keys.session(sessionId)),
        Fields.bytes(lastAccessedAt));
    return result == 1;
  }

  public boolean replaceMetadata(String sessionId, TokenHash expectedTokenHash,
      SessionRecord replacement) {
    Objects.requireNonNull(expectedTokenHash, "expectedTokenHash");
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(expectedTokenHash.toBase64Url()));
    args.addAll(hash.metadata(replacement).items());
    Long result = redis.run("replaceMetadata", LuaScript.REPLACE, keys(keys.session(sessionId)),
        array(args));
    return result == 1;
  }

  public boolean updateAttributes(String sessionId, Map<String, Object> puts,
      Set<String> removals) {
    Fields.Pairs pairs = hash.attributes(puts, new Fields.Pairs());
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(pairs.size() / 2));
    args.addAll(pairs.items());
    for (String field : SessionHash.attributeFields(removals)) {
      args.add(Fields.bytes(field));
    }
    Long result = redis.run("updateAttributes", LuaScript.UPDATE_ATTRIBUTES,
        keys(keys.session(sessionId)), array(args));
    return result == 1;
  }

  public boolean delete(String sessionId) {
    Long result = redis.run("delete", LuaScript.DELETE, keys(keys.session(sessionId)),
        Fields.bytes(sessionId));
    return result == 1;
  }

  public List<SessionRecord> findByPrincipal(String principal, long now) {
    List<Object> reply = redis.run("findByPrincipal", LuaScript.FIND_BY_PRINCIPAL,
        keys(keys.principal(principal)), Fields.bytes(principal));
    List<SessionRecord> live = new ArrayList<>(reply.size());
    for (Object entry : reply) {
      read(Fields.ofReply((List<?>) entry), null)
          .filter(r -> principal.equals(r.principal()) && !r.isExpired(now))
          .ifPresent(live::add);
    }
    return live;
  }

  public List<String> deleteByPrincipal(String principal, Set<String> keepSessionIds) {
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principal));
    keepSessionIds.forEach(id -> args.add(Fields.bytes(id)));
    List<Object> reply = redis.run("deleteByPrincipal", LuaScript.DELETE_BY_PRINCIPAL,
        keys(keys.principal(principal)), array(args));
    List<String> deleted = new ArrayList<>(reply.size());
    for (Object id : reply) {
      deleted.add(Fields.text((byte[]) id));
    }
    return deleted;
  }

  public List<ExpiredSession> purgeExpired(long now, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<Object> reply = redis.run("purgeExpired", LuaScript.PURGE, keys(keys.due()),
        Fields.bytes(now), Fields.bytes(limit));
    List<ExpiredSession> expired = new ArrayList<>(reply.size() / 4);
    for (int i = 0; i + 3 < reply.size(); i += 4) {
      byte[] principal = (byte[]) reply.get(i + 1);
      EndReason reason = "A".equals(Fields.text((byte[]) reply.get(i + 3)))
          ? EndReason.ABSOLUTE_TIMEOUT : EndReason.IDLE_TIMEOUT;
      expired.add(new ExpiredSession(Fields.text((byte[]) reply.get(i)),
          principal == null ? null : Fields.text(principal),
          Long.parseLong(Fields.text((byte[]) reply.get(i + 2))), reason));
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

  static byte[][] array(List<byte[]> items) {
    return items.toArray(new byte[0][]);
  }
}
