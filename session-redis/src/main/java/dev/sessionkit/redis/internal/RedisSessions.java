// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session half of the Redis store: each operation is one script, one {@code HGETALL} or one
 * {@code GET}, in the bucket that the session id, the token hash's routing tag or the principal
 * names. A session that does not read back (corrupt metadata, attributes the codec refuses) is
 * removed and reported as absent, with a warning that names the session id and the problem, never
 * a value.
 *
 * <p>A move (a login that takes an anonymous session to its principal's bucket) spans two buckets
 * and so is not one script: the session is first created under its new id in the principal's
 * bucket, fenced as any create; then a compare-and-set on the old token hash removes it from its
 * old bucket and leaves forwards there (the replaced token and the old id name the new id for the
 * grace period); last, if the old session had attributes, they are copied over. A refused fence or
 * a lost compare-and-set leaves the old session as it was (the new one is deleted). A failure in
 * between is undone by the manager with a move back (which ends in "no move" if the session never
 * left, and the manager then deletes the new id).
 */
public final class RedisSessions {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSessions.class);
  private static final String FORWARD = ">";

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final SessionHash hash;
  private final AtomicInteger purgeStart = new AtomicInteger();

  public RedisSessions(RedisGateway redis, RedisKeys keys, AttributeCodec codec) {
    this.redis = redis;
    this.keys = keys;
    this.hash = new SessionHash(codec);
  }

  public boolean create(SessionRecord session, long principalGeneration) {
    long result = store(session, principalGeneration);
    if (result == -1) {
      throw new SessionStoreException("a session with this id already exists");
    }
    return result == 1;
  }

  /**
   * Runs the create script: 1 stored, 0 fenced, -1 the id exists.
   *
   * @throws SessionStoreException if the token hash exists or Redis fails
   */
  private long store(SessionRecord session, long principalGeneration) {
    Objects.requireNonNull(session, "session");
    String bucket = bucketOf(session);
    List<String> scriptKeys = new ArrayList<>(6);
    scriptKeys.add(keys.session(bucket, session.id()));
    scriptKeys.add(keys.token(bucket, session.tokenHash().toBase64Url()));
    scriptKeys.add(keys.due(bucket));
    addPrincipalAndPrevious(scriptKeys, bucket, session);
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principalGeneration));
    args.addAll(hash.all(session).items());
    Long result = redis.run("create", LuaScript.CREATE, keys.bucketRoot(bucket),
        keyArray(scriptKeys), array(args));
    if (result == -2) {
      throw new SessionStoreException("a session with this token hash already exists");
    }
    return result;
  }

  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    String bucket = tokenHash.routingTag();
    if (!RedisKeys.isBucket(bucket)) {
      return Optional.empty();
    }
    List<Object> reply = redis.run("findByTokenHash", LuaScript.FIND_BY_TOKEN,
        keys.bucketRoot(bucket), keys(keys.token(bucket, tokenHash.toBase64Url())));
    return readReply(reply).filter(r -> r.hasToken(tokenHash));
  }

  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    String bucket = tokenHash.routingTag();
    if (!RedisKeys.isBucket(bucket)) {
      return Optional.empty();
    }
    String encoded = tokenHash.toBase64Url();
    List<Object> reply = redis.run("findByTokenHashAndTouch", LuaScript.FIND_AND_TOUCH,
        keys.bucketRoot(bucket), keys(keys.token(bucket, encoded)), Fields.bytes(encoded),
        Fields.bytes(nowMillis), Fields.bytes(minIntervalMillis));
    return readReply(reply).filter(r -> r.hasToken(tokenHash));
  }

  /** Reads a script's session reply, following a forward to a moved session (a second read). */
  private Optional<SessionRecord> readReply(List<Object> reply) {
    if (reply.size() == 2 && FORWARD.equals(Fields.text((byte[]) reply.get(0)))) {
      return findHere(Fields.text((byte[]) reply.get(1)));
    }
    return read(Fields.ofReply(reply), null);
  }

  public Optional<SessionRecord> findById(String sessionId) {
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return Optional.empty();
    }
    Optional<SessionRecord> found = findHere(sessionId);
    if (found.isPresent()) {
      return found;
    }
    byte[] movedTo = redis.value("findById", keys.moved(bucket, sessionId));
    return movedTo == null ? found : findHere(Fields.text(movedTo));
  }

  /** Reads session {@code sessionId} in its own bucket (no forward followed). */
  private Optional<SessionRecord> findHere(String sessionId) {
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return Optional.empty();
    }
    return read(Fields.of(redis.hashFields("findById", keys.session(bucket, sessionId))),
        sessionId);
  }

  /** One {@code HGETALL} of a session key that is never written (bucket 00): the store check. */
  public void ping() {
    redis.hashFields("ping", keys.session(RedisKeys.bucket(0), SessionStore.PING_SESSION_ID));
  }

  public boolean touch(String sessionId, long nowMillis) {
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return false;
    }
    Long result = redis.run("touch", LuaScript.TOUCH, keys.bucketRoot(bucket),
        keys(keys.session(bucket, sessionId)), Fields.bytes(nowMillis));
    return result == 1;
  }

  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    Objects.requireNonNull(expectedTokenHash, "expectedTokenHash");
    Objects.requireNonNull(replacement, "replacement");
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return false;
    }
    if (!replacement.id().equals(sessionId)) {
      return move(sessionId, bucket, expectedTokenHash, replacement, principalGeneration);
    }
    if (replacement.isAuthenticated() && !bucket.equals(RedisKeys.bucketOf(
        replacement.principal()))) {
      throw new IllegalArgumentException("session " + sessionId + " is not in the bucket of its"
          + " new principal: a login on this store moves it (give the replacement a new id with"
          + " the store's routing tag)");
    }
    List<String> scriptKeys = new ArrayList<>(7);
    scriptKeys.add(keys.session(bucket, sessionId));
    scriptKeys.add(keys.token(bucket, expectedTokenHash.toBase64Url()));
    scriptKeys.add(keys.token(bucket, replacement.tokenHash().toBase64Url()));
    scriptKeys.add(keys.due(bucket));
    addPrincipalAndPrevious(scriptKeys, bucket, replacement);
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(expectedTokenHash.toBase64Url()));
    args.add(Fields.bytes(principalGeneration));
    args.addAll(hash.metadata(replacement).items());
    Long result = redis.run("rotate", LuaScript.ROTATE, keys.bucketRoot(bucket),
        keyArray(scriptKeys), array(args));
    return result == 1;
  }

  /** Moves session {@code sessionId} of {@code from} to {@code replacement}'s id and bucket. */
  private boolean move(String sessionId, String from, TokenHash expectedTokenHash,
      SessionRecord replacement, long principalGeneration) {
    if (store(replacement, principalGeneration) != 1) {
      return false; // fenced, or the new id is taken (a move back that finds the old one): no move
    }
    long graceEnd = replacement.previousToken() != null
        ? replacement.previousToken().validUntil() : replacement.lifetime().lastAccessedAt();
    List<Object> out = redis.run("rotate", LuaScript.MOVE_OUT, keys.bucketRoot(from),
        keys(keys.session(from, sessionId), keys.token(from, expectedTokenHash.toBase64Url()),
            keys.due(from), keys.moved(from, sessionId)),
        Fields.bytes(expectedTokenHash.toBase64Url()), Fields.bytes(replacement.id()),
        Fields.bytes(graceEnd),
        Fields.bytes(replacement.lifetime().lastAccessedAt()));
    if (out.isEmpty()) {
      delete(replacement.id()); // lost the compare-and-set: the old session stays
      return false;
    }
    long idleTimeout = Long.parseLong(Fields.text((byte[]) out.get(1)));
    if (idleTimeout != replacement.lifetime().idleTimeout()
        && !setIdleTimeout(replacement.id(), replacement.principal(), idleTimeout)) {
      return false; // revoked meanwhile
    }
    List<byte[]> puts = new ArrayList<>();
    Set<String> stored = new HashSet<>();
    for (int i = 2; i + 1 < out.size(); i += 2) {
      String field = Fields.text((byte[]) out.get(i));
      stored.add(field);
      puts.add(Fields.bytes(field));
      puts.add((byte[]) out.get(i + 1));
    }
    List<String> removals = new ArrayList<>();
    for (String field : SessionHash.attributeFields(replacement.attributes().keySet())) {
      if (!stored.contains(field)) {
        removals.add(field);
      }
    }
    if (puts.isEmpty() && removals.isEmpty()) {
      return true;
    }
    // false: revoked meanwhile
    return writeAttributes(replacement.id(), replacement.principal(), puts, removals);
  }

  /** Adds the principal's set and generation key (if authenticated), then the previous token's. */
  private void addPrincipalAndPrevious(List<String> scriptKeys, String bucket,
      SessionRecord record) {
    if (record.isAuthenticated()) {
      scriptKeys.add(keys.principal(bucket, record.principal()));
      scriptKeys.add(keys.generation(bucket, record.principal()));
    }
    if (record.previousToken() != null) {
      scriptKeys.add(keys.token(bucket, record.previousToken().hash().toBase64Url()));
    }
  }

  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    if (idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
    }
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return false;
    }
    Long result = redis.run("setIdleTimeout", LuaScript.SET_IDLE_TIMEOUT, keys.bucketRoot(bucket),
        keys(keys.session(bucket, sessionId)), seenAs(expectedPrincipal),
        Fields.bytes(idleTimeoutMillis));
    return result == 1;
  }

  /**
   * Raises the generation of every principal with a session or a series and deletes every
   * session: one script per bucket (each principal lies wholly in one, so the fence holds for each
   * principal as in one script), waiting for a replica after each when configured.
   */
  public long revokeAll() {
    long deleted = 0;
    for (int i = 0; i < RedisKeys.BUCKETS; i++) {
      String bucket = RedisKeys.bucket(i);
      String due = keys.due(bucket);
      List<Object> reply = redis.revoke("revokeAll", LuaScript.REVOKE_ALL,
          keys.bucketRoot(bucket), keys(due, keys.seriesDue(bucket)));
      deleted += (Long) reply.get(0);
      for (int j = 1; j + 1 < reply.size(); j += 2) {
        String principal = Fields.text((byte[]) reply.get(j + 1));
        if (revokeUnseen("revokeAll", bucket, Fields.text((byte[]) reply.get(j)),
            principal.isEmpty() ? null : principal)) {
          deleted++;
        }
      }
      redis.awaitReplicas("revokeAll", due);
    }
    return deleted;
  }

  /**
   * Deletes session {@code sessionId} of {@code bucket} that a revocation script listed but did
   * not find (its hash is not among the script's keys, so on a cluster whose slot is migrating it
   * may be on the other node), by a script that names the hash in {@code KEYS}: Redis runs it only
   * where every key it names is (else it answers {@code TRYAGAIN} or {@code ASK}, and this fails
   * closed with a {@link SessionStoreException}). With {@code principal}, only a session of that
   * principal is deleted, and an entry of its set whose session is gone or someone else's leaves.
   *
   * @return whether this call deleted the session
   * @throws SessionStoreException if Redis fails or refuses while the slot moves
   */
  private boolean revokeUnseen(String operation, String bucket, String sessionId,
      String principal) {
    if (!bucket.equals(RedisKeys.bucketOfSessionId(sessionId))) {
      return false; // not a session of this bucket: nothing of it is here to delete
    }
    String[] scriptKeys = principal == null
        ? keys(keys.session(bucket, sessionId), keys.due(bucket))
        : keys(keys.session(bucket, sessionId), keys.due(bucket),
            keys.principal(bucket, principal));
    byte[][] args = principal == null
        ? new byte[][] {Fields.bytes(sessionId)}
        : new byte[][] {Fields.bytes(sessionId), Fields.bytes(principal)};
    Long result = redis.revoke(operation, LuaScript.REVOKE_SESSION, keys.bucketRoot(bucket),
        scriptKeys, args);
    return result == 1;
  }

  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    Fields.Pairs pairs = hash.attributes(puts, new Fields.Pairs());
    return writeAttributes(sessionId, expectedPrincipal, pairs.items(),
        SessionHash.attributeFields(removals));
  }

  private boolean writeAttributes(String sessionId, String expectedPrincipal, List<byte[]> pairs,
      List<String> removals) {
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return false;
    }
    List<byte[]> args = new ArrayList<>();
    args.add(seenAs(expectedPrincipal));
    args.add(Fields.bytes(pairs.size() / 2));
    args.addAll(pairs);
    for (String field : removals) {
      args.add(Fields.bytes(field));
    }
    Long result = redis.run("updateAttributes", LuaScript.UPDATE_ATTRIBUTES,
        keys.bucketRoot(bucket), keys(keys.session(bucket, sessionId)), array(args));
    return result == 1;
  }

  /** The scripts' argument for the principal the caller saw: empty for an anonymous view. */
  private static byte[] seenAs(String expectedPrincipal) {
    return Fields.bytes(expectedPrincipal == null ? "" : expectedPrincipal);
  }

  public boolean delete(String sessionId) {
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return false;
    }
    String key = keys.session(bucket, sessionId);
    Long result = redis.revoke("delete", LuaScript.DELETE, keys.bucketRoot(bucket),
        keys(key, keys.due(bucket)), Fields.bytes(sessionId));
    // also when this call found nothing: the retry of a delete whose WAIT failed finds the
    // session gone, and must not return before a replica has the first attempt's delete
    redis.awaitReplicas("delete", key);
    return result == 1;
  }

  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    String bucket = RedisKeys.bucketOf(principal);
    List<Object> reply = redis.run("findByPrincipal", LuaScript.FIND_BY_PRINCIPAL,
        keys.bucketRoot(bucket), keys(keys.principal(bucket, principal)),
        Fields.bytes(principal));
    List<SessionRecord> live = new ArrayList<>(reply.size());
    for (Object entry : reply) {
      read(Fields.ofReply((List<?>) entry), null)
          .filter(r -> principal.equals(r.principal()) && !r.isExpired(nowMillis))
          .ifPresent(live::add);
    }
    return live;
  }

  public long principalGeneration(String principal) {
    byte[] value = redis.value("principalGeneration",
        keys.generation(RedisKeys.bucketOf(principal), principal));
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
    String bucket = RedisKeys.bucketOf(principal);
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principal));
    args.add(Fields.bytes(newGeneration));
    keepSessionIds.forEach(id -> args.add(Fields.bytes(id)));
    String key = keys.principal(bucket, principal);
    List<Object> reply = redis.revoke("revokePrincipal", LuaScript.REVOKE_PRINCIPAL,
        keys.bucketRoot(bucket), keys(key, keys.generation(bucket, principal), keys.due(bucket)),
        array(args));
    List<String> deleted = new ArrayList<>();
    for (Object id : (List<?>) reply.get(0)) {
      deleted.add(Fields.text((byte[]) id));
    }
    // sessions the script did not find: gone, or (a slot in migration) on the other node
    for (Object id : (List<?>) reply.get(1)) {
      String sessionId = Fields.text((byte[]) id);
      if (revokeUnseen("revokePrincipal", bucket, sessionId, principal)) {
        deleted.add(sessionId);
      }
    }
    redis.awaitReplicas("revokePrincipal", key);
    return deleted;
  }

  /**
   * Walks the due-index shards one by one (one script each), from a start that moves on with
   * every call so that app servers purging at once spread over the shards, until {@code limit}
   * sessions are claimed or every shard was asked.
   */
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    List<ExpiredSession> expired = new ArrayList<>();
    int start = purgeStart.getAndIncrement();
    for (int i = 0; i < RedisKeys.BUCKETS && expired.size() < limit; i++) {
      String bucket = RedisKeys.bucket(Math.floorMod(start + i, RedisKeys.BUCKETS));
      List<Object> reply = redis.run("purgeExpired", LuaScript.PURGE, keys.bucketRoot(bucket),
          keys(keys.due(bucket)), Fields.bytes(nowMillis), Fields.bytes(limit - expired.size()));
      for (int j = 0; j + 3 < reply.size(); j += 4) {
        byte[] principal = (byte[]) reply.get(j + 1);
        ExpiredSession.Timeout timeout = "A".equals(Fields.text((byte[]) reply.get(j + 3)))
            ? ExpiredSession.Timeout.ABSOLUTE : ExpiredSession.Timeout.IDLE;
        expired.add(new ExpiredSession(Fields.text((byte[]) reply.get(j)),
            principal == null ? null : Fields.text(principal),
            Long.parseLong(Fields.text((byte[]) reply.get(j + 2))), timeout));
      }
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

  /**
   * Returns the bucket of a session to store: the one its id names, which for an authenticated
   * session must be its principal's.
   */
  private static String bucketOf(SessionRecord session) {
    String id = session.id();
    if (id.isEmpty() || id.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a session id must be non-empty, without line breaks");
    }
    String bucket = RedisKeys.bucketOfSessionId(id);
    if (bucket == null) {
      throw new IllegalArgumentException("session id " + id + " carries no bucket of this store"
          + " (ids end in '.' and the store's routing tag)");
    }
    if (session.isAuthenticated() && !bucket.equals(RedisKeys.bucketOf(session.principal()))) {
      throw new IllegalArgumentException("session " + id + " must carry its principal's bucket"
          + " (the store's routingTag(principal))");
    }
    return bucket;
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
