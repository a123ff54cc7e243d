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
 * names of those session hashes (and of their token keys) come from what they read. Every script
 * names every key it touches in {@code KEYS} (on a Redis Cluster whose slot is migrating, Redis
 * then runs it only on a node that holds all of them, and otherwise answers {@code TRYAGAIN} or
 * {@code ASK}, so that a call fails closed instead of seeing a hash "missing" on the wrong node or
 * stopping half-way): so the first phase reads the ids (with the generation raised in the same
 * step, for a revocation), the second names their hashes and re-checks each one (a
 * compare-and-set: the session still has the principal the first phase saw, the due entry is still
 * there), and a last one deletes the token keys of the sessions deleted, each only if it still
 * names its session. Until then such a token key names an id without a hash, which every lookup
 * reads as no session. Batches of at most {@value #BATCH} session hashes per script bound the
 * work Redis does in one step.
 *
 * <p><b>Keys only the stored session names.</b> Every script names every key it touches in {@code
 * KEYS}, except the two of the request path (their token key names the session, whose id is in no
 * cookie; they read each key they build before any write). A touch and an idle timeout change read
 * the session's token hashes and principal first, then run a compare-and-set that reads again if a
 * rotation landed in between. A delete, a rotation that takes a session from its principal and the
 * move of an authenticated session remove what still points at it (token keys, principal-set
 * entry) in a second script, a compare-and-set on each. The key of a token replaced two rotations
 * ago is left to expire at the end of its grace.
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
  /** The most first and second phases of a touch or an idle timeout change per call. */
  private static final int MAX_ATTEMPTS = 100;
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
   * removes what still points at the session), with the bucket they work on: for tests that let a
   * concurrent call land there.
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
   * Runs the create script: 1 stored, 0 fenced, -1 the id exists.
   *
   * @throws SessionStoreException if the token hash exists or Redis fails
   */
  private long store(SessionRecord session, long principalGeneration) {
    Objects.requireNonNull(session, "session");
    String bucket = bucketOf(session);
    List<String> scriptKeys = new ArrayList<>(7);
    scriptKeys.add(keys.session(bucket, session.id()));
    scriptKeys.add(keys.token(bucket, session.tokenHash().toBase64Url()));
    scriptKeys.add(keys.due(bucket));
    scriptKeys.add(keys.moved(bucket, session.id()));
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
        keys.bucketRoot(bucket), keys(keys.token(bucket, encoded), keys.due(bucket)),
        Fields.bytes(encoded),
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
    for (int attempt = 1; ; attempt++) {
      Linked linked = linked("touch", bucket, sessionId);
      if (linked == null) {
        return false;
      }
      List<byte[]> args = new ArrayList<>(4);
      args.add(Fields.bytes(nowMillis));
      linked.addTokens(args);
      args.add(Fields.bytes(linked.principal()));
      Long result = redis.run("touch", LuaScript.TOUCH, keys.bucketRoot(bucket),
          linked.keys(keys, bucket, sessionId), array(args));
      if (result != -1) {
        return result == 1;
      }
      changedMeanwhile("touch", attempt);
    }
  }

  /**
   * The first phase of a touch or of {@link #setIdleTimeout}: reads the token hashes and the
   * principal of session {@code sessionId}, which name the keys its second phase sets TTLs on.
   *
   * @return {@code null} if the session is gone
   */
  private Linked linked(String operation, String bucket, String sessionId) {
    List<byte[]> values = redis.hashValues(operation, keys.session(bucket, sessionId), "th",
        "pth", "p");
    if (values.get(0) == null) {
      return null;
    }
    Linked linked = new Linked(Fields.text(values.get(0)),
        values.get(1) == null ? "" : Fields.text(values.get(1)),
        values.get(2) == null ? "" : Fields.text(values.get(2)));
    betweenPhases.accept(bucket);
    return linked;
  }

  /**
   * Gives up after {@value #MAX_ATTEMPTS} second phases that found the session changed since their
   * first (each such change is a rotation or a login that completed meanwhile, so only a session
   * that rotates without pause gets here).
   *
   * @throws SessionStoreException after the last attempt
   */
  private static void changedMeanwhile(String operation, int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new SessionStoreException("Redis session store: " + operation + " found the session"
          + " changed by a concurrent call " + attempt + " times: retry");
    }
  }

  /**
   * What the keys of a session besides its hash are named after: its token hash, its previous
   * token hash and its principal ({@code ""} for none), as a first phase read them.
   */
  private record Linked(String tokenHash, String previousTokenHash, String principal) {

    /** Adds the token hash and the previous one to a script's arguments. */
    void addTokens(List<byte[]> args) {
      args.add(Fields.bytes(tokenHash));
      args.add(Fields.bytes(previousTokenHash));
    }

    /**
     * Returns the keys of a second phase: the session hash, the due index, the token's key, the
     * previous token's (if any), the principal's set (if any).
     */
    String[] keys(RedisKeys keys, String bucket, String sessionId) {
      List<String> named = new ArrayList<>(5);
      named.add(keys.session(bucket, sessionId));
      named.add(keys.due(bucket));
      named.add(keys.token(bucket, tokenHash));
      if (!previousTokenHash.isEmpty()) {
        named.add(keys.token(bucket, previousTokenHash));
      }
      if (!principal.isEmpty()) {
        named.add(keys.principal(bucket, principal));
      }
      return keyArray(named);
    }
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
    List<Object> reply = redis.run("rotate", LuaScript.ROTATE, keys.bucketRoot(bucket),
        keyArray(scriptKeys), array(args));
    if (reply.isEmpty()) {
      return false;
    }
    String left = Fields.text((byte[]) reply.get(1));
    if (!left.isEmpty()) { // the session left its principal: its entry in the set goes
      betweenPhases.accept(bucket);
      List<String> stale = new ArrayList<>(1);
      addTokens(stale, sessionId, reply.get(2));
      unlink("rotate", false, bucket, sessionId, left, stale);
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
        keys(keys.session(from, sessionId), keys.token(from, expectedTokenHash.toBase64Url()),
            keys.due(from), keys.moved(from, sessionId)),
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
      List<String> stale = new ArrayList<>(1);
      addTokens(stale, sessionId, out.get(3));
      unlink("rotate", false, from, sessionId, left, stale);
    }
    long idleTimeout = Long.parseLong(Fields.text((byte[]) out.get(1)));
    if (idleTimeout != replacement.lifetime().idleTimeout()
        && !setIdleTimeout(replacement.id(), replacement.principal(), idleTimeout)) {
      return false; // revoked meanwhile
    }
    List<byte[]> puts = new ArrayList<>();
    Set<String> stored = new HashSet<>();
    for (int i = 4; i + 1 < out.size(); i += 2) {
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
    String seen = expectedPrincipal == null ? "" : expectedPrincipal;
    for (int attempt = 1; ; attempt++) {
      Linked linked = linked("setIdleTimeout", bucket, sessionId);
      if (linked == null || !linked.principal().equals(seen)) {
        return false; // gone, or no longer the session the caller saw
      }
      List<byte[]> args = new ArrayList<>(4);
      args.add(seenAs(expectedPrincipal));
      args.add(Fields.bytes(idleTimeoutMillis));
      linked.addTokens(args);
      Long result = redis.run("setIdleTimeout", LuaScript.SET_IDLE_TIMEOUT,
          keys.bucketRoot(bucket), linked.keys(keys, bucket, sessionId), array(args));
      if (result != -1) {
        return result == 1;
      }
      changedMeanwhile("setIdleTimeout", attempt);
    }
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
      List<String> tokens = new ArrayList<>();
      for (int j = 0; j + 2 < reply.size(); j += 3) {
        String id = Fields.text((byte[]) reply.get(j));
        deleted.add(id);
        addTokens(tokens, id, reply.get(j + 1), reply.get(j + 2));
      }
      dropTokens(operation, bucket, tokens);
    }
    return deleted;
  }

  /** Adds the token hashes a script reported for session {@code id} ('' or nil: none). */
  private static void addTokens(List<String> tokens, String id, Object... hashes) {
    for (Object hash : hashes) {
      String text = hash == null ? "" : Fields.text((byte[]) hash);
      if (!text.isEmpty()) {
        tokens.add(text);
        tokens.add(id);
      }
    }
  }

  /**
   * Deletes the token keys of sessions that an earlier phase deleted: {@code tokens} holds token
   * hash, session id pairs; each key goes only if it still names that session. One script per
   * batch, the token keys in {@code KEYS}; nothing is sent when there are none.
   *
   * @throws SessionStoreException if Redis fails or refuses while the slot moves
   */
  private void dropTokens(String operation, String bucket, List<String> tokens) {
    for (int from = 0; from < tokens.size(); from += 2 * BATCH) {
      List<String> batch = tokens.subList(from, Math.min(from + 2 * BATCH, tokens.size()));
      String[] scriptKeys = new String[batch.size() / 2];
      byte[][] args = new byte[batch.size() / 2][];
      for (int j = 0; j < scriptKeys.length; j++) {
        scriptKeys[j] = keys.token(bucket, batch.get(2 * j));
        args[j] = Fields.bytes(batch.get(2 * j + 1));
      }
      redis.revoke(operation, LuaScript.DROP_TOKENS, keys.bucketRoot(bucket), scriptKeys, args);
    }
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
    if (!reply.isEmpty()) {
      betweenPhases.accept(bucket);
      List<String> tokens = new ArrayList<>(4);
      addTokens(tokens, sessionId, reply.get(0), reply.get(1));
      unlink("delete", true, bucket, sessionId, Fields.text((byte[]) reply.get(2)), tokens);
    }
    // also when this call found nothing: the retry of a delete whose WAIT failed finds the
    // session gone, and must not return before a replica has the first attempt's delete
    redis.awaitReplicas("delete", key);
    return !reply.isEmpty();
  }

  /**
   * The second phase of a delete, of a move and of a rotation that took session {@code id} from
   * {@code principal} (empty: none): one script that names the session hash, the token keys
   * ({@code tokens}: token hash, session id pairs) and the principal's set in {@code KEYS}, and
   * removes each only if it still points at the session and the session (if its hash is there)
   * no longer answers to it. Nothing is sent when there is nothing to remove.
   *
   * @param revocation whether it runs over the connection for revocations (a delete, whose
   *     {@code WAIT} follows)
   * @throws SessionStoreException if Redis fails or refuses while the slot moves
   */
  private void unlink(String operation, boolean revocation, String bucket, String id,
      String principal, List<String> tokens) {
    if (tokens.isEmpty() && principal.isEmpty()) {
      return;
    }
    List<String> scriptKeys = new ArrayList<>(tokens.size() / 2 + 2);
    scriptKeys.add(keys.session(bucket, id));
    List<byte[]> args = new ArrayList<>(tokens.size() / 2 + 2);
    args.add(Fields.bytes(id));
    args.add(Fields.bytes(principal));
    for (int j = 0; j < tokens.size(); j += 2) {
      scriptKeys.add(keys.token(bucket, tokens.get(j)));
      args.add(Fields.bytes(tokens.get(j)));
    }
    if (!principal.isEmpty()) {
      scriptKeys.add(keys.principal(bucket, principal));
    }
    if (revocation) {
      redis.revoke(operation, LuaScript.UNLINK, keys.bucketRoot(bucket), keyArray(scriptKeys),
          array(args));
    } else {
      redis.run(operation, LuaScript.UNLINK, keys.bucketRoot(bucket), keyArray(scriptKeys),
          array(args));
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
    List<String> tokens = new ArrayList<>();
    for (int j = 0; j + 5 < reply.size(); j += 6) {
      String id = Fields.text((byte[]) reply.get(j));
      byte[] principal = (byte[]) reply.get(j + 1);
      ExpiredSession.Timeout timeout = "A".equals(Fields.text((byte[]) reply.get(j + 3)))
          ? ExpiredSession.Timeout.ABSOLUTE : ExpiredSession.Timeout.IDLE;
      expired.add(new ExpiredSession(id, principal == null ? null : Fields.text(principal),
          Long.parseLong(Fields.text((byte[]) reply.get(j + 2))), timeout));
      addTokens(tokens, id, reply.get(j + 4), reply.get(j + 5));
    }
    dropTokens("purgeExpired", bucket, tokens);
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
