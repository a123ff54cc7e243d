package dev.sessionkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.ClientInfo;
import dev.sessionkit.IssuedSession;
import dev.sessionkit.MutableClock;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionManager;
import dev.sessionkit.internal.Tokens;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.ExpiredSession;
import dev.sessionkit.spi.JavaSerializationCodec;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.contract.SessionStoreContract;
import java.io.ByteArrayOutputStream;
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
import org.junit.jupiter.api.Test;

/**
 * The store contract suite plus the JDBC store's own tests, run against one database; a subclass
 * per database supplies it as a {@link Database} extension.
 */
abstract class JdbcSessionStoreTestBase extends SessionStoreContract {

  /** The database and tables of the concrete test class. */
  protected abstract Database db();

  @Override
  protected SessionStore createStore() {
    try {
      db().clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test tables", e);
    }
    return db().store();
  }

  @Override
  protected void corruptAttributes(SessionStore target, String sessionId) throws Exception {
    String table = ((JdbcSessionStore) target).attributesTable();
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE " + table + " SET attribute_value = ? WHERE session_id = ?")) {
      ps.setBytes(1, new byte[] {1, 2, 3});
      ps.setString(2, sessionId);
      assertThat(ps.executeUpdate()).isPositive();
    }
  }

  @Test
  void aCorruptSessionRowIsTreatedAsAbsentAndRemoved() throws Exception {
    SessionRecord record = session("alice", t0);
    store.create(record);
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE " + jdbc().sessionsTable()
            + " SET authentication_method = 'FORGED' WHERE session_id = ?")) {
      ps.setString(1, record.id());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    assertThat(store.findByTokenHash(record.tokenHash())).isEmpty();
    assertThat(store.findById(record.id())).isEmpty();
    assertThat(store.findByPrincipal("alice", t0)).isEmpty();
    assertThat(store.delete(record.id())).as("already removed").isFalse();
  }

  private JdbcSessionStore jdbc() {
    return (JdbcSessionStore) store;
  }

  // ------------------------------------------------------------------ schema

  @Test
  void theDialectIsDetectedFromTheConnection() {
    assertThat(jdbc().dialect()).isEqualTo(SqlDialect.valueOf(db().kind.name()));
  }

  @Test
  void createSchemaIsIdempotentAndKeepsTheData() {
    SessionRecord record = session("alice", t0);
    store.create(record);

    jdbc().createSchema();
    jdbc().createSchema();

    assertThat(store.findByTokenHash(record.tokenHash())).contains(record);
  }

  @Test
  void tokenHashPrincipalAndExpiryAreIndexed() throws SQLException {
    try (Connection c = db().dataSource().getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(leadingIndexColumns(md, jdbc().sessionsTable()))
          .contains("session_id", "token_hash", "principal", "expires_at");
      assertThat(leadingIndexColumns(md, jdbc().attributesTable())).contains("session_id");
      assertThat(leadingIndexColumns(md, jdbc().rememberMeSeriesTable()))
          .contains("selector", "principal", "expires_at");
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

  // ------------------------------------------------------------------ exact keys

  @Test
  void principalsAndAttributeNamesCompareExactly() {
    SessionRecord lower = session("alice", t0).withAttributes(Map.of("cart", 1, "Cart", 2));
    SessionRecord upper = session("Alice", t0);
    SessionRecord spaced = session("alice ", t0);
    for (SessionRecord r : List.of(lower, upper, spaced)) {
      store.create(r);
    }

    assertThat(store.findByPrincipal("alice", t0)).extracting(SessionRecord::id)
        .containsExactly(lower.id());
    assertThat(store.findById(lower.id()).orElseThrow().attributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("cart", 1, "Cart", 2));
    assertThat(store.deleteByPrincipal("alice", Set.of())).containsExactly(lower.id());
    assertThat(store.findById(upper.id())).isPresent();
    assertThat(store.findById(spaced.id())).isPresent();

    SessionRecord unicode = session("Zoë Ñandú 山田", t0).withAttributes(Map.of("größe", "L"));
    store.create(unicode);
    assertThat(store.findByPrincipal("Zoë Ñandú 山田", t0)).containsExactly(unicode);
    assertThat(store.findByPrincipal("Zoe Ñandú 山田", t0)).isEmpty();
  }

  @Test
  void anAttributeThatCannotBeEncodedFailsClearlyAndWritesNothing() {
    SessionRecord record = session("alice", t0).withAttributes(Map.of("cart", "apple"));
    store.create(record);

    assertThatThrownBy(() -> store.updateAttributes(record.id(),
        Map.of("ok", "fine", "socket", new Object()), Set.of("cart")))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining("socket");

    assertThat(store.findById(record.id()).orElseThrow().attributes())
        .containsExactlyEntriesOf(Map.of("cart", "apple"));
  }

  // ------------------------------------------------------------------ two app servers

  @Test
  void twoAppServersChangingDifferentAttributesAtOnceLoseNothing() throws Exception {
    JdbcSessionStore serverA = db().storeBuilder(db().newDataSource()).build();
    JdbcSessionStore serverB = db().storeBuilder(db().newDataSource()).build();
    SessionRecord record = session("alice", t0).withAttributes(Map.of("keep", "me"));
    serverA.create(record);

    int perTask = 15;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      JdbcSessionStore server = t % 2 == 0 ? serverA : serverB;
      String name = "server" + (t % 2 == 0 ? "A" : "B") + "-thread" + t;
      tasks.add(() -> {
        for (int i = 0; i < perTask; i++) {
          assertThat(server.updateAttributes(record.id(), Map.of(name + "-" + i, i),
              i > 0 ? Set.of(name + "-gone-" + (i - 1)) : Set.of())).isTrue();
          assertThat(server.updateAttributes(record.id(), Map.of(name + "-gone-" + i, i),
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
    serverA.create(record);

    List<Callable<Void>> tasks = new ArrayList<>();
    for (JdbcSessionStore server : List.of(serverA, serverB, serverA, serverB)) {
      tasks.add(() -> {
        for (int i = 0; i < 10; i++) {
          assertThat(server.updateAttributes(record.id(), Map.of("counter", i), Set.of()))
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
            jdbc().sessionsTable(), "bulk-user", "bulk-", count))) {
      long[] values = {lastAccess, lastAccess, lastAccess, IDLE, lastAccess + ABSOLUTE,
          lastAccess + IDLE};
      for (int i = 0; i < values.length; i++) {
        ps.setLong(i + 1, values[i]);
      }
      assertThat(ps.executeUpdate()).isEqualTo(count);
    }
    SessionRecord live = session("bulk-user", t0);
    SessionRecord expiredWithAttributes = session("bulk-user", lastAccess)
        .withAttributes(Map.of("cart", "apple"));
    store.create(live);
    store.create(expiredWithAttributes);

    RecordingDataSource recording = new RecordingDataSource(db().dataSource(),
        "DELETE FROM " + jdbc().sessionsTable());
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
    assertThat(rowCount(jdbc().attributesTable())).isZero();
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
    allowing.create(record);

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
    assertThat(rowCount(jdbc().sessionsTable())).isZero();
    assertThat(rowCount(jdbc().attributesTable())).isZero();
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

  @Test
  void noTokenOrRememberMeValidatorIsStoredInAnyColumn() throws Exception {
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

    List<byte[]> needles = new ArrayList<>();
    for (String secret : secrets) {
      int dot = secret.indexOf('.');
      String token = dot < 0 ? secret : secret.substring(dot + 1);   // a validator
      needles.add(secret.getBytes(StandardCharsets.US_ASCII));
      needles.add(token.getBytes(StandardCharsets.US_ASCII));
      needles.add(Base64.getUrlDecoder().decode(token));               // the raw 32 bytes
    }
    List<byte[]> cells = new ArrayList<>();
    for (String table : List.of(jdbc().sessionsTable(), jdbc().attributesTable(),
        jdbc().rememberMeSeriesTable())) {
      cells.addAll(everyCell(table));
    }

    // The scan sees the binary columns: the current session's token hash and its attributes.
    assertThat(cells).anySatisfy(cell ->
        assertThat(cell).isEqualTo(Tokens.hash(renewed.token()).toBytes()));
    assertThat(cells).anySatisfy(cell ->
        assertThat(indexOf(cell, "apple".getBytes(StandardCharsets.US_ASCII))).isNotNegative());
    for (byte[] cell : cells) {
      for (byte[] needle : needles) {
        assertThat(indexOf(cell, needle)).as("a secret in a stored column").isNegative();
      }
    }
  }

  private List<byte[]> everyCell(String table) throws SQLException {
    List<byte[]> cells = new ArrayList<>();
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
        ResultSet rows = ps.executeQuery()) {
      ResultSetMetaData md = rows.getMetaData();
      while (rows.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object value = rows.getObject(i);
          if (value instanceof byte[] bytes) {
            cells.add(bytes);
          } else if (value instanceof Blob blob) {
            cells.add(blob.getBytes(1, (int) blob.length()));
          } else if (value != null) {
            cells.add(value.toString().getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    assertThat(cells).as("rows of " + table).isNotEmpty();
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

    try (SessionStore fromUrl = factory.create(Map.of(SessionStoreFactory.LOCATION, db().kind.url,
        JdbcSessionStoreFactory.TABLE_PREFIX, db().prefix))) {
      assertThat(((JdbcSessionStore) fromUrl).dialect()).isEqualTo(jdbc().dialect());
      SessionManager manager = SessionManager.builder().store(fromUrl).build();
      IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
      assertThat(store.findByTokenHash(Tokens.hash(login.token()))).isPresent();
    }
  }
}
