// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session half of the Redis store: most operations on one session are one script, one {@code
 * HGETALL} or one {@code GET}, in the bucket that the session id, the token hash's routing tag or
 * the principal names; see below for those that take two. A session that does not read back (corrupt metadata, attributes the codec refuses) is
 * removed and reported as absent, with a warning that names the session id and the problem, never
 * a value.
 *
 * <p><b>Operations on many sessions run in phases.</b> A force logout, a logout of everyone, a
 * listing and a purge find the sessions they work on in a principal's set or a due index, and the
 * names of those session hashes come from what they read. Every script
 * names every key it touches in {@code KEYS} (on a Redis Cluster whose slot is migrating, Redis
 * then runs it only on a node that holds all of them, and otherwise answers {@code TRYAGAIN} or
 * {@code ASK}, so that a call fails closed instead of seeing a hash "missing" on the wrong node or
 * stopping half-way): so the first phase reads the ids (with the generation raised in the same
 * step, for a revocation), the second names their hashes and re-checks each one (a
 * compare-and-set: the session still has the principal the first phase saw, the due entry is still
 * there). Batches of at most {@value #BATCH} session hashes per script bound the work Redis does in
 * one step.
 *
 * <p><b>The request path names the session.</b> The session cookie carries the session id (its
 * routing tag, {@link RedisKeys#cookieTag}), so a lookup names the session hash and its moved key
 * in {@code KEYS} and checks the token's hash against the hash's current and previous token hash:
 * there is no key per token. A delete, a rotation that takes a session from its principal and the
 * move of an authenticated session remove its entry from the principal's set in a second script (a
 * compare-and-set), because only the hash names that set. A touch and an idle timeout change name
 * the hash and the due index only: the principal's set lives until the latest absolute deadline of
 * its sessions, which a touch never moves.
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
  /** The most session hashes one script names in {@code KEYS}. */
  static final int BATCH = 200;
  /** The most claim rounds per due-index shard and purge call. */
  private static final int PURGE_ROUNDS = 10;

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final SessionHash hash;
  private final AtomicInteger purgeStart = new AtomicInteger();
  private volatile Consumer<String> betweenPhases = bucket -> { };

  /**
   * Runs {@code hook} between the phases of every operation that takes two or more (force logout,
   * logout of everyone, listing, purge, and a delete, a move or a rotation whose second phase
   * removes the session's entry from its principal's set), with the bucket they work on: for tests
   * that let a concurrent call land there.
   */
  void betweenPhases(Consumer<String> hook) {
    this.betweenPhases = Objects.requireNonNull(hook, "hook");
  }

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
   * Runs the create script: 1 stored, 0 fenced, -1 the id exists. A token hash is not checked for
   * uniqueness across sessions: the store finds a session by the id its cookie carries and then
   * checks the hash, and two 256-bit random tokens do not collide.
   *
   * @throws SessionStoreException if Redis fails
   */
  private long store(SessionRecord session, long principalGeneration) {
    Objects.requireNonNull(session, "session");
    String bucket = bucketOf(session);
    List<String> scriptKeys = new ArrayList<>(5);
    scriptKeys.add(keys.session(bucket, session.id()));
    scriptKeys.add(keys.due(bucket));
    scriptKeys.add(keys.moved(bucket, session.id()));
    if (session.isAuthenticated()) {
      scriptKeys.add(keys.principal(bucket, session.principal()));
      scriptKeys.add(keys.generation(bucket, session.principal()));
    }
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(principalGeneration));
    args.addAll(hash.all(session).items());
    return redis.run("create", LuaScript.CREATE, keys.bucketRoot(bucket), keyArray(scriptKeys),
        array(args));
  }

  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    String sessionId = RedisKeys.sessionIdOfCookieTag(tokenHash.routingTag());
    if (sessionId == null) {
      return Optional.empty();
    }
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    List<Object> reply = redis.run("findByTokenHash", LuaScript.FIND_BY_TOKEN,
        keys.bucketRoot(bucket), keys(keys.session(bucket, sessionId),
            keys.moved(bucket, sessionId)), Fields.bytes(tokenHash.toBase64Url()));
    return readReply(reply, sessionId).filter(r -> r.hasToken(tokenHash));
  }

  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    String sessionId = RedisKeys.sessionIdOfCookieTag(tokenHash.routingTag());
    if (sessionId == null) {
      return Optional.empty();
    }
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    List<Object> reply = redis.run("findByTokenHashAndTouch", LuaScript.FIND_AND_TOUCH,
        keys.bucketRoot(bucket), keys(keys.session(bucket, sessionId), keys.due(bucket),
            keys.moved(bucket, sessionId)), Fields.bytes(tokenHash.toBase64Url()),
        Fields.bytes(nowMillis), Fields.bytes(minIntervalMillis));
    return readReply(reply, sessionId).filter(r -> r.hasToken(tokenHash));
  }

  /**
   * Reads a script's reply about session {@code sessionId}, following a forward to a moved session
   * (a second read).
   */
  private Optional<SessionRecord> readReply(List<Object> reply, String sessionId) {
    if (reply.size() == 2 && FORWARD.equals(Fields.text((byte[]) reply.get(0)))) {
      return findHere(Fields.text((byte[]) reply.get(1)));
    }
    return read(Fields.ofReply(reply), sessionId);
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
    byte[] moved = redis.value("findById", keys.moved(bucket, sessionId));
    if (moved == null) {
      return found;
    }
    String value = Fields.text(moved); // "{new id}\n{hash of the token the login replaced}"
    int newline = value.indexOf('\n');
    return findHere(newline < 0 ? value : value.substring(0, newline));
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
        keys(keys.session(bucket, sessionId), keys.due(bucket)), Fields.bytes(nowMillis));
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
    List<String> scriptKeys = new ArrayList<>(4);
    scriptKeys.add(keys.session(bucket, sessionId));
    scriptKeys.add(keys.due(bucket));
    if (replacement.isAuthenticated()) {
      scriptKeys.add(keys.principal(bucket, replacement.principal()));
      scriptKeys.add(keys.generation(bucket, replacement.principal()));
    }
    List<byte[]> args = new ArrayList<>();
    args.add(Fields.bytes(expectedTokenHash.toBase64Url()));
    args.add(Fields.bytes(principalGeneration));
    args.addAll(hash.metadata(replacement).items());
    List<Object> reply = redis.run("rotate", LuaScript.ROTATE, keys.bucketRoot(bucket),
        keyArray(scriptKeys), array(args));
    if (reply.isEmpty()) {
      return false;
    }
    String left = Fields.text((byte[]) reply.get(1));
    if (!left.isEmpty()) { // the session left its principal: its entry in the set goes
      betweenPhases.accept(bucket);
      unlink("rotate", false, bucket, sessionId, left);
    }
    return true;
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
        keys(keys.session(from, sessionId), keys.due(from), keys.moved(from, sessionId)),
        Fields.bytes(expectedTokenHash.toBase64Url()), Fields.bytes(replacement.id()),
        Fields.bytes(graceEnd),
        Fields.bytes(replacement.lifetime().lastAccessedAt()));
    if (out.isEmpty()) {
      delete(replacement.id()); // lost the compare-and-set: the old session stays
      return false;
    }
    String left = Fields.text((byte[]) out.get(2));
    if (!left.isEmpty()) { // it moved away from a principal: its entry in that set goes
      betweenPhases.accept(from);
      unlink("rotate", false, from, sessionId, left);
    }
    long idleTimeout = Long.parseLong(Fields.text((byte[]) out.get(1)));
    if (idleTimeout != replacement.lifetime().idleTimeout()
        && !setIdleTimeout(replacement.id(), replacement.principal(), idleTimeout)) {
      return false; // revoked meanwhile
    }
    List<byte[]> puts = new ArrayList<>();
    Set<String> stored = new HashSet<>();
    for (int i = 3; i + 1 < out.size(); i += 2) {
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

  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    if (idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
    }
    String bucket = RedisKeys.bucketOfSessionId(sessionId);
    if (bucket == null) {
      return false;
    }
    Long result = redis.run("setIdleTimeout", LuaScript.SET_IDLE_TIMEOUT,
        keys.bucketRoot(bucket), keys(keys.session(bucket, sessionId), keys.due(bucket)),
        seenAs(expectedPrincipal), Fields.bytes(idleTimeoutMillis));
    return result == 1;
  }

  /**
   * Raises the generation of every principal with a session or a series and deletes every
   * session, bucket by bucket (each principal lies wholly in one, so the fence holds for each
   * principal as in a force logout), waiting for a replica after each bucket when configured. Three
   * phases per bucket, each a script whose keys are all in {@code KEYS}: the due indexes are read
   * (which principals); their generations are raised and the due index read again in one step; the
   * sessions it lists are deleted (a compare-and-set on each one's principal, in batches).
   */
  public long revokeAll() {
    long deleted = 0;
    for (int i = 0; i < RedisKeys.BUCKETS; i++) {
      String bucket = RedisKeys.bucket(i);
      String root = keys.bucketRoot(bucket);
      String due = keys.due(bucket);
      List<Object> lists = redis.revoke("revokeAll", LuaScript.LIST_DUE, root,
          keys(due, keys.seriesDue(bucket)));
      Set<String> principals = new LinkedHashSet<>();
      for (Object entry : (List<?>) lists.get(0)) {
        String principal = SessionRef.parse(Fields.text((byte[]) entry)).principal();
        if (principal != null) {
          principals.add(principal);
        }
      }
      for (Object entry : (List<?>) lists.get(1)) {
        String text = Fields.text((byte[]) entry);
        principals.add(text.substring(text.indexOf('\n') + 1));
      }
      List<String> generations = new ArrayList<>();
      principals.forEach(p -> generations.add(keys.generation(bucket, p)));
      List<Object> snapshot = null;
      int from = 0;
      do { // at least once: the snapshot of the due index comes with the last raise
        int to = Math.min(from + BATCH, generations.size());
        List<String> scriptKeys = new ArrayList<>(to - from + 1);
        scriptKeys.add(due);
        scriptKeys.addAll(generations.subList(from, to));
        snapshot = redis.revoke("revokeAll", LuaScript.RAISE_GENERATIONS, root,
            keyArray(scriptKeys));
        from = to;
      } while (from < generations.size());
      betweenPhases.accept(bucket);
      List<SessionRef> sessions = new ArrayList<>(snapshot.size());
      for (Object entry : snapshot) {
        sessions.add(SessionRef.parse(Fields.text((byte[]) entry)));
      }
      deleted += drop("revokeAll", bucket, sessions).size();
      redis.awaitReplicas("revokeAll", due);
    }
    return deleted;
  }

  /**
   * Deletes {@code sessions} of {@code bucket} that still have the principal each one names, in
   * batches of at most {@value #BATCH}, each a script that names every session hash, the due index
   * and the principal sets in {@code KEYS}. On a Redis Cluster whose slot is migrating, Redis runs
   * such a call only on a node that holds every key it names (else it answers {@code TRYAGAIN} or
   * {@code ASK}), so a hash missing in it is gone; a refusal fails the call with a {@link
   * SessionStoreException}.
   *
   * @return the ids this call deleted
   * @throws SessionStoreException if Redis fails or refuses while the slot moves
   */
  private List<String> drop(String operation, String bucket, List<SessionRef> sessions) {
    List<String> deleted = new ArrayList<>();
    for (int from = 0; from < sessions.size(); from += BATCH) {
      List<SessionRef> batch = sessions.subList(from, Math.min(from + BATCH, sessions.size()));
      List<String> scriptKeys = new ArrayList<>(batch.size() + 2);
      scriptKeys.add(keys.due(bucket));
      batch.forEach(s -> scriptKeys.add(keys.session(bucket, s.id())));
      Map<String, Integer> sets = new HashMap<>();
      List<byte[]> args = new ArrayList<>(3 * batch.size() + 1);
      args.add(Fields.bytes(batch.size()));
      for (SessionRef s : batch) {
        int set = 0;
        if (s.principal() != null) {
          set = sets.computeIfAbsent(s.principal(), p -> {
            scriptKeys.add(keys.principal(bucket, p));
            return scriptKeys.size(); // Lua indexes KEYS from 1
          });
        }
        args.add(Fields.bytes(s.id()));
        args.add(seenAs(s.principal()));
        args.add(Fields.bytes(set));
      }
      List<Object> reply = redis.revoke(operation, LuaScript.DROP_SESSIONS,
          keys.bucketRoot(bucket), keyArray(scriptKeys), array(args));
      reply.forEach(id -> deleted.add(Fields.text((byte[]) id)));
    }
    return deleted;
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
    List<Object> reply = redis.revoke("delete", LuaScript.DELETE, keys.bucketRoot(bucket),
        keys(key, keys.due(bucket)), Fields.bytes(sessionId));
    String principal = reply.isEmpty() ? "" : Fields.text((byte[]) reply.get(0));
    if (!principal.isEmpty()) {
      betweenPhases.accept(bucket);
      unlink("delete", true, bucket, sessionId, principal);
    }
    // also when this call found nothing: the retry of a delete whose WAIT failed finds the
    // session gone, and must not return before a replica has the first attempt's delete
    redis.awaitReplicas("delete", key);
    return !reply.isEmpty();
  }

  /**
   * The second phase of a delete, of a move and of a rotation that took session {@code id} from
   * {@code principal}: one script that names the session hash and the principal's set in {@code
   * KEYS}, and removes the session's entry from the set only if the hash is gone or no longer that
   * principal's (a compare-and-set).
   *
   * @param revocation whether it runs over the connection for revocations (a delete, whose
   *     {@code WAIT} follows)
   * @throws SessionStoreException if Redis fails or refuses while the slot moves
   */
  private void unlink(String operation, boolean revocation, String bucket, String id,
      String principal) {
    String[] scriptKeys = keys(keys.session(bucket, id), keys.principal(bucket, principal));
    byte[][] args = {Fields.bytes(id), Fields.bytes(principal)};
    if (revocation) {
      redis.revoke(operation, LuaScript.UNLINK, keys.bucketRoot(bucket), scriptKeys, args);
    } else {
      redis.run(operation, LuaScript.UNLINK, keys.bucketRoot(bucket), scriptKeys, args);
    }
  }

  /**
   * Two phases: an {@code SMEMBERS} of the principal's set, then a script per batch of at most
   * {@value #BATCH} ids that names the set and their session hashes in {@code KEYS} and returns
   * those that still belong to the principal (dropping entries whose hash is gone or someone
   * else's).
   */
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    String bucket = RedisKeys.bucketOf(principal);
    String set = keys.principal(bucket, principal);
    List<String> ids = texts(redis.members("findByPrincipal", set));
    betweenPhases.accept(bucket);
    List<SessionRecord> live = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += BATCH) {
      List<String> batch = ids.subList(from, Math.min(from + BATCH, ids.size()));
      List<String> scriptKeys = new ArrayList<>(batch.size() + 1);
      scriptKeys.add(set);
      List<byte[]> args = new ArrayList<>(batch.size() + 1);
      args.add(Fields.bytes(principal));
      for (String id : batch) {
        scriptKeys.add(keys.session(bucket, id));
        args.add(Fields.bytes(id));
      }
      List<Object> reply = redis.run("findByPrincipal", LuaScript.FIND_BY_PRINCIPAL,
          keys.bucketRoot(bucket), keyArray(scriptKeys), array(args));
      for (Object entry : reply) {
        read(Fields.ofReply((List<?>) entry), null)
            .filter(r -> principal.equals(r.principal()) && !r.isExpired(nowMillis))
            .ifPresent(live::add);
      }
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

  /**
   * Two phases, each a script whose keys are all in {@code KEYS}: the first raises the generation
   * and reads the principal's set in one step; the second deletes the sessions listed (not kept)
   * that still belong to the principal, in batches of at most {@value #BATCH} ids (a
   * compare-and-set on each one's principal). The first phase is the moment the force logout takes
   * effect: a login that read an earlier generation is refused from then on, so every session it
   * must end is listed, and a session added to the set after it is a login that read the new
   * generation, which stays. On a cluster whose slot is migrating, a phase that names a key the
   * node does not have is refused ({@code TRYAGAIN}/{@code ASK}) and this fails closed.
   */
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    String bucket = RedisKeys.bucketOf(principal);
    String set = keys.principal(bucket, principal);
    List<Object> listed = redis.revoke("revokePrincipal", LuaScript.REVOKE_PRINCIPAL,
        keys.bucketRoot(bucket), keys(set, keys.generation(bucket, principal)),
        Fields.bytes(newGeneration));
    betweenPhases.accept(bucket);
    List<SessionRef> sessions = new ArrayList<>(listed.size());
    for (Object id : listed) {
      String sessionId = Fields.text((byte[]) id);
      if (!keepSessionIds.contains(sessionId)) {
        sessions.add(new SessionRef(sessionId, principal));
      }
    }
    List<String> deleted = drop("revokePrincipal", bucket, sessions);
    redis.awaitReplicas("revokePrincipal", set);
    return deleted;
  }

  /**
   * Walks the due-index shards one by one, from a start that moves on with every call so that app
   * servers purging at once spread over the shards, until {@code limit} sessions are claimed or
   * every shard was asked. Two phases per shard: a {@code ZRANGEBYSCORE} reads the due entries (at
   * most {@value #BATCH}), then a script that names their session hashes and principal sets in
   * {@code KEYS} claims those still due.
   */
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    List<ExpiredSession> expired = new ArrayList<>();
    int start = purgeStart.getAndIncrement();
    for (int i = 0; i < RedisKeys.BUCKETS && expired.size() < limit; i++) {
      String bucket = RedisKeys.bucket(Math.floorMod(start + i, RedisKeys.BUCKETS));
      // each round takes its entries out of the due range (claimed, or moved to a later expiry)
      for (int round = 0; round < PURGE_ROUNDS && expired.size() < limit; round++) {
        if (!purgeShard(bucket, nowMillis, limit - expired.size(), expired)) {
          break;
        }
      }
    }
    return expired;
  }

  /** Claims up to {@code limit} due sessions of one shard; false if none was due. */
  private boolean purgeShard(String bucket, long nowMillis, int limit,
      List<ExpiredSession> expired) {
    String due = keys.due(bucket);
    List<ScoredValue<byte[]>> entries = redis.lowest("purgeExpired", due, nowMillis,
        Math.min(limit, BATCH));
    if (entries.isEmpty()) {
      return false;
    }
    betweenPhases.accept(bucket);
    List<String> scriptKeys = new ArrayList<>(entries.size() + 2);
    scriptKeys.add(due);
    List<byte[]> args = new ArrayList<>(2 * entries.size() + 2);
    args.add(Fields.bytes(nowMillis));
    args.add(Fields.bytes(entries.size()));
    Map<String, Integer> sets = new HashMap<>();
    List<SessionRef> parsed = new ArrayList<>(entries.size());
    for (ScoredValue<byte[]> entry : entries) {
      SessionRef parsedEntry = SessionRef.parse(Fields.text(entry.getValue()));
      parsed.add(parsedEntry);
      scriptKeys.add(keys.session(bucket, parsedEntry.id()));
    }
    for (int j = 0; j < entries.size(); j++) {
      String principal = parsed.get(j).principal();
      int set = 0;
      if (principal != null) {
        set = sets.computeIfAbsent(principal, p -> {
          scriptKeys.add(keys.principal(bucket, p));
          return scriptKeys.size(); // Lua indexes KEYS from 1
        });
      }
      args.add(entries.get(j).getValue());
      args.add(Fields.bytes(set));
    }
    List<Object> reply = redis.run("purgeExpired", LuaScript.PURGE, keys.bucketRoot(bucket),
        keyArray(scriptKeys), array(args));
    for (int j = 0; j + 3 < reply.size(); j += 4) {
      String id = Fields.text((byte[]) reply.get(j));
      byte[] principal = (byte[]) reply.get(j + 1);
      ExpiredSession.Timeout timeout = "A".equals(Fields.text((byte[]) reply.get(j + 3)))
          ? ExpiredSession.Timeout.ABSOLUTE : ExpiredSession.Timeout.IDLE;
      expired.add(new ExpiredSession(id, principal == null ? null : Fields.text(principal),
          Long.parseLong(Fields.text((byte[]) reply.get(j + 2))), timeout));
    }
    return true;
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

  private static List<String> texts(Iterable<byte[]> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(Fields.text(v)));
    return out;
  }

  /**
   * A session as the due index or a principal's set names it: its id and its principal ({@code
   * null}: anonymous).
   */
  record SessionRef(String id, String principal) {

    /** Parses a due-index entry, {@code "{id}\n{absoluteDeadline}\n[={principal}]"}. */
    static SessionRef parse(String entry) {
      int first = entry.indexOf('\n');
      int second = entry.indexOf('\n', first + 1);
      String rest = entry.substring(second + 1);
      return new SessionRef(entry.substring(0, first), rest.isEmpty() ? null : rest.substring(1));
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
