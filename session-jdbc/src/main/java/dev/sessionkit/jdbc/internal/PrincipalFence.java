// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/*
 * Design: the revocation fence in SQL
 * ===================================
 *
 * The promise (SessionStore's Javadoc): revokePrincipal(p, keep, g) raises p's revocation
 * generation to at least g and deletes p's other sessions in one atomic step, and a create or
 * rotate that makes a session newly belong to p succeeds only if p's generation is still at most
 * the one its caller read. So each fenced write is either entirely before a revocation (and
 * deleted by it) or entirely after it (and refused); a login or remember-me resume in flight can
 * never leave a session behind a force logout.
 *
 * The means: one row per principal in <prefix>principals (principal, generation), and every party
 * takes that row's exclusive lock first, in one short transaction:
 *
 *   fenced create / rotate to p            revokePrincipal(p, keep, g)
 *   ---------------------------            ---------------------------
 *   ensure p's row (generation 0)          upsert p's row: generation = GREATEST(generation, g)
 *   SELECT generation ... FOR UPDATE       SELECT session_id ... WHERE principal = p FOR UPDATE
 *   refuse if generation > caller's        DELETE those not kept (attributes cascade)
 *   INSERT / UPDATE the session            COMMIT
 *   COMMIT
 *
 * "Ensure" is an upsert that leaves an existing row alone (PostgreSQL INSERT ... ON CONFLICT DO
 * NOTHING, MariaDB INSERT ... ON DUPLICATE KEY UPDATE generation = generation, H2 MERGE ... WHEN
 * NOT MATCHED): a locking read of a row that does not exist would lock nothing on PostgreSQL and
 * H2, and a gap on MariaDB that another insert could slip past. Two transactions that both create
 * the row wait for each other inside the upsert; where a database reports the loser as a duplicate
 * key instead (H2 can), that first statement failed before anything was written, so it is turned
 * into a serialization failure and the executor runs the whole transaction again.
 *
 * Because both sides hold the row lock until they commit, the transactions on one principal run
 * one after the other. Two orders are possible; each needs the second transaction to see what the
 * first committed, which depends on the isolation level:
 *
 * 1. Revocation first. The fenced transaction's SELECT ... FOR UPDATE waited for the lock and must
 *    then read the raised generation, not the one in its snapshot. PostgreSQL (READ COMMITTED, its
 *    default) re-reads a row that it waited for and returns the newest committed version; MariaDB
 *    InnoDB (REPEATABLE READ, its default) serves every locking read from the newest committed
 *    version, whatever the transaction's snapshot; H2 (READ COMMITTED) returns the row as committed
 *    by the lock holder. So the fence sees g and refuses.
 *
 * 2. Fenced write first. The revocation then finds the new session. On PostgreSQL and H2 (READ
 *    COMMITTED) every statement takes a new snapshot, and the SELECT of p's sessions runs after the
 *    lock wait, so it sees the committed session. On MariaDB the revocation's snapshot could be
 *    older, but it reads only with locking reads (the upsert, SELECT ... FOR UPDATE, DELETE), which
 *    see the newest committed rows. So the session is deleted.
 *
 * Under SERIALIZABLE (if an application's pool sets it) PostgreSQL may instead abort one of the two
 * with a serialization failure; the executor retries it, and the retry is one of the orders above.
 * The argument needs every path that makes a session newly p's to take p's lock: a create of an
 * anonymous session, a touch, an attribute write or a rotation that keeps the principal does not
 * add a session to p, and the revocation locks each session row it deletes, so a concurrent
 * rotation of it either finishes first (and is deleted) or finds it gone.
 *
 * Lock order: every transaction that takes a principal's row takes it first and at most one, then
 * session rows; nothing holds a session row while it waits for a principal's row. Deadlocks that
 * the databases still report (MariaDB gap locks between a revocation and a purge) abort one side
 * whole, and the executor runs it again.
 *
 * Costs: the request path (find, touch, attributes) never reads the table. Logins and resumes take
 * two more statements; a force logout costs its principal's sessions. The table keeps one row per
 * principal that ever signed in: a generation must never go back to 0, and a row without
 * revocations costs as little as a row of a revoked principal.
 */

/**
 * The per-principal revocation generations ({@code <prefix>principals}) and the row lock through
 * which logins and force logouts of one principal serialize; see the design note in the source.
 */
final class PrincipalFence {

  private final JdbcExecutor executor;
  private final Sql sql;

  PrincipalFence(JdbcExecutor executor, Sql sql) {
    this.executor = executor;
    this.sql = sql;
  }

  /** Returns the principal's generation: a plain read, {@code 0} when it has no row. */
  long generation(String principal) {
    Objects.requireNonNull(principal, "principal");
    return executor.statement("principalGeneration", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.principalGeneration)) {
        ps.setString(1, principal);
        try (ResultSet rows = ps.executeQuery()) {
          return rows.next() ? rows.getLong(1) : 0L;
        }
      }
    });
  }

  /**
   * In the caller's transaction, and as its first statements: creates the principal's row if
   * needed, locks it until the transaction ends, and returns whether its generation is still at
   * most {@code callerGeneration}.
   */
  boolean admits(Connection c, String principal, long callerGeneration) throws SQLException {
    upsertFirst(c, sql.ensurePrincipal, principal, null);
    try (PreparedStatement ps = c.prepareStatement(sql.lockPrincipal)) {
      ps.setString(1, principal);
      try (ResultSet rows = ps.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("the principal's row vanished after it was ensured; retrying",
              JdbcExecutor.SERIALIZATION_FAILURE);
        }
        return rows.getLong(1) <= callerGeneration;
      }
    }
  }

  /**
   * In the caller's transaction, and as its first statement: raises the principal's generation to
   * at least {@code generation} (creating the row if needed) and locks the row until the
   * transaction ends.
   */
  void raise(Connection c, String principal, long generation) throws SQLException {
    upsertFirst(c, sql.raisePrincipalGeneration, principal, generation);
  }

  /**
   * Runs an upsert of the principal's row that opens a transaction; a duplicate key (a racing
   * insert of the same new row, where the database reports it so) becomes a retry.
   */
  private static void upsertFirst(Connection c, String statement, String principal,
      Long generation) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setString(1, principal);
      if (generation != null) {
        ps.setLong(2, generation);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      if (JdbcExecutor.isConstraintViolation(e)) {
        throw new SQLException("two transactions created one principal's row at once; retrying",
            JdbcExecutor.SERIALIZATION_FAILURE);
      }
      throw e;
    }
  }
}
