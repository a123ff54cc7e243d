package dev.sessionkit.jdbc.internal;

import dev.sessionkit.EndReason;
import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.AttributeCodec;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.TokenHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 */
public final class SessionTable {

  private static final Logger LOG = LoggerFactory.getLogger("dev.sessionkit.jdbc.JdbcSessionStore");

  /** A SQLState that makes the executor retry (a serialization failure). */
  private static final String RETRY = "40001";

  private final JdbcExecutor executor;
  private final Sql sql;
  private final AttributeCodec codec;
  private final int purgeBatchSize;

  public SessionTable(JdbcExecutor executor, Sql sql, AttributeCodec codec, int purgeBatchSize) {
    this.executor = executor;
    this.sql = sql;
    this.codec = codec;
    this.purgeBatchSize = purgeBatchSize;
  }

  public void create(SessionRecord session) {
    Objects.requireNonNull(session, "session");
    Map<String, byte[]> attributes = encode(session.attributes());
    JdbcExecutor.Work<Void> work = c -> {
      try {
        insert(c, session);
        if (!attributes.isEmpty()) {
          writeAttributes(c, sql.insertAttribute, session.id(), attributes);
        }
      } catch (SQLException e) {
        if (JdbcExecutor.isConstraintViolation(e)) {
          throw new SessionStoreException("a session with this id or token hash already exists");
        }
        throw e;
      }
      return null;
    };
    if (attributes.isEmpty()) {
      executor.statement("create", work);
    } else {
      executor.transaction("create", work);
    }
  }

