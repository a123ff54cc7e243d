// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The embedded default store of sessions and remember-me series: both live in this JVM's heap.
 * Fast, and right for one app server; nothing survives a restart (use the JDBC or Redis store for
 * that). Implements both {@link SessionStore} and {@link RememberMeStore}.
 *
 * <h2>Design</h2>
 *
 * <p>Memory first: at a million sessions the layout is what the heap holds. Each session is one
 * {@code Slot} (40 bytes: the id packed into 96 bits, a version and the last access) and one
 * immutable {@code Slot.Version} (88 bytes: the token hash as four {@code long}s, the times, and
 * references to what an anonymous session without attributes shares with all others). Two
 * indexes point at the slot, by token hash (the current one and, until the next rotation, the
 * previous one) and by public id; they are {@code SlotTable}s, open-addressed arrays of
 * references with lock-free reads, not maps with a node and a key object per entry. Expiry is a
 * {@code ExpiryBuckets} queue: one reference per session in a bucket of about a second. About 150
 * bytes per empty session in all, against about 360 with {@code ConcurrentHashMap}s, a record per
 * session and an ordered expiry set. Reads build the {@link SessionRecord} the SPI returns from
 * the slot; that costs allocation on each read (the record, its lifetime and its id string) and
 * saves the retained copy. The per-request call, {@link #findAndTouch}, builds no record: it
 * returns the slot's immutable version, which is a {@link SessionView} of the session.
 *
 * <p>Attribute values are kept by reference, as a servlet container keeps them: every request of
 * the session gets the same value objects, so a value changed in place is seen by the others at
 * once (the save mode's write-back only makes it durable in the stores that serialize). That
 * includes a request that began before a login and still runs after it: the store refuses its
 * writes ({@link #updateAttributes}), but cannot stop it changing a shared object in place. Keep
 * values immutable (replace them with {@code putAttribute}) where that matters.
 *
 * <p>Every change is a compare-and-set of the slot's version, so attribute changes of different
 * names merge instead of overwriting each other. Deleting a session sets its version to {@code
 * null} for good, which is why a touch or update that races with a delete can never bring the
 * session back. Touches, the one write of the per-request path, raise the slot's last access in
 * place (a compare-and-set that only moves it forward) and allocate nothing; a rotation raises
 * it to the replacement's last access if that is later, so no touch is ever lost.
 *
 * <p>Principals: one {@link Principal} entry per principal holds its revocation generation, its
 * session ids and its series' selector hashes. Every change of an entry runs inside {@code
 * principals.compute(principal, ...)}, which serializes the changes of one principal: a fenced
 * {@link #create} or {@link #rotate} checks the generation and makes the session visible under the
 * principal in the same step, and {@link #revokePrincipal} raises the generation and deletes the
 * sessions in one step, so each fenced change is entirely before a revocation (and deleted by it)
 * or entirely after it (and refused). Nothing inside such a step calls back into {@code
 * principals}. An entry is dropped when it holds nothing and was never revoked; a revoked
 * principal's entry stays (its generation must never go back to 0). Force logout costs
 * O(sessions of the principal).
 *
 * <p>Expiry: expired sessions are removed lazily when a lookup meets them (by the manager), and by
 * {@link #purgeExpired}, which takes the buckets that have started. A slot's bucket is at or before
 * its real expiry (expiry only moves later, and a rotation or an idle-timeout change that moves
 * it earlier queues the slot again), so a purge costs O(due sessions), not a scan; a slot found not yet expired is queued
 * again at its expiry. A deleted session's slot does not wait in its bucket until then: a full
 * bucket drops its deleted slots before it grows, and a purge sweeps them from every bucket once
 * they are at least {@value #UNLIST_BATCH} and a sixteenth of the sessions held (a read of each
 * queued slot, on the purging thread). Remember-me series expire through an ordered queue of (due time, selector
 * hash) entries.
 */
public final class InMemorySessionStore implements SessionStore, RememberMeStore {

  private final int maxSessions;
  private final AtomicInteger size = new AtomicInteger();
  private final TokenIndex byToken = new TokenIndex();
  private final IdIndex byId = new IdIndex();
  private final ConcurrentHashMap<String, Principal> principals = new ConcurrentHashMap<>();
  private final ExpiryBuckets sessionQueue = new ExpiryBuckets();
  /** Ids of deleted sessions still listed under their principal; see {@link #delete}. */
  private final ConcurrentLinkedQueue<DeletedId> unlisted = new ConcurrentLinkedQueue<>();
  private final AtomicInteger unlistedCount = new AtomicInteger();

  private final ConcurrentHashMap<TokenHash, RememberMeSeries> series = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<DueSeries> seriesQueue = new ConcurrentSkipListSet<>();

  private InMemorySessionStore(int maxSessions) {
    this.maxSessions = maxSessions;
  }

  /**
   * Returns an unbounded store.
   *
   * @return an unbounded store
   */
  public static InMemorySessionStore create() {
    return new InMemorySessionStore(Integer.MAX_VALUE);
  }

  /**
   * Returns a store that holds at most {@code maxSessions} sessions; creating one more fails with a
   * {@link SessionStoreException} that says the store is full.
   *
   * @param maxSessions the most sessions the store holds; at least 1
   * @return a store that holds at most {@code maxSessions} sessions
   * @throws IllegalArgumentException if {@code maxSessions} is below 1
   */
  public static InMemorySessionStore withMaxSessions(int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1: " + maxSessions);
    }
    return new InMemorySessionStore(maxSessions);
  }

  /**
   * Returns the number of sessions held, including expired ones not yet purged.
   *
   * @return the number of sessions held, including expired ones not yet purged
   */
  public int size() {
    return size.get();
  }

  /** Returns {@link #size()}: the store's own count, no scan. */
  @Override
  public OptionalLong sessionCount() {
    return OptionalLong.of(size.get());
  }

  // ------------------------------------------------------------------ sessions

  @Override
  public boolean create(SessionRecord session, long principalGeneration) {
    Objects.requireNonNull(session, "session");
    String principal = session.principal();
    if (principal == null) {
      insert(session);
      return true;
    }
    boolean[] created = new boolean[1];
    principals.compute(principal, (key, entry) -> {
      Principal e = entry != null ? entry : new Principal();
      if (e.generation > principalGeneration) {
        return e.isDroppable() ? null : e;
      }
      insert(session);
      e.sessions.add(session.id());
      created[0] = true;
      return e;
    });
    return created[0];
  }

  private void insert(SessionRecord session) {
    if (size.incrementAndGet() > maxSessions) {
      size.decrementAndGet();
      throw new SessionStoreException("in-memory session store is full (maxSessions="
          + maxSessions + "); purge expired sessions or raise the limit");
    }
    Slot slot = new Slot(session.id(), session);
    if (!byId.add(slot, session.id())) {
      size.decrementAndGet();
      throw new SessionStoreException("a session with this id already exists");
    }
    if (!byToken.add(session.tokenHash(), slot)
        || session.previousToken() != null
            && !byToken.add(session.previousToken().hash(), slot)) {
      unmapTokens(slot.delete(), slot);
      byId.remove(slot);
      size.decrementAndGet();
      throw new SessionStoreException("a session with this token hash already exists");
    }
    sessionQueue.add(slot, session.expiresAt());
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    Slot slot = byToken.get(tokenHash);
    Slot.Version v = slot == null ? null : slot.version();
    return v != null && v.hasToken(tokenHash)
        ? Optional.of(slot.record(v, slot.lastAccess(), tokenHash)) : Optional.empty();
  }

  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    Slot slot = byToken.get(tokenHash);
    Slot.Version v = slot == null ? null : slot.version();
    if (v == null || !v.hasToken(tokenHash)) {
      return Optional.empty();
    }
    long last = slot.lastAccess();
    if (nowMillis >= v.expiresAt(last) || nowMillis <= last
        || nowMillis - last < minIntervalMillis || !v.resolvesBy(tokenHash, nowMillis)) {
      return Optional.of(slot.record(v, last, tokenHash));
    }
    return slot.touch(nowMillis) ? Optional.of(slot.record(v, nowMillis, tokenHash))
        : Optional.empty();
  }

  /**
   * The per-request path: returns the slot's current version, which is the session's view (the id
   * and the last access read from the slot), so that a request allocates nothing here.
   */
  @Override
  public SessionView findAndTouch(long w0, long w1, long w2, long w3, String routingTag,
      long nowMillis, long minIntervalMillis) {
    Slot slot = byToken.get(w0, w1, w2, w3);
    Slot.Version v = slot == null ? null : slot.version();
    if (v == null || !v.hasToken(w0, w1, w2, w3)) {
      return null;
    }
    long last = slot.lastAccess();
    if (nowMillis >= v.expiresAt(last) || nowMillis <= last
        || nowMillis - last < minIntervalMillis || !v.resolvesBy(w0, w1, w2, w3, nowMillis)) {
      return v;
    }
    return slot.touch(nowMillis) ? v : null;
  }

  /**
   * Logout in one step: one probe of the token index, then the slot's version is set to {@code
   * null} by a compare-and-set if the hash still resolves to it (a parallel rotation or change
   * makes it decide again on the new version). Returns the deleted version, which is the
   * session's view as it was: no record, id string or {@link TokenHash} is built, and the id
   * index is not searched by id (its entry is removed by the slot's packed id).
   */
  @Override
  public SessionView findAndDelete(long w0, long w1, long w2, long w3, String routingTag,
      long nowMillis) {
    Slot slot = byToken.get(w0, w1, w2, w3);
    if (slot == null) {
      return null;
    }
    while (true) {
      Slot.Version v = slot.version();
      if (v == null || !v.resolvesBy(w0, w1, w2, w3, nowMillis)) {
        return null;
      }
      if (slot.compareAndDelete(v)) {
        deleted(slot, v, null);
        return v;
      }
    }
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    Slot slot = byId.get(sessionId);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.record());
  }

  @Override
  public boolean touch(String sessionId, long nowMillis) {
    Slot slot = byId.get(sessionId);
    return slot != null && slot.touch(nowMillis);
  }

  @Override
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    Slot slot = byId.get(sessionId);
    if (slot == null) {
      return false;
    }
    Slot.Version stored = slot.version();
    if (stored == null || !stored.isCurrent(expectedTokenHash)) {
      return false;
    }
    String newPrincipal = replacement.principal();
    if (newPrincipal == null || newPrincipal.equals(stored.principal())) {
      Slot.Version before = swap(slot, expectedTokenHash, replacement);
      if (before != null && before.principal() != null && newPrincipal == null) {
        unindexSession(before.principal(), sessionId);
      }
      return before != null;
    }
    Slot.Version[] before = new Slot.Version[1];
    principals.compute(newPrincipal, (key, entry) -> {
      Principal e = entry != null ? entry : new Principal();
      if (e.generation <= principalGeneration) {
        before[0] = swap(slot, expectedTokenHash, replacement);
        if (before[0] != null) {
          e.sessions.add(sessionId);
        }
      }
      return e.isDroppable() ? null : e;
    });
    if (before[0] == null) {
      return false;
    }
    String oldPrincipal = before[0].principal();
    if (oldPrincipal != null) {
      unindexSession(oldPrincipal, sessionId);
    }
    return true;
  }

  /**
   * Replaces the slot's version by {@code replacement}'s (keeping creation time, idle timeout and
   * attributes; the last access becomes the later of both) if its token hash is {@code expected}; returns the
   * replaced version, or {@code null} if nothing changed.
   */
  private Slot.Version swap(Slot slot, TokenHash expected, SessionRecord replacement) {
    while (true) {
      Slot.Version version = slot.version();
      if (version == null || !version.isCurrent(expected)) {
        return null;
      }
      long expiresBefore = version.expiresAt(slot.lastAccess());
      Slot.Version merged = version.rotatedTo(replacement);
      if (!slot.compareAndSet(version, merged)) {
        continue;
      }
      slot.touch(replacement.lifetime().lastAccessedAt());
      byToken.add(replacement.tokenHash(), slot);
      if (version.previous != null && !merged.hasToken(version.previous.hash())) {
        byToken.remove(version.previous.hash(), slot);
      }
      if (!merged.hasToken(expected)) {
        byToken.remove(expected, slot);
      }
      long expiresAfter = merged.expiresAt(slot.lastAccess());
      if (expiresAfter < expiresBefore) {
        sessionQueue.add(slot, expiresAfter);
      }
      if (slot.version() == null) {
        // deleted concurrently, after our swap: make sure no token is left behind
        unmapTokens(merged, slot);
      }
      return version;
    }
  }

  @Override
  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    if (idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
    }
    Slot slot = byId.get(sessionId);
    Slot.Version before = change(slot, expectedPrincipal,
        v -> v.withIdleTimeout(idleTimeoutMillis));
    if (before == null) {
      return false;
    }
    long lastAccess = slot.lastAccess();
    long expiresAt = before.withIdleTimeout(idleTimeoutMillis).expiresAt(lastAccess);
    if (expiresAt < before.expiresAt(lastAccess)) {
      sessionQueue.add(slot, expiresAt); // the purge must see it earlier
    }
    return true;
  }

  @Override
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    return change(byId.get(sessionId), expectedPrincipal, v -> {
      Map<String, Object> attributes = new HashMap<>(v.attributes);
      attributes.keySet().removeAll(removals);
      attributes.putAll(puts);
      return v.withAttributes(attributes);
    }) != null;
  }

  /**
   * Replaces the slot's version by {@code change} of it (a compare-and-set, retried); returns the
   * version it replaced, or {@code null} if the session is gone or its principal is not {@code
   * expectedPrincipal} ({@code null}: anonymous).
   */
  private Slot.Version change(Slot slot, String expectedPrincipal,
      UnaryOperator<Slot.Version> change) {
    if (slot == null) {
      return null;
    }
    while (true) {
      Slot.Version version = slot.version();
      if (version == null || !Objects.equals(version.principal(), expectedPrincipal)) {
        return null;
      }
      if (slot.compareAndSet(version, change.apply(version))) {
        return version;
      }
    }
  }

  /**
   * Deletes the session. Its id leaves its principal's entry later, in a batch (the next purge,
   * or once {@value #UNLIST_BATCH} deletions are waiting): a logout then costs the two indexes of
   * the session and not the principal's entry as well, which is most of its cache misses. Until
   * then the entry lists an id whose slot is gone, which every reader of the entry skips ({@link
   * #findByPrincipal} and {@link #revokePrincipal} look each id up), and an entry is dropped only
   * once it lists nothing.
   */
  @Override
  public boolean delete(String sessionId) {
    Slot slot = byId.get(sessionId);
    Slot.Version version = slot == null ? null : slot.delete();
    if (version == null) {
      return false;
    }
    deleted(slot, version, sessionId);
    return true;
  }

  /**
   * After this caller set {@code slot}'s version to {@code null} (it was {@code version}): removes
   * its index entries and queues its id for removal from its principal's entry ({@code sessionId}
   * if the caller has it as a string, else {@code null}: the batch spells it out).
   */
  private void deleted(Slot slot, Slot.Version version, String sessionId) {
    unindex(slot, version);
    String principal = version.principal();
    if (principal != null) {
      unlisted.add(new DeletedId(principal, slot, sessionId));
      if (unlistedCount.incrementAndGet() >= UNLIST_BATCH) {
        unlistDeleted(UNLIST_BATCH);
      }
    }
  }

  /** Deletions whose id waits for removal from its principal's entry, at most. */
  static final int UNLIST_BATCH = 1024;

  /**
   * Removes up to {@code limit} ids of deleted sessions from their principals' entries (dropping
   * entries left empty). An id whose session exists again under the same principal stays: the
   * check runs inside the principal's {@code compute}, where every create and rotation of that
   * principal is serialized.
   */
  private void unlistDeleted(int limit) {
    DeletedId d;
    for (int i = 0; i < limit && (d = unlisted.poll()) != null; i++) {
      unlistedCount.decrementAndGet();
      String sessionId = d.sessionId != null ? d.sessionId : d.slot.id();
      principals.computeIfPresent(d.principal, (key, e) -> {
        Slot slot = byId.get(sessionId);
        Slot.Version now = slot == null ? null : slot.version();
        if (now == null || !key.equals(now.principal())) {
          e.sessions.remove(sessionId);
        }
        return e.isDroppable() ? null : e;
      });
    }
  }

  /** Returns how many principal entries the store keeps (for tests of their removal). */
  int principalEntries() {
    return principals.size();
  }

  /**
   * A deleted session still listed under its principal: its id, or {@code null} and its slot,
   * which spells the id out when the batch runs (a logout by token never builds the string).
   */
  private record DeletedId(String principal, Slot slot, String sessionId) {}

  /** Deletes the slot and its index entries, not its principal entry; null if already gone. */
  private Slot.Version remove(Slot slot) {
    Slot.Version version = slot.delete();
    if (version != null) {
      unindex(slot, version);
    }
    return version;
  }

  /** Removes the index entries of a slot whose version this caller set to {@code null}. */
  private void unindex(Slot slot, Slot.Version version) {
    unmapTokens(version, slot);
    byId.remove(slot);
    size.decrementAndGet();
  }

  private void unmapTokens(Slot.Version version, Slot slot) {
    byToken.remove(version.h0, slot); // no TokenHash built: the index needs the hash code only
    if (version.previous != null) {
      byToken.remove(version.previous.hash(), slot);
    }
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    List<SessionRecord> result = new ArrayList<>();
    for (String id : sessionIdsOf(principal)) {
      Slot slot = byId.get(id);
      SessionRecord record = slot == null ? null : slot.record();
      if (record != null && principal.equals(record.principal()) && !record.isExpired(nowMillis)) {
        result.add(record);
      }
    }
    return result;
  }

  private List<String> sessionIdsOf(String principal) {
    List<String> ids = new ArrayList<>();
    principals.computeIfPresent(principal, (key, e) -> {
      ids.addAll(e.sessions.toList());
      return e;
    });
    return ids;
  }

  @Override
  public long principalGeneration(String principal) {
    Principal e = principals.get(principal);
    return e == null ? 0L : e.generation;
  }

  @Override
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    List<String> deleted = new ArrayList<>();
    principals.compute(principal, (key, entry) -> {
      Principal e = entry != null ? entry : new Principal();
      e.generation = Math.max(e.generation, newGeneration);
      for (String id : e.sessions.toList()) {
        if (keepSessionIds.contains(id)) {
          continue;
        }
        e.sessions.remove(id);
        Slot slot = byId.get(id);
        if (slot != null && remove(slot) != null) {
          deleted.add(id);
        }
      }
      return e.isDroppable() ? null : e;
    });
    return deleted;
  }

  /**
   * Ends every session: each principal's entry in turn (raised by one and emptied in one step, as
   * {@link #revokePrincipal}; entries of principals with only series are raised too), then every
   * anonymous session.
   */
  @Override
  public long revokeAll() {
    long deleted = 0;
    for (String principal : List.copyOf(principals.keySet())) {
      long[] generation = new long[1];
      principals.computeIfPresent(principal, (key, e) -> {
        generation[0] = e.generation + 1;
        return e;
      });
      deleted += revokePrincipal(principal, Set.of(), generation[0]).size();
    }
    for (Slot slot : byId.liveSlots()) {
      Slot.Version version = slot.version();
      if (version != null && version.principal() == null && remove(slot) != null) {
        deleted++;
      }
    }
    return deleted;
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    List<ExpiredSession> purged = new ArrayList<>();
    List<Slot> later = new ArrayList<>();
    Slot[] due;
    while (purged.size() < limit && (due = sessionQueue.takeDue(nowMillis)) != null) {
      for (Slot slot : due) {
        SessionRecord record = slot.record();
        if (record == null) {
          continue;
        }
        if (purged.size() < limit && record.isExpired(nowMillis)) {
          if (delete(record.id())) {
            purged.add(ExpiredSession.of(record));
          }
        } else {
          later.add(slot);
        }
      }
    }
    for (Slot slot : later) {
      Slot.Version version = slot.version();
      if (version != null) {
        sessionQueue.add(slot, version.expiresAt(slot.lastAccess()));
      }
    }
    unlistDeleted(unlistedCount.get()); // the ids of this purge's and earlier deletions
    int live = size.get();
    sessionQueue.sweep(live, Math.max(UNLIST_BATCH, live >> 4));
    return purged;
  }

  /** Returns how many slot references the expiry queue holds, deleted ones included (for tests). */
  int queuedSlots() {
    return sessionQueue.queuedSlots();
  }

  private void unindexSession(String principal, String sessionId) {
    principals.computeIfPresent(principal, (key, e) -> {
      e.sessions.remove(sessionId);
      return e.isDroppable() ? null : e;
    });
  }

  // ------------------------------------------------------------------ remember-me

  @Override
  public void createSeries(RememberMeSeries value) {
    Objects.requireNonNull(value, "series");
    principals.compute(value.principal(), (key, entry) -> {
      if (series.putIfAbsent(value.selectorHash(), value) != null) {
        throw new SessionStoreException("a remember-me series with this selector already exists");
      }
      Principal e = entry != null ? entry : new Principal();
      e.series.add(value.selectorHash());
      return e;
    });
    seriesQueue.add(new DueSeries(value.expiresAt(), value.selectorHash()));
  }

  @Override
  public Optional<RememberMeSeries> findSeries(TokenHash selectorHash) {
    return Optional.ofNullable(series.get(selectorHash));
  }

  @Override
  public boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash) {
    boolean[] replaced = new boolean[1];
    series.computeIfPresent(replacement.selectorHash(), (key, current) -> {
      if (!current.validatorHash().equals(expectedValidatorHash)
          || !current.principal().equals(replacement.principal())) {
        return current;
      }
      replaced[0] = true;
      return replacement.withGenerationAtLeast(current.generation());
    });
    return replaced[0];
  }

  @Override
  public boolean deleteSeries(TokenHash selectorHash) {
    RememberMeSeries removed = series.remove(selectorHash);
    if (removed == null) {
      return false;
    }
    unindexSeries(removed.principal(), selectorHash);
    return true;
  }

  @Override
  public boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId) {
    RememberMeSeries[] removed = new RememberMeSeries[1];
    series.computeIfPresent(selectorHash, (key, current) -> {
      if (!Objects.equals(current.latestSessionId(), sessionId)) {
        return current;
      }
      removed[0] = current;
      return null;
    });
    if (removed[0] == null) {
      return false;
    }
    unindexSeries(removed[0].principal(), selectorHash);
    return true;
  }

  @Override
  public int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes,
      long keptGeneration) {
    int[] deleted = new int[1];
    principals.computeIfPresent(principal, (key, e) -> {
      for (TokenHash selectorHash : e.series.toList()) {
        if (keepSelectorHashes.contains(selectorHash)) {
          series.computeIfPresent(selectorHash,
              (k, current) -> current.withGenerationAtLeast(keptGeneration));
        } else {
          e.series.remove(selectorHash);
          if (series.remove(selectorHash) != null) {
            deleted[0]++;
          }
        }
      }
      return e.isDroppable() ? null : e;
    });
    return deleted[0];
  }

  @Override
  public long revokeAllSeries() {
    long deleted = 0;
    for (TokenHash selectorHash : List.copyOf(series.keySet())) {
      if (deleteSeries(selectorHash)) {
        deleted++;
      }
    }
    return deleted;
  }

  @Override
  public int purgeExpiredSeries(long nowMillis, int limit) {
    int purged = 0;
    while (purged < limit) {
      DueSeries head = seriesQueue.pollFirst();
      if (head == null) {
        break;
      }
      if (head.at > nowMillis) {
        seriesQueue.add(head);
        break;
      }
      RememberMeSeries value = series.get(head.selectorHash);
      if (value != null && value.isExpired(nowMillis) && deleteSeries(head.selectorHash)) {
        purged++;
      }
    }
    return purged;
  }

  private void unindexSeries(String principal, TokenHash selectorHash) {
    principals.computeIfPresent(principal, (key, e) -> {
      e.series.remove(selectorHash);
      return e.isDroppable() ? null : e;
    });
  }

  @Override
  public String toString() {
    return "InMemorySessionStore[sessions=" + size.get() + ", series=" + series.size() + "]";
  }

  /**
   * What the store knows of one principal; changed only inside {@code principals.compute} for its
   * key, read elsewhere only through {@link #generation}.
   */
  private static final class Principal {
    volatile long generation;
    final SmallSet<String> sessions = new SmallSet<>();
    final SmallSet<TokenHash> series = new SmallSet<>();

    /** An entry that holds nothing and was never revoked can go. */
    boolean isDroppable() {
      return generation == 0 && sessions.isEmpty() && series.isEmpty();
    }
  }

  /** An entry of the series expiry queue, ordered by due time, then selector hash. */
  private record DueSeries(long at, TokenHash selectorHash) implements Comparable<DueSeries> {
    @Override
    public int compareTo(DueSeries other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : selectorHash.compareTo(other.selectorHash);
    }
  }
}
