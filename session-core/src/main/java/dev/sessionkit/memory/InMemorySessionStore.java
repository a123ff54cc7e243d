package dev.sessionkit.memory;

import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded default {@link SessionStore}: sessions live in this JVM's heap. Fast, and right for
 * one app server; sessions do not survive a restart (use the JDBC or Redis store for that).
 *
 * <h2>Design</h2>
 *
 * <p>Each session lives in a {@link Slot}, an atomic reference to its immutable {@link
 * SessionRecord}; two maps point at the slot, by token hash and by public id. Every change is a
 * compare-and-set of the slot's record, so attribute changes of different names merge instead of
 * overwriting each other. Deleting a session sets its slot to {@code null} for good, which is why a
 * touch or update that races with a delete can never bring the session back.
 *
 * <p>Touches, the one write of the per-request path, do not replace the record: they raise the
 * slot's own last-access field in place (a compare-and-set that only moves it forward), and reads
 * return the record with the later of both times. A touch thus allocates nothing and leaves no
 * young object referenced from the long-lived slot, which would make every young collection scan
 * the slots (at 10^5 sessions that cost more than the rest of the request). The per-request
 * {@link #findByTokenHashAndTouch} touches the slot it has just found, with one map lookup.
 *
 * <p>A principal index (principal to session ids) makes force logout cost O(sessions of the
 * principal). Entries are added before a session becomes visible under its principal and removed
 * after it ends; readers check every entry against the slot, so the index never lists a session that
 * is gone.
 *
 * <p>Expiry: expired sessions are removed lazily when a lookup meets them (by the manager), and by
 * {@link #purgeExpired}, which walks an ordered queue of (due time, id) entries from the front. An
 * entry's due time is at most the session's real expiry (expiry only moves later), so the walk
 * stops at the first entry that is not due: a purge costs O(due entries), not a scan. A due entry of
 * a session that was touched since is re-queued at its new expiry. Remember-me series expire the
 * same way.
 */
public final class InMemorySessionStore implements SessionStore {

  private final int maxSessions;
  private final ConcurrentHashMap<TokenHash, Slot> byToken = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Slot> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> byPrincipal = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Due> sessionQueue = new ConcurrentSkipListSet<>();

  private final ConcurrentHashMap<String, RememberMeSeries> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> seriesByPrincipal = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Due> seriesQueue = new ConcurrentSkipListSet<>();

  private InMemorySessionStore(int maxSessions) {
    this.maxSessions = maxSessions;
  }

  /** Returns an unbounded store. */
  public static InMemorySessionStore create() {
    return new InMemorySessionStore(Integer.MAX_VALUE);
  }

  /**
   * Returns a store that holds at most {@code maxSessions} sessions; creating one more fails with a
   * {@link SessionStoreException} that says the store is full.
   */
  public static InMemorySessionStore withMaxSessions(int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1: " + maxSessions);
    }
    return new InMemorySessionStore(maxSessions);
  }

  /** Returns the number of sessions held, including expired ones not yet purged. */
  public int size() {
    return byId.size();
  }

  // ------------------------------------------------------------------ sessions

  @Override
  public void create(SessionRecord session) {
    Objects.requireNonNull(session, "session");
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
    if (session.principal() != null) {
      index(byPrincipal, session.principal(), session.id());
    }
    sessionQueue.add(new Due(session.expiresAt(), session.id()));
  }

  @Override
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    Slot slot = byToken.get(tokenHash);
    if (slot == null) {
      return Optional.empty();
    }
    SessionRecord record = slot.current();
    return record != null && record.tokenHash().equals(tokenHash)
        ? Optional.of(record) : Optional.empty();
  }

  @Override
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long now,
      long minInterval) {
    Slot slot = byToken.get(tokenHash);
    SessionRecord record = slot == null ? null : slot.current();
    if (record == null || !record.tokenHash().equals(tokenHash)) {
      return Optional.empty();
    }
    long last = record.lastAccessedAt();
    if (record.isExpired(now) || now <= last || now - last < minInterval) {
      return Optional.of(record);
    }
    return slot.touch(now) ? Optional.of(record.withLastAccessedAt(now)) : Optional.empty();
  }

  @Override
  public Optional<SessionRecord> findById(String sessionId) {
    Slot slot = byId.get(sessionId);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.current());
  }

  @Override
  public boolean touch(String sessionId, long lastAccessedAt) {
    Slot slot = byId.get(sessionId);
    return slot != null && slot.touch(lastAccessedAt);
  }

  @Override
  public boolean replaceMetadata(String sessionId, TokenHash expectedTokenHash,
      SessionRecord replacement) {
    Slot slot = byId.get(sessionId);
    if (slot == null) {
      return false;
    }
    if (replacement.principal() != null) {
      // Indexed first, so that a concurrent force logout of this principal sees it; readers
      // check the record, so the entry is harmless if the swap below fails.
      index(byPrincipal, replacement.principal(), sessionId);
    }
    while (true) {
      SessionRecord record = slot.get();
      if (record == null || !record.tokenHash().equals(expectedTokenHash)) {
        if (replacement.principal() != null && !isLiveUnder(slot, replacement.principal())) {
          unindex(byPrincipal, replacement.principal(), sessionId);
        }
        return false;
      }
      SessionRecord merged = new SessionRecord(record.id(), replacement.tokenHash(),
          replacement.principal(), record.createdAt(), replacement.authenticatedAt(),
          replacement.authenticationMethod(),
          Math.max(slot.lastAccessedAt(record), replacement.lastAccessedAt()),
          replacement.idleTimeout(), replacement.absoluteDeadline(),
          replacement.rememberMeSelector(), replacement.clientAddress(), replacement.userAgent(),
          record.attributes());
      if (slot.compareAndSet(record, merged)) {
        if (!record.tokenHash().equals(merged.tokenHash())) {
          byToken.put(merged.tokenHash(), slot);
          byToken.remove(record.tokenHash(), slot);
        }
        if (record.principal() != null && !record.principal().equals(merged.principal())) {
          unindex(byPrincipal, record.principal(), sessionId);
        }
        if (merged.expiresAt() < record.expiresAt()) {
          sessionQueue.add(new Due(merged.expiresAt(), sessionId));
        }
        if (slot.get() == null) {
          // deleted concurrently, after our swap: make sure the new token is not left behind
          byToken.remove(merged.tokenHash(), slot);
        }
        return true;
      }
    }
  }

  @Override
  public boolean updateAttributes(String sessionId, Map<String, Object> puts,
      Set<String> removals) {
    Slot slot = byId.get(sessionId);
    if (slot == null) {
      return false;
    }
    while (true) {
      SessionRecord record = slot.get();
      if (record == null) {
        return false;
      }
      Map<String, Object> attributes = new HashMap<>(record.attributes());
      attributes.keySet().removeAll(removals);
      attributes.putAll(puts);
      if (slot.compareAndSet(record, record.withAttributes(attributes))) {
        return true;
      }
    }
  }

  @Override
  public boolean delete(String sessionId) {
    Slot slot = byId.get(sessionId);
    if (slot == null) {
      return false;
    }
    SessionRecord record = slot.getAndSet(null);
    byId.remove(sessionId, slot);
    if (record == null) {
      return false;
    }
    byToken.remove(record.tokenHash(), slot);
    if (record.principal() != null) {
      unindex(byPrincipal, record.principal(), sessionId);
    }
    return true;
  }

  @Override
  public List<SessionRecord> findByPrincipal(String principal, long now) {
    Set<String> ids = byPrincipal.get(principal);
    if (ids == null) {
      return List.of();
    }
    List<SessionRecord> result = new ArrayList<>(ids.size());
    for (String id : ids) {
      Slot slot = byId.get(id);
      SessionRecord record = slot == null ? null : slot.current();
      if (record == null) {
        unindex(byPrincipal, principal, id);
      } else if (principal.equals(record.principal()) && !record.isExpired(now)) {
        result.add(record);
      }
    }
    return result;
  }

  @Override
  public List<String> deleteByPrincipal(String principal, Set<String> keepSessionIds) {
    Set<String> ids = byPrincipal.get(principal);
    if (ids == null) {
      return List.of();
    }
    List<String> deleted = new ArrayList<>();
    for (String id : ids) {
      if (keepSessionIds.contains(id)) {
        continue;
      }
      Slot slot = byId.get(id);
      SessionRecord record = slot == null ? null : slot.get();
      if (record == null) {
        unindex(byPrincipal, principal, id);
      } else if (principal.equals(record.principal()) && delete(id)) {
        deleted.add(id);
      }
    }
    return deleted;
  }

  @Override
  public List<ExpiredSession> purgeExpired(long now, int limit) {
    List<ExpiredSession> purged = new ArrayList<>();
    while (purged.size() < limit) {
      Due head = sessionQueue.pollFirst();
      if (head == null) {
        break;
      }
      if (head.at > now) {
        sessionQueue.add(head);
        break;
      }
      Slot slot = byId.get(head.key);
      SessionRecord record = slot == null ? null : slot.current();
      if (record == null) {
        continue;
      }
      if (record.isExpired(now)) {
        if (delete(head.key)) {
          purged.add(ExpiredSession.of(record));
        }
      } else {
        sessionQueue.add(new Due(record.expiresAt(), head.key));
      }
    }
    return purged;
  }

  // ------------------------------------------------------------------ remember-me

  @Override
  public void createSeries(RememberMeSeries value) {
    Objects.requireNonNull(value, "series");
    index(seriesByPrincipal, value.principal(), value.selector());
    if (series.putIfAbsent(value.selector(), value) != null) {
      throw new SessionStoreException("a remember-me series with this selector already exists");
    }
    seriesQueue.add(new Due(value.expiresAt(), value.selector()));
  }

  @Override
  public Optional<RememberMeSeries> findSeries(String selector) {
    return Optional.ofNullable(series.get(selector));
  }

  @Override
  public boolean rotateSeries(String selector, TokenHash expectedValidatorHash,
      TokenHash newValidatorHash, long graceUntil, long now) {
    boolean[] rotated = new boolean[1];
    series.computeIfPresent(selector, (key, current) -> {
      if (!current.validatorHash().equals(expectedValidatorHash)) {
        return current;
      }
      rotated[0] = true;
      return current.rotated(newValidatorHash, graceUntil, now);
    });
    return rotated[0];
  }

  @Override
  public boolean deleteSeries(String selector) {
    RememberMeSeries removed = series.remove(selector);
    if (removed == null) {
      return false;
    }
    unindex(seriesByPrincipal, removed.principal(), selector);
    return true;
  }

  @Override
  public int deleteSeriesByPrincipal(String principal, Set<String> keepSelectors) {
    Set<String> selectors = seriesByPrincipal.get(principal);
    if (selectors == null) {
      return 0;
    }
    int deleted = 0;
    for (String selector : selectors) {
      if (keepSelectors.contains(selector)) {
        continue;
      }
      if (deleteSeries(selector)) {
        deleted++;
      } else {
        unindex(seriesByPrincipal, principal, selector);
      }
    }
    return deleted;
  }

  @Override
  public int purgeExpiredSeries(long now, int limit) {
    int purged = 0;
    while (purged < limit) {
      Due head = seriesQueue.pollFirst();
      if (head == null) {
        break;
      }
      if (head.at > now) {
        seriesQueue.add(head);
        break;
      }
      RememberMeSeries value = series.get(head.key);
      if (value != null && value.isExpired(now) && deleteSeries(head.key)) {
        purged++;
      }
    }
    return purged;
  }

  // ------------------------------------------------------------------ helpers

  private static void index(ConcurrentHashMap<String, Set<String>> index, String key, String id) {
    index.compute(key, (k, ids) -> {
      Set<String> set = ids != null ? ids : ConcurrentHashMap.newKeySet(4);
      set.add(id);
      return set;
    });
  }

  private static void unindex(ConcurrentHashMap<String, Set<String>> index, String key, String id) {
    index.computeIfPresent(key, (k, ids) -> {
      ids.remove(id);
      return ids.isEmpty() ? null : ids;
    });
  }

  private static boolean isLiveUnder(Slot slot, String principal) {
    SessionRecord record = slot.get();
    return record != null && principal.equals(record.principal());
  }

  @Override
  public String toString() {
    return "InMemorySessionStore[sessions=" + byId.size() + "]";
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
      this.lastAccess = record.lastAccessedAt();
    }

    /** Returns the record with the latest recorded access, or {@code null} once deleted. */
    SessionRecord current() {
      SessionRecord record = get();
      if (record == null) {
        return null;
      }
      long last = lastAccess;
      return last > record.lastAccessedAt() ? record.withLastAccessedAt(last) : record;
    }

    /** Returns the later of the record's last access and the one recorded in place. */
    long lastAccessedAt(SessionRecord record) {
      return Math.max(record.lastAccessedAt(), lastAccess);
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

  /** An entry of an expiry queue, ordered by due time, then key. */
  private record Due(long at, String key) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : key.compareTo(other.key);
    }
  }
}