  private void insert(Connection c, SessionRecord r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.insertSession)) {
      ps.setString(1, r.id());
      ps.setBytes(2, r.tokenHash().toBytes());
      ps.setString(3, r.principal());
      ps.setLong(4, r.createdAt());
      ps.setLong(5, r.authenticatedAt());
      ps.setString(6, r.authenticationMethod() == null ? null : r.authenticationMethod().name());
      ps.setLong(7, r.lastAccessedAt());
      ps.setLong(8, r.idleTimeout());
      ps.setLong(9, r.absoluteDeadline());
      ps.setLong(10, r.expiresAt());
      ps.setString(11, r.rememberMeSelector());
      ps.setString(12, r.clientAddress());
      ps.setString(13, r.userAgent());
      ps.executeUpdate();
    }
  }

  public Optional<SessionRecord> findByTokenHash(TokenHash tokenHash) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    return single(find("findByTokenHash", sql.sessionByTokenHash,
        ps -> ps.setBytes(1, tokenHash.toBytes())));
  }

  public Optional<SessionRecord> findById(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    return single(find("findById", sql.sessionById, ps -> ps.setString(1, sessionId)));
  }

  public List<SessionRecord> findByPrincipal(String principal, long now) {
    Objects.requireNonNull(principal, "principal");
    return find("findByPrincipal", sql.sessionsByPrincipal, ps -> {
      ps.setString(1, principal);
      ps.setLong(2, now);
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
      LOG.warn("Removed session {}: its stored attributes cannot be read back ({})",
          u.sessionId(), u.reason());
    }
    return found.sessions();
  }

  public boolean touch(String sessionId, long lastAccessedAt) {
    Objects.requireNonNull(sessionId, "sessionId");
    return executor.statement("touch", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.touch)) {
        ps.setLong(1, lastAccessedAt);
        ps.setLong(2, lastAccessedAt);
        ps.setLong(3, lastAccessedAt);
        ps.setString(4, sessionId);
        ps.setLong(5, lastAccessedAt);
        if (ps.executeUpdate() > 0) {
          return true;
        }
      }
      // Nothing updated: the session is gone, or was accessed at this time or later.
      return exists(c, sessionId);
    });
  }

  public boolean replaceMetadata(String sessionId, TokenHash expectedTokenHash,
      SessionRecord r) {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(expectedTokenHash, "expectedTokenHash");
    Objects.requireNonNull(r, "replacement");
    return executor.statement("replaceMetadata", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.replaceMetadata)) {
        ps.setLong(1, r.lastAccessedAt());
        ps.setLong(2, saturatedSubtract(r.absoluteDeadline(), r.idleTimeout()));
        ps.setLong(3, r.absoluteDeadline());
        ps.setLong(4, r.idleTimeout());
        ps.setLong(5, r.expiresAt());
        ps.setLong(6, r.lastAccessedAt());
        ps.setLong(7, r.lastAccessedAt());
        ps.setBytes(8, r.tokenHash().toBytes());
        ps.setString(9, r.principal());
        ps.setLong(10, r.authenticatedAt());
        ps.setString(11, r.authenticationMethod() == null ? null : r.authenticationMethod().name());
        ps.setLong(12, r.idleTimeout());
        ps.setLong(13, r.absoluteDeadline());
        ps.setString(14, r.rememberMeSelector());
        ps.setString(15, r.clientAddress());
        ps.setString(16, r.userAgent());
        ps.setString(17, sessionId);
        ps.setBytes(18, expectedTokenHash.toBytes());
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        if (JdbcExecutor.isConstraintViolation(e)) {
          throw new SessionStoreException("another session already has the new token hash");
        }
        throw e;
      }
    });
  }

  public boolean updateAttributes(String sessionId, Map<String, Object> puts,
      Set<String> removals) {
    Objects.requireNonNull(sessionId, "sessionId");
    Map<String, byte[]> encoded = encode(puts);
    List<String> removed = new ArrayList<>(removals);
    return executor.transaction("updateAttributes", c -> {
      if (!removed.isEmpty()) {
        KeyLists.delete(c, sql.deleteAttributesPrefix, removed, sessionId);
      }
      if (encoded.isEmpty()) {
        return exists(c, sessionId);
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
          throw new SQLException("attribute upsert raced with another; retrying", RETRY, e);
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
   * Locks the principal's sessions, then deletes all but the kept ones with one set-based DELETE:
   * of two racing calls, the second waits for the first and finds only what is left.
   */
  public List<String> deleteByPrincipal(String principal, Set<String> keepSessionIds) {
    Objects.requireNonNull(principal, "principal");
    Set<String> keep = Set.copyOf(keepSessionIds);
    return executor.transaction("deleteByPrincipal", c -> {
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
      KeyLists.delete(c, sql.deleteSessionsPrefix, ids);
      return ids;
    });
  }

  /**
   * Removes up to {@code limit} expired sessions, in transactions of at most the purge batch size:
   * each locks a batch of due rows (skipping rows another purger holds) and deletes exactly those.
   */
  public List<ExpiredSession> purgeExpired(long now, int limit) {
    List<ExpiredSession> purged = new ArrayList<>();
    while (purged.size() < limit) {
      int want = Math.min(purgeBatchSize, limit - purged.size());
      List<ExpiredSession> batch =
          executor.transaction("purgeExpired", c -> purgeBatch(c, now, want));
      purged.addAll(batch);
      if (batch.size() < want) {
        break;
      }
    }
    return purged;
  }

  private List<ExpiredSession> purgeBatch(Connection c, long now, int size) throws SQLException {
    List<ExpiredSession> batch = new ArrayList<>(size);
    List<String> ids = new ArrayList<>(size);
    try (PreparedStatement ps = c.prepareStatement(sql.lockExpiredSessions)) {
      sql.bindLockExpired(ps, now, size);
      try (ResultSet rows = ps.executeQuery()) {
        while (rows.next()) {
          String id = rows.getString(1);
          ids.add(id);
          batch.add(expired(id, rows.getString(2), rows.getLong(3), rows.getLong(4),
              rows.getLong(5)));
        }
      }
    }
    int deleted = KeyLists.delete(c, sql.deleteSessionsPrefix, ids);
    if (deleted != ids.size()) {
      throw new SQLException("purge locked " + ids.size() + " sessions but deleted " + deleted
          + "; retrying", RETRY);
    }
    return batch;
  }

  private static ExpiredSession expired(String id, String principal, long lastAccessedAt,
      long idleTimeout, long absoluteDeadline) {
    long idleDeadline = lastAccessedAt + idleTimeout;
    if (idleDeadline < lastAccessedAt) {
      idleDeadline = Long.MAX_VALUE;
    }
    return absoluteDeadline <= idleDeadline
        ? new ExpiredSession(id, principal, absoluteDeadline, EndReason.ABSOLUTE_TIMEOUT)
        : new ExpiredSession(id, principal, idleDeadline, EndReason.IDLE_TIMEOUT);
  }

  private boolean exists(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.sessionExists)) {
      ps.setString(1, sessionId);
      try (ResultSet rows = ps.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static long saturatedSubtract(long a, long b) {
    long difference = a - b;
    return ((a ^ b) & (a ^ difference)) < 0 ? Long.MIN_VALUE : difference;
  }

  /** Binds a query's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }
}
