// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The embedded default store of sessions and remember-me series: both live in this JVM's heap.
 * Fast, and right for one app server; nothing survives a restart (use the JDBC or Redis store for
 * that). Implements both {@link SessionStore} and {@link RememberMeStore}.
 *
 * <h2>Design</h2>
 *
 * <p>Each session lives in a {@link Slot}, an atomic reference to its immutable {@link
 * SessionRecord}; two maps point at the slot, by token hash (the current one and, until the next
 * rotation, the previous one) and by public id. Every change is a compare-and-set of the slot's
 * record, so attribute changes of different names merge instead of overwriting each other.
 * Deleting a session sets its slot to {@code null} for good, which is why a touch or update that
 * races with a delete can never bring the session back.
 *
 * <p>Touches, the one write of the per-request path, do not replace the record: they raise the
 * slot's own last-access field in place (a compare-and-set that only moves it forward), and reads
 * return the record with the later of both times. A touch thus allocates nothing and leaves no
 * young object referenced from the long-lived slot.
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
 * {@link #purgeExpired}, which walks an ordered queue of (due time, id) entries from the front. An
 * entry's due time is at most the session's real expiry (expiry only moves later, and a rotation
 * or an idle-timeout change that moves it earlier queues a new entry), so the walk stops at the first entry that is not due:
 * a purge costs O(due entries), not a scan. Remember-me series expire the same way.
 */
public final class InMemorySessionStore implements SessionStore, RememberMeStore {

  private final int maxSessions;
  private final ConcurrentHashMap<TokenHash, Slot> byToken = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Slot> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Principal> principals = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Due> sessionQueue = new ConcurrentSkipListSet<>();

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
    return byId.size();
  }

  /** Returns {@link #size()}: the map's own count, no scan. */
  @Override
  public OptionalLong sessionCount() {
    return OptionalLong.of(byId.size());
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
    if (maxSessions != Integer.MAX_VALUE && byId.mappingCount() >= maxSessions) {
      throw new SessionStoreException("in-memory session store is full (maxSessions="
          + maxSessions + "); purge expired sessions or raise the limit");
    }
    Slot slot = new Slot(session);
    if (byId.putIfAbsent(session.id(), slot) != null) {
      throw new SessionStoreException("a session with this id already exists");
    }
    if (byToken.putIfAbsent(session.tokenHash(), slot) != null) {
      byId.remove(session.id(), slot);
      throw new SessionStoreException("a session with this token hash already exists");
    }
    sessionQueue.add(new Due(session.expiresAt(), session.id()));
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    Slot slot = byToken.get(tokenHash);
    SessionRecord record = slot == null ? null : slot.current();
    return record != null && record.hasToken(tokenHash) ? Optional.of(record) : Optional.empty();
  }

  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    Slot slot = byToken.get(tokenHash);
    SessionRecord record = slot == null ? null : slot.current();
    if (record == null || !record.hasToken(tokenHash)) {
      return Optional.empty();
    }
    long last = record.lifetime().lastAccessedAt();
    if (record.isExpired(nowMillis) || nowMillis <= last || nowMillis - last < minIntervalMillis
        || !record.resolvesBy(tokenHash, nowMillis)) {
      return Optional.of(record);
    }
    return slot.touch(nowMillis) ? Optional.of(record.accessed(nowMillis)) : Optional.empty();
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    Slot slot = byId.get(sessionId);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.current());
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
    SessionRecord stored = slot.get();
    if (stored == null || !stored.tokenHash().equals(expectedTokenHash)) {
      return false;
    }
    String newPrincipal = replacement.principal();
    if (newPrincipal == null || newPrincipal.equals(stored.principal())) {
      SessionRecord before = swap(slot, expectedTokenHash, replacement);
      if (before != null && before.principal() != null && newPrincipal == null) {
        unindexSession(before.principal(), sessionId);
      }
      return before != null;
    }
    SessionRecord[] before = new SessionRecord[1];
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
   * Replaces the slot's record by {@code replacement} (keeping id, creation time, idle timeout,
   * attributes and the later last access) if its token hash is {@code expected}; returns the replaced record, or
   * {@code null} if nothing changed.
   */
  private SessionRecord swap(Slot slot, TokenHash expected, SessionRecord replacement) {
    while (true) {
      SessionRecord record = slot.get();
      if (record == null || !record.tokenHash().equals(expected)) {
        return null;
      }
      SessionRecord merged = new SessionRecord(record.id(), replacement.tokenHash(),
          replacement.previousToken(), replacement.authentication(),
          new Lifetime(record.lifetime().createdAt(),
              Math.max(slot.lastAccessedAt(record), replacement.lifetime().lastAccessedAt()),
              record.lifetime().idleTimeout(), replacement.lifetime().absoluteDeadline()),
          replacement.client(), record.attributes());
      if (!slot.compareAndSet(record, merged)) {
        continue;
      }
      byToken.put(merged.tokenHash(), slot);
      if (record.previousToken() != null && !merged.hasToken(record.previousToken().hash())) {
        byToken.remove(record.previousToken().hash(), slot);
      }
      if (!merged.hasToken(record.tokenHash())) {
        byToken.remove(record.tokenHash(), slot);
      }
      if (merged.expiresAt() < record.expiresAt()) {
        sessionQueue.add(new Due(merged.expiresAt(), record.id()));
      }
      if (slot.get() == null) {
        // deleted concurrently, after our swap: make sure no token is left behind
        unmapTokens(merged, slot);
      }
      return record;
    }
  }

  @Override
  public boolean setIdleTimeout(String sessionId, long idleTimeoutMillis) {
    if (idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
    }
    SessionRecord before = change(sessionId,
        r -> r.withLifetime(r.lifetime().withIdleTimeout(idleTimeoutMillis)));
    if (before == null) {
      return false;
    }
    long expiresAt = before.lifetime().withIdleTimeout(idleTimeoutMillis).expiresAt();
    if (expiresAt < before.expiresAt()) {
      sessionQueue.add(new Due(expiresAt, sessionId)); // the purge must see it earlier
    }
    return true;
  }

  @Override
  public boolean updateAttributes(String sessionId, Map<String, Object> puts,
      Set<String> removals) {
    return change(sessionId, r -> {
      Map<String, Object> attributes = new HashMap<>(r.attributes());
      attributes.keySet().removeAll(removals);
      attributes.putAll(puts);
      return r.withAttributes(attributes);
    }) != null;
  }

  /**
   * Replaces the session's record by {@code change} of it (a compare-and-set, retried); returns the
   * record it replaced, or {@code null} if the session is gone.
   */
  private SessionRecord change(String sessionId, UnaryOperator<SessionRecord> change) {
    Slot slot = byId.get(sessionId);
    if (slot == null) {
      return null;
    }
    while (true) {
      SessionRecord record = slot.get();
      if (record == null) {
        return null;
      }
      if (slot.compareAndSet(record, change.apply(record))) {
        return record;
      }
    }
  }

  @Override
  public boolean delete(String sessionId) {
    SessionRecord record = remove(sessionId);
    if (record == null) {
      return false;
    }
    if (record.principal() != null) {
      unindexSession(record.principal(), sessionId);
    }
    return true;
  }

  /** Removes the session's slot and token entries, not its principal entry; null if gone. */
  private SessionRecord remove(String sessionId) {
    Slot slot = byId.get(sessionId);
    if (slot == null) {
      return null;
    }
    SessionRecord record = slot.getAndSet(null);
    byId.remove(sessionId, slot);
    if (record != null) {
      unmapTokens(record, slot);
    }
    return record;
  }

  private void unmapTokens(SessionRecord record, Slot slot) {
    byToken.remove(record.tokenHash(), slot);
    if (record.previousToken() != null) {
      byToken.remove(record.previousToken().hash(), slot);
    }
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    List<SessionRecord> result = new ArrayList<>();
    for (String id : sessionIdsOf(principal)) {
      Slot slot = byId.get(id);
      SessionRecord record = slot == null ? null : slot.current();
      if (record != null && principal.equals(record.principal()) && !record.isExpired(nowMillis)) {
        result.add(record);
      }
    }
    return result;
  }

  private List<String> sessionIdsOf(String principal) {
    List<String> ids = new ArrayList<>();
    principals.computeIfPresent(principal, (key, e) -> {
      ids.addAll(e.sessions);
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
      for (String id : List.copyOf(e.sessions)) {
        if (keepSessionIds.contains(id)) {
          continue;
        }
        e.sessions.remove(id);
        if (remove(id) != null) {
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
    for (Map.Entry<String, Slot> entry : List.copyOf(byId.entrySet())) {
      SessionRecord record = entry.getValue().current();
      if (record != null && record.principal() == null && remove(entry.getKey()) != null) {
        deleted++;
      }
    }
    return deleted;
  }

  @Override
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    List<ExpiredSession> purged = new ArrayList<>();
    while (purged.size() < limit) {
      Due head = sessionQueue.pollFirst();
      if (head == null) {
        break;
      }
      if (head.at > nowMillis) {
        sessionQueue.add(head);
        break;
      }
      Slot slot = byId.get(head.key);
      SessionRecord record = slot == null ? null : slot.current();
      if (record == null) {
        continue;
      }
      if (record.isExpired(nowMillis)) {
        if (delete(head.key)) {
          purged.add(ExpiredSession.of(record));
        }
      } else {
        sessionQueue.add(new Due(record.expiresAt(), head.key));
      }
    }
    return purged;
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
      for (TokenHash selectorHash : List.copyOf(e.series)) {
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
    return "InMemorySessionStore[sessions=" + byId.size() + ", series=" + series.size() + "]";
  }

  /**
   * What the store knows of one principal; changed only inside {@code principals.compute} for its
   * key, read elsewhere only through {@link #generation}.
   */
  private static final class Principal {
    volatile long generation;
    final Set<String> sessions = new HashSet<>(4);
    final Set<TokenHash> series = new HashSet<>(2);

    /** An entry that holds nothing and was never revoked can go. */
    boolean isDroppable() {
      return generation == 0 && sessions.isEmpty() && series.isEmpty();
    }
  }

  /**
   * The mutable cell of one session: its record ({@code null} once deleted, for good) and the
   * latest recorded access, which touches raise in place and which may be later than the record's.
   */
  private static final class Slot extends AtomicReference<SessionRecord> {
    private static final long serialVersionUID = 1L;
    private static final VarHandle LAST_ACCESS;

    static {
      try {
        LAST_ACCESS = MethodHandles.lookup().findVarHandle(Slot.class, "lastAccess", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long lastAccess;

    Slot(SessionRecord record) {
      super(record);
      this.lastAccess = record.lifetime().lastAccessedAt();
    }

    /** Returns the record with the latest recorded access, or {@code null} once deleted. */
    SessionRecord current() {
      SessionRecord record = get();
      return record == null ? null : record.accessed(lastAccess);
    }

    /** Returns the later of the record's last access and the one recorded in place. */
    long lastAccessedAt(SessionRecord record) {
      return Math.max(record.lifetime().lastAccessedAt(), lastAccess);
    }

    /** Records an access at {@code time} unless a later one is recorded; false once deleted. */
    boolean touch(long time) {
      if (get() == null) {
        return false;
      }
      long last = lastAccess;
      while (last < time && !LAST_ACCESS.compareAndSet(this, last, time)) {
        last = lastAccess;
      }
      return get() != null;
    }
  }

  /** An entry of the session expiry queue, ordered by due time, then id. */
  private record Due(long at, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : key.compareTo(other.key);
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
