// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  /**
   * A JMH result in the shape JMH 1.37 writes with -rf json, whose best iteration is {@code best}
   * and whose mean is three quarters of it.
   */
  private static String result(String method, int threads, String params, double best,
      String unit, String secondary) {
    return """
        {
          "jmhVersion" : "1.37",
          "benchmark" : "dev.sessionkit.jmh.%s",
          "mode" : "%s",
          "threads" : %d,
          "forks" : 1,
          "jdkVersion" : "17.0.15",
          "vmName" : "OpenJDK 64-Bit Server VM",
          "warmupIterations" : 2,
          "warmupTime" : "2 s",
          "measurementIterations" : 3,
          "measurementTime" : "2 s",
          %s
          "primaryMetric" : {
            "score" : %s,
            "scoreError" : "NaN",
            "scoreUnit" : "%s",
            "rawData" : [ [ %s, %s, %s ] ]
          },
          "secondaryMetrics" : { %s }
        }""".formatted(method, unit.startsWith("ops") ? "thrpt" : "ss", threads,
        params.isEmpty() ? "" : "\"params\" : { " + params + " },", 0.75 * best, unit,
        0.5 * best, best, 0.75 * best, secondary);
  }

  private static String alloc(double bytes) {
    return "\"gc.alloc.rate.norm\" : { \"score\" : " + bytes
        + ", \"scoreUnit\" : \"B/op\", \"rawData\" : [ [ " + bytes + " ] ] }";
  }

  private static String footprint(double bytes) {
    return "\"bytesPerSession\" : { \"score\" : " + 3 * bytes
        + ", \"scoreUnit\" : \"#\", \"rawData\" : [ [ " + bytes + ", " + bytes + ", " + bytes
        + " ] ] }";
  }

  private static String run(double oursOneThread, double footprintBytes) {
    String k = "\"sessionsOfPrincipal\" : \"%s\"";
    return "[" + String.join(",",
        result("FloorBenchmark.perRequestFloor_1t", 1, "", 800, "ops/ms", alloc(96)),
        result("FloorBenchmark.perRequestFloor_2t", 2, "", 1500, "ops/ms", alloc(96)),
        result("ResolveBenchmark.sessionkitEveryRequestWrites_1t", 1, "", oursOneThread, "ops/ms",
            alloc(oursOneThread > 500 ? 40 : 280)),
        result("ResolveBenchmark.sessionkitEveryRequestWrites_2t", 2, "", 1400, "ops/ms",
            alloc(40)),
        result("ResolveBenchmark.springFindTouchSave_1t", 1, "", 400, "ops/ms", alloc(1200)),
        result("ResolveBenchmark.springFindTouchSave_2t", 2, "", 500, "ops/ms", alloc(1200)),
        result("TokenBenchmark.sessionkitSecure_1t", 1, "", 1000, "ops/ms", ""),
        result("TokenBenchmark.sessionkitSecure_2t", 2, "", 1797, "ops/ms", ""),
        result("ForceLogoutBenchmark.sessionkitLogoutAll", 1, k.formatted(1), 1000, "ops/ms", ""),
        result("ForceLogoutBenchmark.sessionkitLogoutAll", 1, k.formatted(100), 12, "ops/ms", ""),
        result("ForceLogoutBenchmark.springScan", 1, k.formatted(1), 0.5, "ops/ms", ""),
        result("FootprintBenchmark.sessionkit", 1, "", 13, "us/op", footprint(footprintBytes)),
        result("FootprintBenchmark.spring", 1, "", 13, "us/op", footprint(236)),
        result("RedisPathBenchmark.sessionkitResolve", 1, "\"touch\" : \"every\"", 10,
            "ops/ms", ""),
        result("RedisPathBenchmark.roundTripFloor", 1, "\"touch\" : \"every\"", 20, "ops/ms",
            ""),
        result("JdbcPathBenchmark.sessionkitResolve", 1, "\"touch\" : \"every\"", 4, "ops/ms",
            ""),
        result("JdbcPathBenchmark.primaryKeyUpdate", 1, "\"touch\" : \"every\"", 10, "ops/ms",
            ""),
        result("ServletPathBenchmark.request", 1, servlet("jetty", "none"), 10000, "ops/s", ""),
        result("ServletPathBenchmark.request", 1, servlet("jetty", "container"), 8000, "ops/s",
            ""),
        result("ServletPathBenchmark.request", 1, servlet("jetty", "sessionkit"),
            oursOneThread > 500 ? 7900 : 7000, "ops/s", ""),
        result("ServletPathBenchmark.request", 1, servlet("tomcat", "none"), 12000, "ops/s", ""),
        result("ServletPathBenchmark.request", 1, servlet("tomcat", "container"), 11000,
            "ops/s", ""),
        result("ServletPathBenchmark.request", 1, servlet("tomcat", "sessionkit"),
            oursOneThread > 500 ? 11000 : 9000, "ops/s", ""),
        result("LifecycleBenchmark.sessionkitLogin", 1, "", oursOneThread > 500 ? 900 : 500,
            "ops/ms", alloc(600)),
        result("LifecycleBenchmark.tomcatLogin", 1, "", 1000, "ops/ms", alloc(400)))
        + "]";
  }

  @Test
  void marksEachTargetMetOrMissedFromTheRatios() {
    String table = Summary.render(JmhResult.parse(run(700, 150)));

    assertThat(table)
        .contains("Run: JMH 1.37, JDK 17.0.15 (OpenJDK 64-Bit Server VM),"
            + " -f 1 -wi 2 -i 3 -w 2 s -r 2 s")
        .contains("| resolve-and-touch (touchInterval 0: every request writes) vs the per-request"
            + " floor (SHA-256 + map hit + timestamp write), 1 thread | 1.43 µs vs 1.25 µs:"
            + " 1.14x the floor | ≤ 1.25x | met |")
        .contains("| resolve-and-touch vs Spring Session, 2 threads | 1400 vs 500 ops/ms: 2.80x"
            + " faster | ≥ 2.00x faster | met |")
        .contains("| resolve-and-touch throughput, 2 threads vs 1 | 2.00x (floor 1.88x; Spring"
            + " 1.25x) | ≥ 1.8x | met |")
        .contains("base64url) throughput, 2 threads vs 1 | 1.80x | ≥ 1.8x | met |")
        .contains("| force logout (logoutAll) of a principal with 100 vs 1 sessions among 10^5 |"
            + " 83.3x (1: 1.00 µs, 100: 83.3 µs); Spring's scan of all sessions: 2000 µs |"
            + " about 100x (≤ 150x), not a scan | met |")
        .contains("| retained heap per empty session at 10^6 sessions | 150 B (Spring MapSession"
            + " 236 B, Tomcat StandardSession ? B) | ≤ 160 B, below Spring and Tomcat | met |")
        .contains("| allocation per resolve-and-touch (every request writes, 1 thread) | 40.0 B/op"
            + " (floor 96.0, Spring 1200, Tomcat ?) | < 48 B/op | met |")
        .contains("| login vs Tomcat's StandardManager, 1 thread | 1.11 µs vs 1.00 µs: 1.11x"
            + " Tomcat's time; 600 B/op | ≤ 1.2x | met |")
        .contains("| logout vs Tomcat (LifecycleBenchmark) | not in this run | — | n/a |")
        .contains("Ratios and µs/op use each benchmark's best measurement iteration.")
        .contains("| FootprintBenchmark.sessionkit | 1 |  | 150 |  | bytes/session |  |  |")
        .contains("| ResolveBenchmark.springFindTouchSave_2t | 2 |  | 375 | 500 | ops/ms | 4.00 |"
            + " 1200 |")
        .contains("| Redis resolve-and-touch (every request writes): 1 EVALSHA, counted by"
            + " RedisSessionStoreTest; Spring's repository: 4 commands | 100 µs vs one GET"
            + " 50.0 µs: 2.00x | 1 round trip (≤ 2x one GET) | met |")
        .contains("| PostgreSQL resolve-and-touch (every request writes): 1 statement, counted by"
            + " JdbcSessionStoreTestBase (MariaDB, H2: 2) | 250 µs vs one primary-key UPDATE 100 µs:"
            + " 2.50x | 1 round trip (≤ 2x one primary-key UPDATE) | **MISSED** |")
        .contains("(a) 10000, (b) 8000, (c) 7900 req/s: (c) is 0.988x (b); (c) costs 26.6"
            + " µs/request over (a) and 1.58 µs over (b) | (c) ≥ 0.97x (b) | met |")
        .contains("| servlet path, embedded Tomcat on loopback, 1 client thread: requests/s (a) no"
            + " session, (b) container HttpSession, (c) Sessionkit filter + in-memory store |"
            + " (a) 12000, (b) 11000, (c) 11000 req/s: (c) is 1.00x (b);");
  }

  /** The params of a ServletPathBenchmark result, as JMH writes them. */
  private static String servlet(String server, String session) {
    return "\"server\" : \"" + server + "\", \"session\" : \"" + session + "\"";
  }

  @Test
  void marksMissedTargets() {
    String table = Summary.render(JmhResult.parse(run(300, 354)));

    assertThat(table)
        .contains("3.33 µs vs 1.25 µs: 2.67x the floor | ≤ 1.25x | **MISSED** |")
        .contains("300 vs 400 ops/ms: 0.750x faster | ≥ 1.25x faster | **MISSED** |")
        .contains("| 354 B (Spring MapSession 236 B, Tomcat StandardSession ? B) |"
            + " ≤ 160 B, below Spring and Tomcat | **MISSED** |")
        .contains("280 B/op (floor 96.0, Spring 1200, Tomcat ?) | < 48 B/op | **MISSED** |")
        .contains("2.00 µs vs 1.00 µs: 2.00x Tomcat's time; 600 B/op | ≤ 1.2x | **MISSED** |")
        .contains("(c) is 0.875x (b)")
        .contains("| resolve-and-touch throughput, 2 threads vs 1 | 4.67x");
  }

  @Test
  void marksImpossibleRatiosAsDisturbed() {
    String table = Summary.render(JmhResult.parse(run(900, 150)));

    assertThat(table).contains("1.11 µs vs 1.25 µs: 0.889x the floor | ≤ 1.25x | disturbed"
        + " (Sessionkit measured faster than the floor it contains: the floor was slowed by other"
        + " work); rerun |");
  }

  @Test
  void saysWhatIsNotInTheRun() {
    String table = Summary.render(List.of());

    assertThat(table).contains("| resolve-and-touch vs the per-request floor | not in this run"
        + " | — | n/a |");
    assertThat(table).contains("| force logout, 100 vs 1 sessions of a principal | not in this"
        + " run | — | n/a |");
  }

  @Test
  void rejectsWhatIsNotJmhJson() {
    assertThatThrownBy(() -> JmhResult.parse("{\"benchmark\": 1}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array");
    assertThatThrownBy(() -> JmhResult.parse("[ {\"benchmark\": \"x\" ] "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    assertThatThrownBy(() -> JmhResult.parse("[1, 2] x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JMH JSON");
  }

  @Test
  void readsNaNThatJmhWritesAsAString() {
    JmhResult result = JmhResult.parse(run(700, 150)).get(0);

    assertThat(result.error()).isNaN();
    assertThat(result.best()).isEqualTo(800);
    assertThat(result.score()).isEqualTo(600);
    assertThat(result.bytesPerOp()).isEqualTo(96);
  }
}
