// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.TokenHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The remember-me operations, on a table keyed by the selector's hash (the selector itself is
 * never stored). A use of a series is one conditional {@code UPDATE ... WHERE selector_hash = ?
 * AND validator_hash = ?}: of two requests that race with the same validator, the database lets
 * exactly one match, and the other updates nothing. The same statement raises the stored
 * generation with {@code GREATEST}, so a force logout that kept the series and raised its
 * generation meanwhile is never undone.
 */
public final class SeriesTable {

  private final JdbcExecutor executor;
  private final Sql sql;
  private final int purgeBatchSize;

  public SeriesTable(JdbcExecutor executor, Sql sql, int purgeBatchSize) {
    this.executor = executor;
    this.sql = sql;
    this.purgeBatchSize = purgeBatchSize;
  }

  public void create(RememberMeSeries s) {
    Objects.requireNonNull(s, "series");
    executor.statement("createSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.insertSeries)) {
        ps.setBytes(1, s.selectorHash().toBytes());
        ps.setString(2, s.principal());
        ps.setBytes(3, s.validatorHash().toBytes());
        setHash(ps, 4, s.previousValidatorHash());
        ps.setLong(5, s.previousValidUntil());
        ps.setBoolean(6, s.rotationConfirmed());
        ps.setLong(7, s.createdAt());
        ps.setLong(8, s.expiresAt());
        ps.setLong(9, s.lastUsedAt());
        ps.setString(10, s.latestSessionId());
        ps.setLong(11, s.generation());
        ps.executeUpdate();
      } catch (SQLException e) {
        if (JdbcExecutor.isConstraintViolation(e)) {
          throw new SessionStoreException(
              "a remember-me series with this selector hash already exists");
        }
        throw e;
      }
      return null;
    });
  }

  public Optional<RememberMeSeries> find(TokenHash selectorHash) {
    Objects.requireNonNull(selectorHash, "selectorHash");
    return executor.statement("findSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.seriesBySelectorHash)) {
        ps.setBytes(1, selectorHash.toBytes());
        try (ResultSet rows = ps.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          byte[] previous = rows.getBytes(4);
          return Optional.of(new RememberMeSeries(TokenHash.of(rows.getBytes(1)),
              rows.getString(2), TokenHash.of(rows.getBytes(3)),
              previous == null ? null : TokenHash.of(previous), rows.getLong(5),
              rows.getBoolean(6), rows.getLong(7), rows.getLong(8), rows.getLong(9),
              rows.getString(10), rows.getLong(11)));
        }
      }
    });
  }

  /**
   * Replaces every mutable column if the stored validator hash (and principal) are the expected
   * ones; the generation becomes the higher of the stored and the replacement's.
   */
  public boolean replace(RememberMeSeries r, TokenHash expectedValidatorHash) {
    Objects.requireNonNull(r, "replacement");
    Objects.requireNonNull(expectedValidatorHash, "expectedValidatorHash");
    return executor.statement("replaceSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.replaceSeries)) {
        ps.setLong(1, r.generation());
        ps.setBytes(2, r.validatorHash().toBytes());
        setHash(ps, 3, r.previousValidatorHash());
        ps.setLong(4, r.previousValidUntil());
        ps.setBoolean(5, r.rotationConfirmed());
        ps.setLong(6, r.createdAt());
        ps.setLong(7, r.expiresAt());
        ps.setLong(8, r.lastUsedAt());
        ps.setString(9, r.latestSessionId());
        ps.setBytes(10, r.selectorHash().toBytes());
        ps.setBytes(11, expectedValidatorHash.toBytes());
        ps.setString(12, r.principal());
        return ps.executeUpdate() == 1;
      }
    });
  }

  public boolean delete(TokenHash selectorHash) {
    Objects.requireNonNull(selectorHash, "selectorHash");
    return executor.statement("deleteSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.deleteSeries)) {
        ps.setBytes(1, selectorHash.toBytes());
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** One conditional DELETE: only while {@code sessionId} is the series' latest session. */
  public boolean deleteIfLatest(TokenHash selectorHash, String sessionId) {
    Objects.requireNonNull(selectorHash, "selectorHash");
    Objects.requireNonNull(sessionId, "sessionId");
    return executor.statement("deleteSeriesIfLatest", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.deleteSeriesIfLatest)) {
        ps.setBytes(1, selectorHash.toBytes());
        ps.setString(2, sessionId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /**
   * One set-based DELETE of the principal's series less the kept ones, and, in the same
   * transaction, one UPDATE that raises the kept ones' generation.
   */
  /** Deletes every series; returns how many. */
  public long revokeAll() {
    return executor.statement("revokeAllSeries", c -> {
      try (Statement st = c.createStatement()) {
        return (long) st.executeUpdate(sql.deleteEverySeries);
      }
    });
  }

  public int revoke(String principal, Set<TokenHash> keepSelectorHashes, long keptGeneration) {
    Objects.requireNonNull(principal, "principal");
    List<byte[]> keep = new ArrayList<>(keepSelectorHashes.size());
    for (TokenHash hash : keepSelectorHashes) {
      keep.add(hash.toBytes());
    }
    if (keep.isEmpty()) {
      return executor.statement("revokeSeries", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.deleteSeriesOfPrincipal)) {
          ps.setString(1, principal);
          return ps.executeUpdate();
        }
      });
    }
    // A principal keeps at most a handful of series; one IN list holds them all.
    return executor.transaction("revokeSeries", c -> {
      int deleted;
      try (PreparedStatement ps = c.prepareStatement(sql.deleteSeriesOfPrincipal
          + " AND selector_hash NOT IN " + Sql.placeholders(keep.size()))) {
        ps.setString(1, principal);
        KeyLists.bindAll(ps, 2, keep);
        deleted = ps.executeUpdate();
      }
      KeyLists.execute(c, sql.raiseSeriesGenerationPrefix, keep, keptGeneration, principal);
      return deleted;
    });
  }

  /** Removes up to {@code limit} expired series, in transactions of at most the batch size. */
  public int purgeExpired(long nowMillis, int limit) {
    int purged = 0;
    while (purged < limit) {
      int want = Math.min(purgeBatchSize, limit - purged);
      int batch = executor.transaction("purgeExpiredSeries", c -> purgeBatch(c, nowMillis, want));
      purged += batch;
      if (batch < want) {
        break;
      }
    }
    return purged;
  }

  private int purgeBatch(Connection c, long nowMillis, int size) throws SQLException {
    List<byte[]> selectorHashes = new ArrayList<>(size);
    try (PreparedStatement ps = c.prepareStatement(sql.lockExpiredSeries)) {
      sql.bindLockExpired(ps, nowMillis, size);
      try (ResultSet rows = ps.executeQuery()) {
        while (rows.next()) {
          selectorHashes.add(rows.getBytes(1));
        }
      }
    }
    return KeyLists.execute(c, sql.deleteSeriesPrefix, selectorHashes);
  }

  private static void setHash(PreparedStatement ps, int index, TokenHash hash)
      throws SQLException {
    if (hash == null) {
      ps.setNull(index, Types.VARBINARY);
    } else {
      ps.setBytes(index, hash.toBytes());
    }
  }
}
