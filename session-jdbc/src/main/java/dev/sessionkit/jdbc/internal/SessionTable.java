// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session operations: the sessions table and its per-attribute rows.
 *
 * <p>Attributes live one per row, keyed by (session id, name), and are written with an upsert or
 * a delete of just the names that change: two app servers that change different attributes of one
 * session at once touch different rows and never overwrite each other. The rows reference their
 * session with {@code ON DELETE CASCADE}, so one DELETE of a session removes its attributes too,
 * and an attribute can never be written for a session that is gone (the foreign key refuses it).
 *
 * <p>Creating or rotating a session that newly belongs to a principal, and revoking a principal,
 * go through the {@link PrincipalFence}; everything else touches only the session's own rows.
 */
public final class SessionTable {

  private static final Logger LOG =
      LoggerFactory.getLogger("dev.sessionkit.jdbc.JdbcSessionStore");

  private final JdbcExecutor executor;
  private final Sql sql;
  private final PrincipalFence fence;
  private final AttributeCodec codec;
  private final int purgeBatchSize;

  public SessionTable(JdbcExecutor executor, Sql sql, AttributeCodec codec, int purgeBatchSize) {
    this.executor = executor;
    this.sql = sql;
    this.fence = new PrincipalFence(executor, sql);
    this.codec = codec;
    this.purgeBatchSize = purgeBatchSize;
  }

  /**
   * Inserts the session and its attributes; an authenticated one only if the fence admits it.
   * An anonymous session without attributes is one statement.
   */
  public boolean create(SessionRecord session, long principalGeneration) {
    Objects.requireNonNull(session, "session");
    Map<String, byte[]> attributes = encode(session.attributes());
    String principal = session.principal();
    if (principal == null) {
      JdbcExecutor.Work<Boolean> work = c -> insert(c, session, attributes);
      return attributes.isEmpty()
          ? executor.statement("create", work) : executor.transaction("create", work);
    }
    return executor.transaction("create", c ->
        fence.admits(c, principal, principalGeneration) && insert(c, session, attributes));
  }

  private boolean insert(Connection c, SessionRecord session, Map<String, byte[]> attributes)
      throws SQLException {
    try {
      try (PreparedStatement ps = c.prepareStatement(sql.insertSession)) {
        SessionRows.bindInsert(ps, session);
        ps.executeUpdate();
      }
      if (!attributes.isEmpty()) {
        writeAttributes(c, sql.insertAttribute, session.id(), attributes);
      }
      return true;
    } catch (SQLException e) {
      if (JdbcExecutor.isConstraintViolation(e)) {
        throw new SessionStoreException("a session with this id or token hash already exists");
      }
      throw e;
    }
  }

