// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import static dev.sessionkit.jdbc.StoreFixtures.ABSOLUTE;
import static dev.sessionkit.jdbc.StoreFixtures.IDLE;
import static dev.sessionkit.jdbc.StoreFixtures.anonymous;
import static dev.sessionkit.jdbc.StoreFixtures.hashOf;
import static dev.sessionkit.jdbc.StoreFixtures.login;
import static dev.sessionkit.jdbc.StoreFixtures.newSelector;
import static dev.sessionkit.jdbc.StoreFixtures.newToken;
import static dev.sessionkit.jdbc.StoreFixtures.randomHash;
import static dev.sessionkit.jdbc.StoreFixtures.runTogether;
import static dev.sessionkit.jdbc.StoreFixtures.series;
import static dev.sessionkit.jdbc.StoreFixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.StoreHealth;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.AuthenticationMethod;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.JavaSerializationCodec;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.spi.TokenHash;
import dev.sessionkit.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's own tests, run against one database; a subclass per database supplies it as a
 * {@link Database} extension. What every store must do is the contract suites' business (the
 * {@code *ContractTest} classes run them on each database); these tests cover what is particular
 * to SQL: the schema and its refusal of earlier layouts, query plans, the column mapping, the
 * revocation fence under real concurrent transactions (and the rotation that skips it), several
 * app servers on one database, purge batches, corrupt rows, and what the columns hold.
 */
abstract class JdbcSessionStoreTestBase {

  /** The store under test, on emptied tables. */
  protected JdbcSessionStore store;
  /** A time near the real clock at which the test starts, epoch milliseconds. */
  protected long t0;

  /** The database and tables of the concrete test class. */
  protected abstract Database db();

  @BeforeEach
  void emptyTables() throws SQLException {
    db().clear();
    store = db().store();
    t0 = System.currentTimeMillis();
  }

  private SessionRecord created(SessionRecord record) {
    assertThat(store.create(record, 0)).isTrue();
    return record;
  }

  // ------------------------------------------------------------------ a stalled database

