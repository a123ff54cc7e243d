package dev.sessionkit.jdbc.internal;

import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.TokenHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The remember-me operations. A rotation is one conditional {@code UPDATE ... WHERE selector = ?
 * AND validator_hash = ?}: of two requests that race with the same validator, the database lets
 * exactly one match, and the other updates nothing.
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
        ps.setString(1, s.selector());
        ps.setString(2, s.principal());
        ps.setBytes(3, s.validatorHash().toBytes());
        ps.setBytes(4, s.previousValidatorHash() == null
            ? null : s.previousValidatorHash().toBytes());
        ps.setLong(5, s.previousValidUntil());
        ps.setLong(6, s.createdAt());
        ps.setLong(7, s.expiresAt());
        ps.setLong(8, s.lastUsedAt());
        ps.executeUpdate();
      } catch (SQLException e) {
        if (JdbcExecutor.isConstraintViolation(e)) {
          throw new SessionStoreException(
              "a remember-me series with this selector already exists");
        }
        throw e;
      }
      return null;
    });
  }

  public Optional<RememberMeSeries> find(String selector) {
    Objects.requireNonNull(selector, "selector");
    return executor.statement("findSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.seriesBySelector)) {
        ps.setString(1, selector);
        try (ResultSet rows = ps.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          byte[] previous = rows.getBytes(4);
          return Optional.of(new RememberMeSeries(rows.getString(1), rows.getString(2),
              TokenHash.of(rows.getBytes(3)), previous == null ? null : TokenHash.of(previous),
              rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8)));
        }
      }
    });
  }

  public boolean rotate(String selector, TokenHash expectedValidatorHash,
      TokenHash newValidatorHash, long graceUntil, long now) {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(expectedValidatorHash, "expectedValidatorHash");
    Objects.requireNonNull(newValidatorHash, "newValidatorHash");
    return executor.statement("rotateSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.rotateSeries)) {
        ps.setBytes(1, newValidatorHash.toBytes());
        ps.setLong(2, graceUntil);
        ps.setLong(3, now);
        ps.setString(4, selector);
        ps.setBytes(5, expectedValidatorHash.toBytes());
        return ps.executeUpdate() == 1;
      }
    });
  }

  public boolean delete(String selector) {
    Objects.requireNonNull(selector, "selector");
    return executor.statement("deleteSeries", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.deleteSeries)) {
        ps.setString(1, selector);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** One set-based DELETE of the principal's series, less the kept ones. */
  public int deleteByPrincipal(String principal, Set<String> keepSelectors) {
    Objects.requireNonNull(principal, "principal");
    List<String> keep = new ArrayList<>(keepSelectors);
    return executor.statement("deleteSeriesByPrincipal", c -> {
      if (keep.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(sql.deleteSeriesOfPrincipal)) {
          ps.setString(1, principal);
          return ps.executeUpdate();
        }
      }
      // A principal keeps at most a handful of series; one IN list holds them all.
      try (PreparedStatement ps = c.prepareStatement(sql.deleteSeriesOfPrincipal
          + " AND selector NOT IN " + Sql.placeholders(keep.size()))) {
        ps.setString(1, principal);
        KeyLists.bindAll(ps, 2, keep);
        return ps.executeUpdate();
      }
    });
  }

  /** Removes up to {@code limit} expired series, in transactions of at most the batch size. */
  public int purgeExpired(long now, int limit) {
    int purged = 0;
    while (purged < limit) {
      int want = Math.min(purgeBatchSize, limit - purged);
      int batch = executor.transaction("purgeExpiredSeries", c -> purgeBatch(c, now, want));
      purged += batch;
      if (batch < want) {
        break;
      }
    }
    return purged;
  }

  private int purgeBatch(Connection c, long now, int size) throws SQLException {
    List<String> selectors = new ArrayList<>(size);
    try (PreparedStatement ps = c.prepareStatement(sql.lockExpiredSeries)) {
      sql.bindLockExpired(ps, now, size);
      try (ResultSet rows = ps.executeQuery()) {
        while (rows.next()) {
          selectors.add(rows.getString(1));
        }
      }
    }
    return KeyLists.delete(c, sql.deleteSeriesPrefix, selectors);
  }
}