  /**
   * Finds the session whose current or previous token hash is {@code tokenHash}; should two match
   * (one current, one previous), the current one wins.
   */
  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    byte[] hash = tokenHash.toBytes();
    List<SessionRecord> found = find("findByTokenHash", sql.sessionByTokenHash, ps -> {
      ps.setBytes(1, hash);
      ps.setBytes(2, hash);
    });
    return current(found, tokenHash);
  }

  /** Returns the record whose current token hash is {@code tokenHash}, else the first found. */
  private static Optional<SessionRecord> current(List<SessionRecord> found, TokenHash tokenHash) {
    for (SessionRecord r : found) {
      if (r.tokenHash().equals(tokenHash)) {
        return Optional.of(r);
      }
    }
    return single(found);
  }

  /** Returns whether the dialect finds and touches a session in one statement. */
  public boolean findsAndTouchesInOneStatement() {
    return sql.findAndTouch != null;
  }

  /**
   * The per-request path in one statement (PostgreSQL, see {@link #findsAndTouchesInOneStatement}):
   * finds the session as {@link #findByTokenHash} does and touches it as {@code
   * SessionStore.findByTokenHashAndTouch} says, in one round trip.
   */
  public Optional<SessionRecord> findByTokenHashAndTouch(TokenHash tokenHash, long nowMillis,
      long minIntervalMillis) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    byte[] hash = tokenHash.toBytes();
    long dueBefore = nowMillis - Math.max(0, minIntervalMillis);
    List<SessionRecord> found = find("findByTokenHashAndTouch", sql.findAndTouch, ps -> {
      ps.setLong(1, nowMillis);
      ps.setLong(2, nowMillis);
      ps.setLong(3, nowMillis);
      ps.setBytes(4, hash);
      ps.setBytes(5, hash);
      ps.setLong(6, nowMillis);
      ps.setLong(7, nowMillis);
      ps.setLong(8, dueBefore);
      ps.setBytes(9, hash);
      ps.setBytes(10, hash);
      ps.setLong(11, nowMillis);
      ps.setBytes(12, hash);
      ps.setBytes(13, hash);
    });
    return current(found, tokenHash);
  }

  /** Returns the principal's revocation generation (0 if it was never revoked). */
  public long principalGeneration(String principal) {
    return fence.generation(principal);
  }

  public Optional<SessionRecord> findById(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    return single(find("findById", sql.sessionById, ps -> ps.setString(1, sessionId)));
  }

  public List<SessionRecord> findByPrincipal(String principal, long nowMillis) {
    Objects.requireNonNull(principal, "principal");
    return find("findByPrincipal", sql.sessionsByPrincipal, ps -> {
      ps.setString(1, principal);
      ps.setLong(2, nowMillis);
    });
  }

  private static Optional<SessionRecord> single(List<SessionRecord> found) {
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Runs a session query; removes (and leaves out) the sessions that cannot be read back. */
  private List<SessionRecord> find(String operation, String query, Binder binder) {
    SessionRows.Found found = executor.statement(operation, c -> {
      try (PreparedStatement ps = c.prepareStatement(query)) {
        binder.bind(ps);
        try (ResultSet rows = ps.executeQuery()) {
          return SessionRows.read(rows, codec);
        }
      }
    });
    for (SessionRows.Unreadable u : found.unreadable()) {
      delete(u.sessionId());
      LOG.warn("Removed session {}: it cannot be read back ({})",
          u.sessionId(), u.reason());
    }
    return found.sessions();
  }

  public boolean touch(String sessionId, long nowMillis) {
    Objects.requireNonNull(sessionId, "sessionId");
    return executor.statement("touch", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.touch)) {
        ps.setLong(1, nowMillis);
        ps.setLong(2, nowMillis);
        ps.setLong(3, nowMillis);
        ps.setString(4, sessionId);
        ps.setLong(5, nowMillis);
        if (ps.executeUpdate() > 0) {
          return true;
        }
      }
      // Nothing updated: the session is gone, or was accessed at this time or later.
      return exists(c, sessionId);
    });
  }

  public boolean setIdleTimeout(String sessionId, String expectedPrincipal,
      long idleTimeoutMillis) {
    Objects.requireNonNull(sessionId, "sessionId");
    if (idleTimeoutMillis <= 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be positive: " + idleTimeoutMillis);
    }
    return executor.statement("setIdleTimeout", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          sql.setIdleTimeout.forPrincipal(expectedPrincipal))) {
        ps.setLong(1, idleTimeoutMillis);
        ps.setLong(2, idleTimeoutMillis);
        ps.setLong(3, idleTimeoutMillis);
        ps.setString(4, sessionId);
        if (expectedPrincipal != null) {
          ps.setString(5, expectedPrincipal);
        }
        if (ps.executeUpdate() > 0) {
          return true;
        }
      }
      // Nothing reported: the session is gone or signed in since, or a driver counts only
      // changed rows.
      return existsAsSeen(c, sessionId, expectedPrincipal, sql.sessionExistsAsSeen);
    });
  }

  /**
   * Compare-and-set of the token on the stored row. A rotation that may make the session newly
   * belong to a principal (an authenticated replacement with a real generation) locks the
   * principal's row first, and the UPDATE checks the stored principal and the fence's answer in
   * its WHERE clause: a renewal of the principal's own session passes whatever the fence said.
   */
  public boolean rotate(String sessionId, TokenHash expectedTokenHash, SessionRecord replacement,
      long principalGeneration) {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(expectedTokenHash, "expectedTokenHash");
    Objects.requireNonNull(replacement, "replacement");
    String principal = replacement.principal();
    if (principal == null || principalGeneration == Long.MAX_VALUE) {
      // Nothing to fence: an anonymous result, or a caller that admits any generation.
      return executor.statement("rotate", c -> update(c, sql.rotate, sessionId,
          expectedTokenHash, replacement, null, false));
    }
    return executor.transaction("rotate", c -> {
      boolean admitted = fence.admits(c, principal, principalGeneration);
      return update(c, sql.rotateFenced, sessionId, expectedTokenHash, replacement, principal,
          admitted);
    });
  }

  private boolean update(Connection c, String statement, String sessionId,
      TokenHash expectedTokenHash, SessionRecord replacement, String principal, boolean admitted)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int next = SessionRows.bindRotate(ps, sessionId, expectedTokenHash, replacement);
      if (principal != null) {
        ps.setString(next, principal);
        ps.setInt(next + 1, admitted ? 1 : 0);
      }
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (JdbcExecutor.isConstraintViolation(e)) {
        throw new SessionStoreException("another session already has the new token hash");
      }
      throw e;
    }
  }

  /**
   * Locks the session row if its principal is still {@code expectedPrincipal}, then writes: a
   * login in parallel either ran before (nothing is written) or waits for this transaction.
   */
  public boolean updateAttributes(String sessionId, String expectedPrincipal,
      Map<String, Object> puts, Set<String> removals) {
    Objects.requireNonNull(sessionId, "sessionId");
    Map<String, byte[]> encoded = encode(puts);
    List<String> removed = new ArrayList<>(removals);
    return executor.transaction("updateAttributes", c -> {
      if (!existsAsSeen(c, sessionId, expectedPrincipal, sql.lockSessionAsSeen)) {
        return false;
      }
      if (!removed.isEmpty()) {
        KeyLists.execute(c, sql.deleteAttributesPrefix, removed, sessionId);
      }
      if (encoded.isEmpty()) {
        return true;
      }
      try {
        writeAttributes(c, sql.upsertAttribute, sessionId, encoded);
        return true;
      } catch (SQLException e) {
        if (!JdbcExecutor.isConstraintViolation(e)) {
          throw e;
        }
        // The foreign key refused the rows: the session is gone. (Or, on H2, two upserts of
        // one name raced: then the session exists, and the executor runs the work again.)
        c.rollback();
        if (exists(c, sessionId)) {
          throw new SQLException("attribute upsert raced with another; retrying",
              JdbcExecutor.SERIALIZATION_FAILURE, e);
        }
        return false;
      }
    });
  }

  private void writeAttributes(Connection c, String statement, String sessionId,
      Map<String, byte[]> attributes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
        ps.setString(1, sessionId);
        ps.setString(2, e.getKey());
        ps.setBytes(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private Map<String, byte[]> encode(Map<String, Object> attributes) {
    Map<String, byte[]> encoded = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      encoded.put(Objects.requireNonNull(e.getKey(), "attribute name"),
          codec.encode(e.getKey(), Objects.requireNonNull(e.getValue(), "attribute value")));
    }
    return encoded;
  }

  public boolean delete(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    return executor.statement("delete", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.deleteSession)) {
        ps.setString(1, sessionId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /**
   * In one transaction: raises the principal's generation (locking its row, see {@link
   * PrincipalFence}), locks the principal's sessions, and deletes all but the kept ones with one
   * set-based DELETE (their attribute rows cascade). Of two racing calls, the second waits for the
   * first and finds only what is left.
   */
  public List<String> revokePrincipal(String principal, Set<String> keepSessionIds,
      long newGeneration) {
    Objects.requireNonNull(principal, "principal");
    Set<String> keep = Set.copyOf(keepSessionIds);
    return executor.transaction("revokePrincipal", c -> {
      fence.raise(c, principal, newGeneration);
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.lockSessionsOfPrincipal)) {
        ps.setString(1, principal);
        try (ResultSet rows = ps.executeQuery()) {
          while (rows.next()) {
            String id = rows.getString(1);
            if (!keep.contains(id)) {
              ids.add(id);
            }
          }
        }
      }
      KeyLists.execute(c, sql.deleteSessionsPrefix, ids);
      return ids;
    });
  }

  /**
   * Ends every session in one transaction: raises every principal's generation first (the
   * principals table has a row for every principal that ever signed in, so every login and resume
   * in flight is fenced; they lock their principal's row as this update does), then deletes every
   * attribute and session. Returns how many sessions it deleted.
   */
  public long revokeAll() {
    return executor.transaction("revokeAll", c -> {
      try (Statement st = c.createStatement()) {
        st.executeUpdate(sql.raiseEveryGeneration);
        st.executeUpdate(sql.deleteEveryAttribute);
        return (long) st.executeUpdate(sql.deleteEverySession);
      }
    });
  }

  /**
   * Removes up to {@code limit} expired sessions, in transactions of at most the purge batch size:
   * each locks a batch of due rows (skipping rows another purger holds) and deletes exactly those.
   */
  public List<ExpiredSession> purgeExpired(long nowMillis, int limit) {
    List<ExpiredSession> purged = new ArrayList<>();
    while (purged.size() < limit) {
      int want = Math.min(purgeBatchSize, limit - purged.size());
      List<ExpiredSession> batch =
          executor.transaction("purgeExpired", c -> purgeBatch(c, nowMillis, want));
      purged.addAll(batch);
      if (batch.size() < want) {
        break;
      }
    }
    return purged;
  }

  private List<ExpiredSession> purgeBatch(Connection c, long nowMillis, int size)
      throws SQLException {
    List<ExpiredSession> batch = new ArrayList<>(size);
    List<String> ids = new ArrayList<>(size);
    try (PreparedStatement ps = c.prepareStatement(sql.lockExpiredSessions)) {
      sql.bindLockExpired(ps, nowMillis, size);
      try (ResultSet rows = ps.executeQuery()) {
        while (rows.next()) {
          String id = rows.getString(1);
          ids.add(id);
          batch.add(expired(id, rows.getString(2), rows.getLong(3), rows.getLong(4),
              rows.getLong(5)));
        }
      }
    }
    int deleted = KeyLists.execute(c, sql.deleteSessionsPrefix, ids);
    if (deleted != ids.size()) {
      throw new SQLException("purge locked " + ids.size() + " sessions but deleted " + deleted
          + "; retrying", JdbcExecutor.SERIALIZATION_FAILURE);
    }
    return batch;
  }

  private static ExpiredSession expired(String id, String principal, long lastAccessedAt,
      long idleTimeout, long absoluteDeadline) {
    // As Lifetime.expiryTimeout() decides, without its checks: a corrupt row must purge too.
    long idleDeadline = Lifetime.saturatedAdd(lastAccessedAt, idleTimeout);
    return absoluteDeadline <= idleDeadline
        ? new ExpiredSession(id, principal, absoluteDeadline, ExpiredSession.Timeout.ABSOLUTE)
        : new ExpiredSession(id, principal, idleDeadline, ExpiredSession.Timeout.IDLE);
  }

  private static boolean existsAsSeen(Connection c, String sessionId, String expectedPrincipal,
      Sql.PrincipalMatch query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query.forPrincipal(expectedPrincipal))) {
      ps.setString(1, sessionId);
      if (expectedPrincipal != null) {
        ps.setString(2, expectedPrincipal);
      }
      try (ResultSet rows = ps.executeQuery()) {
        return rows.next();
      }
    }
  }

  private boolean exists(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.sessionExists)) {
      ps.setString(1, sessionId);
      try (ResultSet rows = ps.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Binds a query's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }
}