  /**
   * Another transaction holds the session's row lock (a stalled or slow database looks the same
   * to the store): the store's write waits at most its query timeout, then fails with a
   * SessionStoreException (503 through the filter) instead of holding the request for as long as
   * the lock is held. The row is written once the lock is gone. (The write runs on another thread
   * so that, if it did hang, the test releases the lock after a bounded wait and fails instead of
   * hanging the build.)
   */
  @Test
  void aWriteBlockedByARowLockFailsAfterTheQueryTimeoutInsteadOfHanging() throws Exception {
    JdbcSessionStore timed = db().storeBuilder(db().newDataSource())
        .tablePrefix(db().prefix).queryTimeout(Duration.ofSeconds(1)).build();
    SessionRecord record = created(session("alice", t0));
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Throwable outcome;
    try (Connection holder = db().newDataSource().getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock = holder.prepareStatement("SELECT session_id FROM "
          + store.sessionsTable() + " WHERE session_id = ? FOR UPDATE")) {
        lock.setString(1, record.id());
        try (ResultSet locked = lock.executeQuery()) {
          assertThat(locked.next()).as("the row is locked by another transaction").isTrue();
        }
      }
      Future<Throwable> write = writer.submit(() -> {
        try {
          timed.updateAttributes(record.id(), "alice", Map.of("cart", "apple"), Set.of());
          return null;
        } catch (RuntimeException e) {
          return e;
        }
      });
      try {
        outcome = write.get(20, TimeUnit.SECONDS); // a bound on waiting, far above the timeout
      } catch (TimeoutException stillWaiting) {
        outcome = stillWaiting;
      } finally {
        holder.rollback(); // releases a write that still waits
      }
    } finally {
      writer.shutdown();
    }
    assertThat(outcome).as("the write gave up after its query timeout while the lock was held")
        .isInstanceOf(SessionStoreException.class);
    timed.updateAttributes(record.id(), "alice", Map.of("cart", "pear"), Set.of());
    assertThat(timed.findById(record.id()).orElseThrow().attributes()).containsKey("cart");
  }

  // ------------------------------------------------------------------ schema

  @Test
  void theDialectIsDetectedFromTheConnection() {
    assertThat(store.dialect()).isEqualTo(SqlDialect.valueOf(db().kind.name()));
  }

  @Test
  void createSchemaIsIdempotentAndKeepsTheData() {
    SessionRecord record = created(session("alice", t0));

    store.createSchema();
    store.createSchema();
    store.verifySchema();

    assertThat(store.findByTokenHash(record.tokenHash())).contains(record);
  }

  /**
   * A rolling deploy or several nodes of a test: app servers with their own connection pools
   * create the schema on an empty database at the same moment. Every one starts; the tables are
   * complete and usable. Several rounds, each on a fresh table prefix.
   */
  @Test
  void serversStartingTogetherOnAnEmptyDatabaseAllCreateTheSchema() throws Exception {
    int servers = 6;
    for (int round = 0; round < 4; round++) {
      String prefix = db().prefix + "n" + round + "_";
      db().drop(prefix);
      List<JdbcSessionStore> nodes = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        nodes.add(db().storeBuilder(db().newDataSource()).tablePrefix(prefix).build());
      }
      try {
        List<Callable<Boolean>> starts = new ArrayList<>();
        for (JdbcSessionStore node : nodes) {
          starts.add(() -> {
            node.createSchema();
            node.verifySchema();
            return true;
          });
        }
        assertThat(runTogether(starts)).containsOnly(true);
        SessionRecord record = session("alice", t0);
        assertThat(nodes.get(0).create(record, 0)).isTrue();
        assertThat(nodes.get(servers - 1).findByTokenHash(record.tokenHash())).contains(record);
      } finally {
        db().drop(prefix);
      }
    }
  }

  @Test
  void bothTokenHashesPrincipalsAndExpiryAreIndexed() throws SQLException {
    try (Connection c = db().dataSource().getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(leadingIndexColumns(md, store.sessionsTable())).contains("session_id",
          "token_hash", "previous_token_hash", "principal", "expires_at");
      assertThat(leadingIndexColumns(md, store.attributesTable())).contains("session_id");
      assertThat(leadingIndexColumns(md, store.rememberMeSeriesTable()))
          .contains("selector_hash", "principal", "expires_at");
      assertThat(leadingIndexColumns(md, store.principalsTable())).contains("principal");
    }
  }

  private static Set<String> leadingIndexColumns(DatabaseMetaData md, String table)
      throws SQLException {
    String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
    Set<String> columns = new HashSet<>();
    try (ResultSet rows = md.getIndexInfo(null, null, name, false, true)) {
      while (rows.next()) {
        if (rows.getShort("ORDINAL_POSITION") == 1 && rows.getString("COLUMN_NAME") != null) {
          columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return columns;
  }

  @Test
  void theLookupByTokenHashUsesAnIndexForTheCurrentAndThePreviousHash() throws Exception {
    int count = 20_000;
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(db().kind.bulkInsertSessions(
            store.sessionsTable(), "bulk-user", "bulk-", count))) {
      long[] values = {t0, t0, t0, t0, IDLE, t0 + ABSOLUTE, t0 + IDLE};
      for (int i = 0; i < values.length; i++) {
        ps.setLong(i + 1, values[i]);
      }
      assertThat(ps.executeUpdate()).isEqualTo(count);
    }
    db().execute(db().kind.analyze(store.sessionsTable()));
    RecordingDataSource recording = new RecordingDataSource(db().dataSource(), "-");
    JdbcSessionStore recorded = db().storeBuilder(recording.dataSource).build();
    TokenHash hash = randomHash();
    assertThat(recorded.findByTokenHash(hash)).isEmpty();
    String lookup = recording.prepared.get(recording.prepared.size() - 1);

    String plan = plan(lookup, hash);

    assertThat(db().kind.scansTable(plan, store.sessionsTable())).as(plan).isFalse();
    assertThat(plan.toLowerCase(Locale.ROOT)).as(plan)
        .contains(store.sessionsTable() + "_token_hash_uk")
        .contains(store.sessionsTable() + "_previous_token_hash_ix");
  }

  @Test
  void aRequestIsOneStatementOnPostgresqlAndAtMostTwoElsewhere() {
    RecordingDataSource recording = new RecordingDataSource(db().dataSource(), "-");
    JdbcSessionStore counted = db().storeBuilder(recording.dataSource).build();
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(t0));
    SessionManager manager = SessionManager.builder().store(counted).clock(clock).build();
    IssuedSession issued = manager.authenticate("alice", ClientInfo.NONE, false);
    issued.session().putAttribute("cart", "book");
    int perRequest = store.dialect() == SqlDialect.POSTGRESQL ? 1 : 2;

    for (int request = 0; request < 3; request++) {
      clock.advance(Duration.ofSeconds(5)); // past the touch interval: the request writes
      recording.prepared.clear();
      Session session = manager.resolve(issued.token()).orElseThrow();
      assertThat(recording.prepared).as("statements of one request").hasSize(perRequest);
      assertThat(session.lastAccessedAt()).isEqualTo(clock.instant());
      assertThat(session.getAttribute("cart")).contains("book");
      assertThat(store.findById(session.id()).orElseThrow().lifetime().lastAccessedAt())
          .isEqualTo(clock.millis());
    }
    clock.advance(Duration.ofMillis(10)); // within the touch interval: a read only
    recording.prepared.clear();
    assertThat(manager.resolve(issued.token())).isPresent();
    assertThat(recording.prepared).hasSize(1);
    assertThat(store.findById(issued.session().id()).orElseThrow().lifetime().lastAccessedAt())
        .isEqualTo(clock.millis() - 10);
  }

  /** Returns the plan of {@code query} with every parameter bound to {@code hash}. */
  private String plan(String query, TokenHash hash) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + query)) {
      long parameters = query.chars().filter(ch -> ch == '?').count();
      for (int i = 1; i <= parameters; i++) {
        ps.setBytes(i, hash.toBytes());
      }
      try (ResultSet rows = ps.executeQuery()) {
        ResultSetMetaData md = rows.getMetaData();
        while (rows.next()) {
          if (md.getColumnCount() == 1) {
            plan.append(rows.getString(1)).append('\n');
            continue;
          }
          // MariaDB: one row per table; written as "table=s type=ALL key=... extra=..."
          plan.append("table=").append(rows.getString("table"))
              .append(" type=").append(rows.getString("type"))
              .append(" key=").append(rows.getString("key"))
              .append(" extra=").append(rows.getString("Extra")).append('\n');
        }
      }
    }
    return plan.toString();
  }

  // ------------------------------------------------------------------ earlier layouts

  @Test
  void tablesOfTheEarlierLayoutAreRefusedWithWhatToDo() throws Exception {
    String prefix = db().prefix + "old_";
    JdbcSessionStore old = db().storeBuilder(db().dataSource()).tablePrefix(prefix).build();
    db().drop(prefix);
    try {
      runEarlierSchema(prefix);

      assertThatThrownBy(old::createSchema).isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("earlier Sessionkit version")
          .hasMessageContaining(prefix + "sessions has no column previous_token_hash")
          .hasMessageContaining(prefix + "remember_me_series keys series by a selector in clear")
          .hasMessageContaining("DROP TABLE " + prefix + "session_attributes, " + prefix
              + "sessions, " + prefix + "remember_me_series")
          .hasMessageContaining("another table prefix");
      assertThat(tableExists(prefix + "principals")).as("createSchema created nothing").isFalse();
      assertThatThrownBy(old::verifySchema).isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("earlier Sessionkit version");
      // An application that skipped createSchema learns the same at its first request.
      assertThatThrownBy(() -> old.findByTokenHash(randomHash()))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("findByTokenHash")
          .hasMessageContaining("earlier Sessionkit version");
      assertThatThrownBy(() -> old.createSeries(series("alice", t0, "s", 0)))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("earlier Sessionkit version");

      // Only the series table of the earlier layout left: refused, naming just that table.
      db().execute("DROP TABLE " + prefix + "session_attributes",
          "DROP TABLE " + prefix + "sessions");
      assertThatThrownBy(old::createSchema).isInstanceOf(SessionStoreException.class)
          .hasMessageNotContaining("previous_token_hash")
          .hasMessageContaining(prefix + "remember_me_series keys series by a selector in clear");

      // Dropped as the message says, the prefix works.
      db().drop(prefix);
      old.createSchema();
      old.verifySchema();
      assertThat(old.create(session("alice", t0), 0)).isTrue();
    } finally {
      db().drop(prefix);
    }
  }

  @Test
  void sessionsWithoutTheInteractiveAuthenticationColumnAreAnEarlierLayout() throws Exception {
    String prefix = db().prefix + "nostep_";
    JdbcSessionStore old = db().storeBuilder(db().dataSource()).tablePrefix(prefix).build();
    db().drop(prefix);
    try {
      // the layout before step-up: a previous token, but no interactive_at
      db().execute("CREATE TABLE " + prefix + "sessions (session_id VARCHAR(64) NOT NULL,"
          + " previous_token_hash BIGINT, authenticated_at BIGINT)");

      assertThatThrownBy(old::verifySchema).isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("earlier Sessionkit version")
          .hasMessageContaining(prefix + "sessions has no column interactive_at");

      db().drop(prefix);
      old.createSchema();
      old.verifySchema();
    } finally {
      db().drop(prefix);
    }
  }

  private void runEarlierSchema(String prefix) throws Exception {
    String resource = "dev/sessionkit/jdbc/earlier/schema-"
        + db().kind.name().toLowerCase(Locale.ROOT) + ".sql";
    String script;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder code = new StringBuilder();
    for (String line : script.replace("sessionkit_", prefix).split("\n")) {
      if (!line.strip().startsWith("--")) {
        code.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : code.toString().split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    assertThat(statements).isNotEmpty();
    db().execute(statements.toArray(String[]::new));
  }

  private boolean tableExists(String table) throws SQLException {
    try (Connection c = db().dataSource().getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
      try (ResultSet rows = md.getTables(c.getCatalog(), c.getSchema(), name, null)) {
        return rows.next();
      }
    }
  }

  @Test
  void missingTablesAreNamedWhenAStatementFails() {
    String prefix = db().prefix + "none_";
    JdbcSessionStore missing = db().storeBuilder(db().dataSource()).tablePrefix(prefix).build();

    assertThatThrownBy(() -> missing.findById("0123456789abcdef"))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("findById")
        .hasMessageContaining("the tables " + prefix + "session_attributes, " + prefix
            + "sessions, " + prefix + "remember_me_series, " + prefix + "principals do not exist")
        .hasMessageContaining("createSchema()");
    assertThatThrownBy(missing::verifySchema).isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("do not exist");
  }

  @Test
  void theStoreCheckIsUpWhenTheDatabaseAnswers() {
    StoreHealth health = SessionManager.builder().store(store).build()
        .checkStore(Duration.ofSeconds(10));

    assertThat(health.up()).as("%s", health).isTrue();
    assertThat(health.stores()).contains("tablePrefix=" + db().prefix);
  }

  @Test
  void theStoreCheckIsDownWhenTheTablesAreMissing() {
    JdbcSessionStore missing = db().storeBuilder(db().dataSource())
        .tablePrefix(db().prefix + "none_").build();

    StoreHealth health = SessionManager.builder().store(missing).build()
        .checkStore(Duration.ofSeconds(10));

    assertThat(health.up()).isFalse();
    assertThat(health.detail()).startsWith("SessionStoreException: ").contains("do not exist");
  }

  // ------------------------------------------------------------------ the SQL mapping

  @Test
  void everyPartOfASessionComesBackAsStored() {
    SessionRecord bare = created(SessionRecord.anonymous("anon-0123456789a", randomHash(),
        Lifetime.startingAt(t0, IDLE, ABSOLUTE), ClientInfo.NONE));
    TokenHash series = randomHash();
    SessionRecord full = new SessionRecord("full-0123456789a", randomHash(),
        new PreviousToken(randomHash(), t0 + 5_000, PreviousToken.Rotation.RENEWAL),
        new Authentication("Zoë Ñandú 山田", t0 - 1, AuthenticationMethod.REMEMBER_ME,
            t0 - 86_400_000L, series),
        new Lifetime(t0 - 10, t0, IDLE, Long.MAX_VALUE),
        ClientInfo.of("2001:db8::1%eth0", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"),
        Map.of("cart", new ArrayList<>(List.of("apple", "pear")), "n", 42L));
    assertThat(store.create(full, 0)).isTrue();

    assertThat(store.findById(bare.id())).contains(bare);
    assertThat(store.findById(full.id())).contains(full);
    assertThat(store.findByTokenHash(full.tokenHash())).contains(full);
    assertThat(store.findByTokenHash(full.previousToken().hash())).contains(full);
    assertThat(store.findByPrincipal("Zoë Ñandú 山田", t0)).containsExactly(full);
  }

  @Test
  void theFenceRefusesAStaleLoginButNotARenewalOfTheSamePrincipal() {
    SessionRecord kept = created(session("alice", t0));
    SessionRecord anonymousVisit = created(anonymous(t0));
    assertThat(store.principalGeneration("alice")).isZero();

    assertThat(store.revokePrincipal("alice", Set.of(kept.id()), 3)).isEmpty();
    assertThat(store.principalGeneration("alice")).isEqualTo(3);

    assertThat(store.create(session("alice", t0), 2)).as("stale create").isFalse();
    SessionRecord login = anonymousVisit.authenticated(randomHash(), login("alice", t0),
        ABSOLUTE, ClientInfo.NONE, t0 + 5_000, t0);
    assertThat(store.rotate(anonymousVisit.id(), anonymousVisit.tokenHash(), login, 2))
        .as("stale login rotation").isFalse();
    assertThat(store.findById(anonymousVisit.id()).orElseThrow().isAuthenticated()).isFalse();
    SessionRecord renewal = kept.rotated(randomHash(), PreviousToken.Rotation.RENEWAL, t0 + 5_000,
        t0);
    assertThat(store.rotate(kept.id(), kept.tokenHash(), renewal, 2))
        .as("a renewal of a session that already belongs to the principal").isTrue();

    assertThat(store.create(session("alice", t0), 3)).isTrue();
    assertThat(store.rotate(anonymousVisit.id(), anonymousVisit.tokenHash(), login, 3)).isTrue();
    assertThat(store.create(session(null, t0), 0)).as("anonymous: no fence").isTrue();
    assertThat(store.principalGeneration("bob")).isZero();
  }

  @Test
  void revokePrincipalNeverLowersTheGenerationAndDeletesExpiredSessionsAndAttributesToo()
      throws SQLException {
    SessionRecord expired = created(session("alice", t0 - 2 * IDLE)
        .withAttributes(Map.of("cart", "apple")));
    SessionRecord kept = created(session("alice", t0));
    SessionRecord bob = created(session("bob", t0));

    assertThat(store.revokePrincipal("alice", Set.of(kept.id()), 5))
        .containsExactly(expired.id());
    assertThat(store.revokePrincipal("alice", Set.of(kept.id()), 2)).isEmpty();

    assertThat(store.principalGeneration("alice")).isEqualTo(5);
    assertThat(rowCount(store.attributesTable())).isZero();
    assertThat(store.findById(kept.id())).isPresent();
    assertThat(store.findById(bob.id())).isPresent();
    assertThat(store.revokePrincipal("alice", Set.of(), 6)).containsExactly(kept.id());
  }

  @Test
  void aCorruptSessionRowIsTreatedAsAbsentAndRemoved() throws Exception {
    SessionRecord record = created(session("alice", t0));
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE " + store.sessionsTable()
            + " SET authentication_method = 'FORGED' WHERE session_id = ?")) {
      ps.setString(1, record.id());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.delete(record.id())).as("already removed").isFalse();
  }

  // ------------------------------------------------------------------ exact keys

  @Test
  void principalsAndAttributeNamesCompareExactly() {
    SessionRecord lower = created(session("alice", t0).withAttributes(Map.of("cart", 1,
        "Cart", 2)));
    SessionRecord upper = created(session("Alice", t0));
    SessionRecord spaced = created(session("alice ", t0));

    assertThat(store.findByPrincipal("alice", t0)).extracting(SessionRecord::id)
        .containsExactly(lower.id());
    assertThat(store.findById(lower.id()).orElseThrow().attributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("cart", 1, "Cart", 2));
    assertThat(store.revokePrincipal("alice", Set.of(), 1)).containsExactly(lower.id());
    assertThat(store.findById(upper.id())).isPresent();
    assertThat(store.findById(spaced.id())).isPresent();
    assertThat(store.principalGeneration("Alice")).isZero();
    assertThat(store.principalGeneration("alice ")).isZero();

    SessionRecord unicode = created(session("Zoë Ñandú 山田", t0)
        .withAttributes(Map.of("größe", "L")));
    assertThat(store.findByPrincipal("Zoë Ñandú 山田", t0)).containsExactly(unicode);
    assertThat(store.findByPrincipal("Zoe Ñandú 山田", t0)).isEmpty();
  }

  @Test
  void anAttributeThatCannotBeEncodedFailsClearlyAndWritesNothing() {
    SessionRecord record = created(session("alice", t0).withAttributes(Map.of("cart", "apple")));

    assertThatThrownBy(() -> store.updateAttributes(record.id(), record.principal(),
        Map.of("ok", "fine", "socket", new Object()), Set.of("cart")))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining("socket");

    assertThat(store.findById(record.id()).orElseThrow().attributes())
        .containsExactlyEntriesOf(Map.of("cart", "apple"));
  }

  // ------------------------------------------------------------------ the fence, concurrently

  /**
   * A force logout on one app server races a fenced login (create) and a fenced login from an
   * anonymous session (rotate) of the same principal on two others, each with its own connection
   * pool, round after round; half the rounds use a principal without a row yet, so that the
   * row's creation races too. Whatever the order, no session of the principal that was written
   * with the generation read before the revocation survives it.
   */
  @Test
  void aForceLogoutRacingFencedLoginsLeavesNoSessionWrittenWithAStaleGeneration()
      throws Exception {
    JdbcSessionStore revoker = db().storeBuilder(db().newDataSource()).build();
    JdbcSessionStore creator = db().storeBuilder(db().newDataSource()).build();
    JdbcSessionStore rotator = db().storeBuilder(db().newDataSource()).build();
    int[] outcomes = new int[4]; // created+deleted, refused create, rotated+deleted, refused rotate
    long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    int rounds = 0;
    while (rounds < 150 && System.nanoTime() < deadline) {
      String principal = rounds % 2 == 0 ? "racer-" + rounds : "racer";
      long generation = creator.principalGeneration(principal);
      SessionRecord fresh = session(principal, t0);
      SessionRecord visit = anonymous(t0);
      assertThat(rotator.create(visit, 0)).isTrue();
      SessionRecord loggedIn = visit.authenticated(randomHash(), login(principal, t0), ABSOLUTE,
          ClientInfo.NONE, t0 + 5_000, t0);

      List<Object> results = runTogether(List.<Callable<Object>>of(
          () -> revoker.revokePrincipal(principal, Set.of(), generation + 1),
          () -> creator.create(fresh, generation),
          () -> rotator.rotate(visit.id(), visit.tokenHash(), loggedIn, generation)));

      @SuppressWarnings("unchecked")
      List<String> revoked = (List<String>) results.get(0);
      boolean created = (Boolean) results.get(1);
      boolean rotated = (Boolean) results.get(2);
      assertThat(store.findById(fresh.id())).as("round %d: the fenced create survived", rounds)
          .isEmpty();
      assertThat(revoked.contains(fresh.id())).as("round %d", rounds).isEqualTo(created);
      SessionRecord afterVisit = store.findById(visit.id()).orElse(null);
      if (rotated) {
        assertThat(afterVisit).as("round %d: the fenced rotation survived", rounds).isNull();
        assertThat(revoked).contains(visit.id());
      } else {
        assertThat(afterVisit).isNotNull();
        assertThat(afterVisit.isAuthenticated()).isFalse();
      }
      assertThat(store.principalGeneration(principal)).isGreaterThanOrEqualTo(generation + 1);
      outcomes[created ? 0 : 1]++;
      outcomes[rotated ? 2 : 3]++;
      rounds++;
    }
    System.out.printf("session-jdbc %s fence race: %d rounds; create before revoke %d, refused %d;"
        + " rotate before revoke %d, refused %d%n", db().kind, rounds, outcomes[0], outcomes[1],
        outcomes[2], outcomes[3]);
    assertThat(rounds).isGreaterThanOrEqualTo(20);
    assertThat(store.findByPrincipal("racer", t0)).isEmpty();
  }

  // ------------------------------------------------------------------ two app servers

  @Test
  void twoAppServersChangingDifferentAttributesAtOnceLoseNothing() throws Exception {
    JdbcSessionStore serverA = db().storeBuilder(db().newDataSource()).build();
    JdbcSessionStore serverB = db().storeBuilder(db().newDataSource()).build();
    SessionRecord record = session("alice", t0).withAttributes(Map.of("keep", "me"));
    assertThat(serverA.create(record, 0)).isTrue();

    int perTask = 15;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      JdbcSessionStore server = t % 2 == 0 ? serverA : serverB;
      String name = "server" + (t % 2 == 0 ? "A" : "B") + "-thread" + t;
      tasks.add(() -> {
        for (int i = 0; i < perTask; i++) {
          assertThat(server.updateAttributes(record.id(), record.principal(), Map.of(name + "-" + i, i),
              i > 0 ? Set.of(name + "-gone-" + (i - 1)) : Set.of())).isTrue();
          assertThat(server.updateAttributes(record.id(), record.principal(), Map.of(name + "-gone-" + i, i),
              Set.of())).isTrue();
        }
        return null;
      });
    }
    runTogether(tasks);

    Map<String, Object> attributes = serverB.findById(record.id()).orElseThrow().attributes();
    assertThat(attributes).containsEntry("keep", "me");
    for (int t = 0; t < 4; t++) {
      String name = "server" + (t % 2 == 0 ? "A" : "B") + "-thread" + t;
      for (int i = 0; i < perTask; i++) {
        assertThat(attributes).containsEntry(name + "-" + i, i);
      }
      assertThat(attributes).containsEntry(name + "-gone-" + (perTask - 1), perTask - 1);
    }
    assertThat(attributes).hasSize(1 + 4 * perTask + 4);
  }

  @Test
  void twoAppServersWritingOneAttributeAtOnceBothSucceedAndTheLastWriteWins() throws Exception {
    JdbcSessionStore serverA = db().storeBuilder(db().newDataSource()).build();
    JdbcSessionStore serverB = db().storeBuilder(db().newDataSource()).build();
    SessionRecord record = session("alice", t0);
    assertThat(serverA.create(record, 0)).isTrue();

    List<Callable<Void>> tasks = new ArrayList<>();
    for (JdbcSessionStore server : List.of(serverA, serverB, serverA, serverB)) {
      tasks.add(() -> {
        for (int i = 0; i < 10; i++) {
          assertThat(server.updateAttributes(record.id(), record.principal(), Map.of("counter", i), Set.of()))
              .isTrue();
        }
        return null;
      });
    }
    runTogether(tasks);

    assertThat(serverA.findById(record.id()).orElseThrow().attributes())
        .containsExactlyEntriesOf(Map.of("counter", 9));
  }

  @Test
  void ofTwoAppServersRacingWithOneRememberMeTokenExactlyOneResumes() throws Exception {
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(t0));
    List<SessionEvent.Type> events = new CopyOnWriteArrayList<>();
    SessionManager serverA = SessionManager.builder().clock(clock)
        .store(db().storeBuilder(db().newDataSource()).build())
        .listener(e -> events.add(e.type())).build();
    SessionManager serverB = SessionManager.builder().clock(clock)
        .store(db().storeBuilder(db().newDataSource()).build())
        .listener(e -> events.add(e.type())).build();
    String rememberMe = serverA.authenticate("alice", ClientInfo.NONE, true)
        .rememberMe().orElseThrow().value();

    int rounds = 8;
    for (int round = 0; round < rounds; round++) {
      clock.advance(Duration.ofMinutes(1));
      String presented = rememberMe;
      List<RememberMeResult> results = runTogether(List.of(
          () -> serverA.resumeRememberMe(presented, ClientInfo.NONE),
          () -> serverB.resumeRememberMe(presented, ClientInfo.NONE)));

      assertThat(results).extracting(RememberMeResult::status).containsExactlyInAnyOrder(
          RememberMeResult.Status.RESUMED, RememberMeResult.Status.RECENTLY_ROTATED);
      RememberMeResult winner = results.get(0).status() == RememberMeResult.Status.RESUMED
          ? results.get(0) : results.get(1);
      rememberMe = winner.issued().orElseThrow().rememberMe().orElseThrow().value();
    }

    assertThat(serverB.sessionsOf("alice")).hasSize(1 + rounds);
    assertThat(events).doesNotContain(SessionEvent.Type.REMEMBER_ME_THEFT);
    assertThat(events).filteredOn(t -> t == SessionEvent.Type.REMEMBER_ME_USED).hasSize(rounds);
  }

  // ------------------------------------------------------------------ purge

  @Test
  void purgeRemovesAHundredThousandExpiredSessionsInBoundedBatches() throws Exception {
    int count = 100_000;
    int batchSize = 2_000;
    long lastAccess = t0 - 2 * IDLE;
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(db().kind.bulkInsertSessions(
            store.sessionsTable(), "bulk-user", "bulk-", count))) {
      // No limit on this setup statement: H2 keeps a query timeout per connection, so a pooled
      // connection that a store used carries the store's 5 s, too short for 10^5 rows on a busy
      // machine.
      ps.setQueryTimeout(0);
      long[] values = {lastAccess, lastAccess, lastAccess, lastAccess, IDLE, lastAccess + ABSOLUTE,
          lastAccess + IDLE};
      for (int i = 0; i < values.length; i++) {
        ps.setLong(i + 1, values[i]);
      }
      assertThat(ps.executeUpdate()).isEqualTo(count);
    }
    SessionRecord live = created(session("bulk-user", t0));
    SessionRecord expiredWithAttributes = created(session("bulk-user", lastAccess)
        .withAttributes(Map.of("cart", "apple")));

    RecordingDataSource recording = new RecordingDataSource(db().dataSource(),
        "DELETE FROM " + store.sessionsTable());
    JdbcSessionStore purger = db().storeBuilder(recording.dataSource)
        .purgeBatchSize(batchSize).build();
    Set<String> purged = new HashSet<>();
    List<ExpiredSession> call;
    int calls = 0;
    do {
      call = purger.purgeExpired(t0, 25_000);
      call.forEach(e -> assertThat(purged.add(e.sessionId())).isTrue());
      calls++;
    } while (call.size() == 25_000 && calls < 10);

    assertThat(purged).hasSize(count + 1).contains("bulk-1", "bulk-" + count,
        expiredWithAttributes.id());
    // Every transaction deleted at most one batch, and together they deleted every due session.
    assertThat(recording.rowsPerTransaction)
        .allSatisfy(n -> assertThat(n).isBetween(1, batchSize));
    assertThat(recording.rowsPerTransaction.stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(count + 1);
    assertThat(store.findById(live.id())).isPresent();
    assertThat(store.findByPrincipal("bulk-user", t0)).extracting(SessionRecord::id)
        .containsExactly(live.id());
    assertThat(rowCount(store.attributesTable())).isZero();
  }

  @Test
  void purgeExpiredSeriesRemovesOnlyDueSeriesInBatches() {
    JdbcSessionStore purger = db().storeBuilder(db().dataSource()).purgeBatchSize(2).build();
    List<RememberMeSeries> due = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RememberMeSeries s = series("alice", t0 - StoreFixtures.SERIES_LIFETIME - i, "s" + i, 0);
      store.createSeries(s);
      due.add(s);
    }
    RememberMeSeries live = series("alice", t0, "live", 0);
    store.createSeries(live);

    assertThat(purger.purgeExpiredSeries(t0, 3)).isEqualTo(3);
    assertThat(purger.purgeExpiredSeries(t0, 10)).isEqualTo(2);
    for (RememberMeSeries s : due) {
      assertThat(store.findSeries(s.selectorHash())).isEmpty();
    }
    assertThat(store.findSeries(live.selectorHash())).isPresent();
  }

  private long rowCount(String table) throws SQLException {
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
        ResultSet rows = ps.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  // ------------------------------------------------------------------ codec

  @Test
  void aClassOutsideTheAllowListIsNeverDeserializedAndItsSessionIsRemoved() throws Exception {
    JdbcSessionStore allowing = db().storeBuilder(db().dataSource())
        .codec(JavaSerializationCodec.builder().allow(Gadget.class.getName()).build()).build();
    SessionRecord record = session("alice", t0)
        .withAttributes(Map.of("gadget", new Gadget("x"), "cart", "apple"));
    assertThat(allowing.create(record, 0)).isTrue();

    // Control: a codec that allows the class does run its code.
    Gadget.ran = false;
    assertThat(allowing.findById(record.id()).orElseThrow().attributes().get("gadget"))
        .isInstanceOf(Gadget.class);
    assertThat(Gadget.ran).isTrue();

    Gadget.ran = false;
    String log = capturingStandardError(() ->
        assertThat(store.findByTokenHash(record.tokenHash())).isEmpty());

    assertThat(Gadget.ran).as("the disallowed class's readObject ran").isFalse();
    assertThat(log).contains("WARN", record.id(), Gadget.class.getName(), "allow-list")
        .doesNotContain(record.tokenHash().toBase64Url());
    assertThat(rowCount(store.sessionsTable())).isZero();
    assertThat(rowCount(store.attributesTable())).isZero();
  }

  private static String capturingStandardError(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  // ------------------------------------------------------------------ no secrets stored

  /**
   * A visit, a login with remember-me, a resume from the remember-me token on a later visit and a
   * renewal, done through the SPI as the manager does them; then every column of every row of the
   * four tables is searched for the secrets (tokens, selector, validators) as text and as bytes.
   */
  @Test
  void noTokenSelectorOrValidatorIsStoredInAnyColumnThroughTheSpi() throws Exception {
    ClientInfo client = ClientInfo.of("203.0.113.9", "Firefox");
    String visitToken = newToken();
    SessionRecord visit = created(SessionRecord.anonymous("visit-0123456789", hashOf(visitToken),
        Lifetime.startingAt(t0, IDLE, ABSOLUTE), client));
    assertThat(store.updateAttributes(visit.id(), visit.principal(), Map.of("cart", "apple"), Set.of())).isTrue();

    long generation = store.principalGeneration("alice");
    String loginToken = newToken();
    String selector = newSelector();
    String firstValidator = newToken();
    RememberMeSeries issued = RememberMeSeries.issue(hashOf(selector), "alice",
        hashOf(firstValidator), t0, StoreFixtures.SERIES_LIFETIME, visit.id(), generation);
    store.createSeries(issued);
    SessionRecord loggedIn = visit.authenticated(hashOf(loginToken),
        Authentication.interactive("alice", t0, hashOf(selector)), ABSOLUTE, client, t0 + 5_000, t0);
    assertThat(store.rotate(visit.id(), visit.tokenHash(), loggedIn, generation)).isTrue();

    long later = t0 + Duration.ofHours(1).toMillis();
    String secondValidator = newToken();
    String resumedToken = newToken();
    RememberMeSeries used = issued.rotated(hashOf(firstValidator), hashOf(secondValidator),
        later + 5_000, later, "resume-012345678");
    assertThat(store.replaceSeries(used, hashOf(firstValidator))).isTrue();
    SessionRecord resumed = created(SessionRecord.authenticated("resume-012345678",
        hashOf(resumedToken), Authentication.rememberMe("alice", later, t0, hashOf(selector)),
        Lifetime.startingAt(later, IDLE, ABSOLUTE), client));
    assertThat(store.replaceSeries(used.confirmed(), hashOf(secondValidator))).isTrue();
    String renewedToken = newToken();
    assertThat(store.rotate(resumed.id(), resumed.tokenHash(), resumed.rotated(
        hashOf(renewedToken), PreviousToken.Rotation.RENEWAL, later + 5_000, later),
        Long.MAX_VALUE)).isTrue();
    assertThat(store.revokePrincipal("alice", Set.of(visit.id(), resumed.id()), 1)).isEmpty();

    List<String> secrets = List.of(visitToken, loginToken, resumedToken, renewedToken, selector,
        firstValidator, secondValidator, selector + "." + firstValidator,
        selector + "." + secondValidator);
    List<byte[]> cells = everyCell();

    // The scan sees every kind of stored value: current and previous token hashes, the selector
    // hash (series key and the sessions' link), validator hashes, attributes, generations.
    for (TokenHash stored : List.of(hashOf(renewedToken), hashOf(resumedToken),
        hashOf(loginToken), hashOf(visitToken), hashOf(selector), hashOf(secondValidator),
        hashOf(firstValidator))) {
      assertThat(cells).anySatisfy(cell -> assertThat(cell).isEqualTo(stored.toBytes()));
    }
    assertThat(cells).anySatisfy(cell -> assertThat(indexOf(cell, bytes("apple"))).isNotNegative());
    assertThat(cells).anySatisfy(cell -> assertThat(cell).isEqualTo(bytes("alice")));
    assertNoSecretIn(cells, secrets);
  }

  @Test
  void noTokenOrRememberMeValueIsStoredInAnyColumnThroughTheManager() throws Exception {
    MutableClock clock = MutableClock.at(Instant.ofEpochMilli(t0));
    SessionManager manager = SessionManager.builder().store(store).clock(clock).build();
    List<String> secrets = new ArrayList<>();

    IssuedSession visit = manager.startAnonymous(ClientInfo.of("203.0.113.9", "Firefox"));
    secrets.add(visit.token());
    visit.session().putAttribute("cart", new ArrayList<>(List.of("apple")));
    clock.advance(Duration.ofSeconds(5));
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    secrets.add(login.token());
    String firstRememberMe = login.rememberMe().orElseThrow().value();
    secrets.add(firstRememberMe);
    clock.advance(Duration.ofSeconds(5));
    assertThat(manager.resolve(login.token())).isPresent();
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    secrets.add(renewed.token());
    renewed.session().putAttribute("theme", "dark");
    clock.advance(Duration.ofMinutes(1));
    IssuedSession resumed = manager.resumeRememberMe(firstRememberMe, ClientInfo.NONE).issued()
        .orElseThrow();
    secrets.add(resumed.token());
    secrets.add(resumed.rememberMe().orElseThrow().value());
    IssuedSession laptop = manager.authenticate("alice", ClientInfo.of("198.51.100.4", "Safari"),
        true);
    secrets.add(laptop.token());
    secrets.add(laptop.rememberMe().orElseThrow().value());
    IssuedSession gone = manager.authenticate("bob", ClientInfo.NONE, false);
    secrets.add(gone.token());
    manager.logout(gone.token());

    List<String> parts = new ArrayList<>(secrets);
    for (String secret : secrets) {
      int dot = secret.indexOf('.');
      if (dot > 0) {
        parts.add(secret.substring(0, dot));    // the selector
        parts.add(secret.substring(dot + 1));   // the validator
      }
    }
    List<byte[]> cells = everyCell();

    assertThat(cells).anySatisfy(cell ->
        assertThat(cell).isEqualTo(hashOf(renewed.token()).toBytes()));
    assertThat(cells).anySatisfy(cell ->
        assertThat(indexOf(cell, bytes("apple"))).isNotNegative());
    assertNoSecretIn(cells, parts);
  }

  /** Fails if any cell holds any secret as text or as its decoded bytes. */
  private static void assertNoSecretIn(List<byte[]> cells, List<String> secrets) {
    List<byte[]> needles = new ArrayList<>();
    for (String secret : secrets) {
      needles.add(bytes(secret));
      if (secret.indexOf('.') < 0) {
        needles.add(Base64.getUrlDecoder().decode(secret));
      }
    }
    for (byte[] cell : cells) {
      for (byte[] needle : needles) {
        assertThat(indexOf(cell, needle)).as("a secret in a stored column").isNegative();
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns every non-null cell of every table of the store, as bytes. */
  private List<byte[]> everyCell() throws SQLException {
    List<byte[]> cells = new ArrayList<>();
    for (String table : List.of(store.sessionsTable(), store.attributesTable(),
        store.rememberMeSeriesTable(), store.principalsTable())) {
      List<byte[]> ofTable = new ArrayList<>();
      try (Connection c = db().dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
          ResultSet rows = ps.executeQuery()) {
        ResultSetMetaData md = rows.getMetaData();
        while (rows.next()) {
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object value = rows.getObject(i);
            if (value instanceof byte[] b) {
              ofTable.add(b);
            } else if (value instanceof Blob blob) {
              ofTable.add(blob.getBytes(1, (int) blob.length()));
            } else if (value != null) {
              ofTable.add(bytes(value.toString()));
            }
          }
        }
      }
      assertThat(ofTable).as("rows of " + table).isNotEmpty();
      cells.addAll(ofTable);
    }
    return cells;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ------------------------------------------------------------------ factory

  @Test
  void theFactoryBuildsTheStoreFromTheJdbcUrl() {
    SessionStoreFactory factory = SessionStoreFactory.forLocation(db().kind.url,
        getClass().getClassLoader()).orElseThrow();
    assertThat(factory).isInstanceOf(JdbcSessionStoreFactory.class);

    try (Stores fromUrl = factory.create(Map.of(SessionStoreFactory.LOCATION, db().kind.url,
        JdbcSessionStoreFactory.TABLE_PREFIX, db().prefix))) {
      assertThat(fromUrl.sessions()).isSameAs(fromUrl.rememberMe());
      assertThat(((JdbcSessionStore) fromUrl.sessions()).dialect()).isEqualTo(store.dialect());
      SessionManager manager = SessionManager.builder().stores(fromUrl).build();
      IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
      assertThat(store.findByTokenHash(hashOf(login.token()))).isPresent();
      assertThat(store.findByPrincipal("alice", System.currentTimeMillis())).hasSize(1);
    }
  }
}
