// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Prints Sessionkit's performance targets as a Markdown table, computed from JMH JSON results, followed by
 * every result. Each target says whether it was met; a target whose benchmarks are not in the
 * files says so instead of guessing.
 *
 * <pre>
 * java -cp session-jmh/target/benchmarks.jar dev.sessionkit.jmh.Summary jmh-quick.json [more.json]
 * </pre>
 *
 * <p>Ratios compare results of the same run and use each benchmark's best measurement iteration:
 * on a machine shared with other work, that work only ever slows a benchmark down, so the best
 * iteration is the least disturbed estimate. The table of all results shows JMH's mean and error
 * beside it. A ratio that cannot be true (Sessionkit faster than the floor it contains, more than
 * 2x from 2 threads on 2 cores) is marked disturbed instead of met.
 */
public final class Summary {

  private static final String RESOLVE = "ResolveBenchmark.";

  private final List<JmhResult> results;
  private final List<String> rows = new ArrayList<>();

  private Summary(List<JmhResult> results) {
    this.results = results;
  }

  /** Reads the JMH JSON files named by {@code args} and prints the summary to standard output. */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Summary <jmh-result.json>... (results of -rf json)");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    for (String arg : args) {
      files.add(Path.of(arg));
    }
    System.out.print(render(JmhResult.read(files)));
  }

  /** Returns the Markdown summary of {@code results}. */
  static String render(List<JmhResult> results) {
    return new Summary(results).render();
  }

  private String render() {
    StringBuilder out = new StringBuilder();
    Set<String> settings = new LinkedHashSet<>();
    results.forEach(r -> settings.add(r.settings()));
    out.append("Run: ").append(String.join("; ", settings)).append(
        "\n\nRatios and µs/op use each benchmark's best measurement iteration.\n\n");
    out.append("| target | measured | goal | verdict |\n");
    out.append("| --- | --- | --- | --- |\n");
    targets();
    rows.forEach(row -> out.append(row).append('\n'));
    out.append("\nAll results (score: JMH's mean ± error; best: the best iteration; µs/op: per"
        + " operation on one thread in the best iteration; B/op: -prof gc):\n\n");
    out.append("| benchmark | threads | params | score | best | unit | µs/op | B/op |\n");
    out.append("| --- | ---: | --- | ---: | ---: | --- | ---: | ---: |\n");
    List<JmhResult> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparing(JmhResult::benchmark)
        .thenComparing(r -> r.params().toString()));
    for (JmhResult r : sorted) {
      boolean footprint = r.name().startsWith("FootprintBenchmark.");
      out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n",
          r.name(), r.threads(), r.params().isEmpty() ? "" : r.params().toString(),
          footprint ? fmt(r.secondaryMean("bytesPerSession")) : fmt(r.score())
              + (Double.isNaN(r.error()) ? "" : " ± " + fmt(r.error())),
          footprint ? "" : fmt(r.best()), footprint ? "bytes/session" : r.unit(),
          footprint ? "" : fmt(r.microsPerOp()), footprint ? "" : fmt(r.bytesPerOp())));
    }
    return out.toString();
  }

  private void targets() {
    JmhResult ours1 = find(RESOLVE + "sessionkitEveryRequestWrites_1t");
    JmhResult ours2 = find(RESOLVE + "sessionkitEveryRequestWrites_2t");
    JmhResult floor1 = find("FloorBenchmark.perRequestFloor_1t");
    JmhResult floor2 = find("FloorBenchmark.perRequestFloor_2t");
    JmhResult spring1 = find(RESOLVE + "springFindTouchSave_1t");
    JmhResult spring2 = find(RESOLVE + "springFindTouchSave_2t");
    JmhResult tomcat1 = find(RESOLVE + "tomcatFindAccess_1t");
    JmhResult tomcat2 = find(RESOLVE + "tomcatFindAccess_2t");
    JmhResult defaults1 = find(RESOLVE + "sessionkitDefaultTouchInterval_1t");
    JmhResult defaults2 = find(RESOLVE + "sessionkitDefaultTouchInterval_2t");

    if (ours1 != null && floor1 != null) {
      double ratio = shown(floor1.opsPerSecond() / ours1.opsPerSecond());
      String target = "resolve-and-touch (touchInterval 0: every request writes) vs the"
          + " per-request floor (SHA-256 + map hit + timestamp write), 1 thread";
      String measured = String.format(Locale.ROOT, "%s µs vs %s µs: %sx the floor",
          fmt(ours1.microsPerOp()), fmt(floor1.microsPerOp()), fmt(ratio));
      if (ratio < 1) {
        disturbed(target, measured, "≤ 1.25x", "Sessionkit measured faster than the floor it"
            + " contains: the floor was slowed by other work");
      } else {
        row(target, measured, "≤ 1.25x", ratio <= 1.25);
      }
    } else {
      missing("resolve-and-touch vs the per-request floor");
    }
    speedup("resolve-and-touch vs Spring Session findById + setLastAccessedTime + save, 1 thread",
        ours1, spring1, 1.25);
    speedup("resolve-and-touch vs Spring Session, 2 threads", ours2, spring2, 2.0);
    if (ours1 != null && tomcat1 != null) {
      info("resolve-and-touch vs Tomcat findSession + access + endAccess (no hashing), 1 thread",
          String.format(Locale.ROOT, "%s µs vs %s µs: %sx Tomcat's time",
              fmt(ours1.microsPerOp()), fmt(tomcat1.microsPerOp()),
              fmt(tomcat1.opsPerSecond() / ours1.opsPerSecond())));
    }
    if (defaults1 != null) {
      info("resolve-and-touch with the default touchInterval (1 s: writes at most once a second"
              + " per session)",
          String.format(Locale.ROOT, "1 thread %s µs (%sx the floor), %s B/op%s",
              fmt(defaults1.microsPerOp()),
              floor1 == null ? "?" : fmt(floor1.opsPerSecond() / defaults1.opsPerSecond()),
              fmt(defaults1.bytesPerOp()), defaults2 == null ? ""
                  : "; 2 threads scale " + fmt(defaults2.opsPerSecond()
                      / defaults1.opsPerSecond()) + "x"));
    }
    scaling("resolve-and-touch throughput, 2 threads vs 1", ours1, ours2,
        context("floor", floor1, floor2) + context("Spring", spring1, spring2)
            + context("Tomcat", tomcat1, tomcat2));
    JmhResult shared1 = find("TokenBenchmark.sharedSecureRandom_1t");
    JmhResult shared2 = find("TokenBenchmark.sharedSecureRandom_2t");
    scaling("token generation (TokenGenerator.secure() + base64url) throughput, 2 threads vs 1",
        find("TokenBenchmark.sessionkitSecure_1t"), find("TokenBenchmark.sessionkitSecure_2t"),
        context("one shared new SecureRandom()", shared1, shared2));
    forceLogout();
    footprint();
    if (ours1 != null && !Double.isNaN(ours1.bytesPerOp())) {
      double bytes = shown(ours1.bytesPerOp());
      row("allocation per resolve-and-touch (every request writes, 1 thread)",
          String.format(Locale.ROOT, "%s B/op (floor %s, Spring %s, Tomcat %s)", fmt(bytes),
              floor1 == null ? "?" : fmt(floor1.bytesPerOp()),
              spring1 == null ? "?" : fmt(spring1.bytesPerOp()),
              tomcat1 == null ? "?" : fmt(tomcat1.bytesPerOp())),
          "< 48 B/op", bytes < 48);
    } else {
      missing("allocation per resolve-and-touch (run with -prof gc)");
    }
    lifecycle();
    remotePath("RedisPathBenchmark", "roundTripFloor", "Redis resolve-and-touch (every request"
        + " writes): 1 EVALSHA, counted by RedisSessionStoreTest; Spring's repository: 4 commands",
        "one GET");
    remotePath("JdbcPathBenchmark", "primaryKeyUpdate", "PostgreSQL resolve-and-touch (every"
        + " request writes): 1 statement, counted by JdbcSessionStoreTestBase (MariaDB, H2: 2)",
        "one primary-key UPDATE");
    servletPath();
  }

  /**
   * A row for a remote store's per-request path ({@code Class.sessionkitResolve}, touching on every
   * request) against one bare request to its backend ({@code Class.floor}).
   */
  private void remotePath(String benchmarkClass, String floor, String target, String floorLabel) {
    JmhResult ours = find(benchmarkClass + ".sessionkitResolve", "touch", "every");
    JmhResult bare = find(benchmarkClass + "." + floor, "touch", "every");
    if (ours == null || bare == null) {
      missing(target + " (" + benchmarkClass + ")");
      return;
    }
    double ratio = shown(bare.opsPerSecond() / ours.opsPerSecond());
    row(target, String.format(Locale.ROOT, "%s µs vs %s %s µs: %sx", fmt(ours.microsPerOp()),
            floorLabel, fmt(bare.microsPerOp()), fmt(ratio)),
        "1 round trip (≤ 2x " + floorLabel + ")", ratio <= 2.0);
  }

  private void servletPath() {
    servletPath("jetty", "Jetty");
    servletPath("tomcat", "Tomcat");
  }

  private void servletPath(String server, String label) {
    String name = "ServletPathBenchmark.request";
    JmhResult none = find(name, "server", server, "session", "none");
    JmhResult container = find(name, "server", server, "session", "container");
    JmhResult ours = find(name, "server", server, "session", "sessionkit");
    if (none == null || container == null || ours == null) {
      missing("servlet path through embedded " + label + " (ServletPathBenchmark)");
      return;
    }
    double ratio = shown(ours.opsPerSecond() / container.opsPerSecond());
    row("servlet path, embedded " + label + " on loopback, 1 client thread: requests/s (a) no"
            + " session, (b) container HttpSession, (c) Sessionkit filter + in-memory store",
        String.format(Locale.ROOT, "(a) %s, (b) %s, (c) %s req/s: (c) is %sx (b); (c) costs %s"
                + " µs/request over (a) and %s µs over (b)", fmt(none.opsPerSecond()),
            fmt(container.opsPerSecond()), fmt(ours.opsPerSecond()), fmt(ratio),
            fmt(1e6 / ours.opsPerSecond() - 1e6 / none.opsPerSecond()),
            fmt(1e6 / ours.opsPerSecond() - 1e6 / container.opsPerSecond())),
        "(c) ≥ 0.97x (b)", ratio >= 0.97);
  }

  private void lifecycle() {
    for (String step : new String[] {"Login", "Logout"}) {
      JmhResult ours = find("LifecycleBenchmark.sessionkit" + step);
      JmhResult tomcat = find("LifecycleBenchmark.tomcat" + step);
      if (ours == null || tomcat == null) {
        missing(step.toLowerCase(Locale.ROOT) + " vs Tomcat (LifecycleBenchmark)");
        continue;
      }
      double ratio = shown(tomcat.opsPerSecond() / ours.opsPerSecond());
      row(step.toLowerCase(Locale.ROOT) + " vs Tomcat's StandardManager, 1 thread",
          String.format(Locale.ROOT, "%s µs vs %s µs: %sx Tomcat's time; %s B/op", fmt(
              ours.microsPerOp()), fmt(tomcat.microsPerOp()), fmt(ratio), fmt(ours.bytesPerOp())),
          "≤ 1.2x", ratio <= 1.2);
    }
  }

  private void forceLogout() {
    String name = "ForceLogoutBenchmark.sessionkitLogoutAll";
    JmhResult one = find(name, "sessionsOfPrincipal", "1");
    JmhResult ten = find(name, "sessionsOfPrincipal", "10");
    JmhResult hundred = find(name, "sessionsOfPrincipal", "100");
    JmhResult scan = find("ForceLogoutBenchmark.springScan", "sessionsOfPrincipal", "1");
    if (scan == null) {
      scan = find("ForceLogoutBenchmark.springScan", "sessionsOfPrincipal", "100");
    }
    if (one == null || hundred == null) {
      missing("force logout, 100 vs 1 sessions of a principal");
      return;
    }
    double ratio = shown(one.opsPerSecond() / hundred.opsPerSecond());
    boolean belowScan = scan == null || hundred.microsPerOp() < scan.microsPerOp();
    row("force logout (logoutAll) of a principal with 100 vs 1 sessions among 10^5",
        String.format(Locale.ROOT, "%sx (1: %s µs%s, 100: %s µs); Spring's scan of all"
                + " sessions: %s", fmt(ratio), fmt(one.microsPerOp()),
            ten == null ? "" : ", 10: " + fmt(ten.microsPerOp()) + " µs",
            fmt(hundred.microsPerOp()), scan == null ? "not in this run"
                : fmt(scan.microsPerOp()) + " µs"),
        "about 100x (≤ 150x), not a scan", ratio <= 150 && belowScan);
  }

  private void footprint() {
    JmhResult ours = find("FootprintBenchmark.sessionkit");
    JmhResult spring = find("FootprintBenchmark.spring");
    JmhResult tomcat = find("FootprintBenchmark.tomcat");
    if (ours == null) {
      missing("memory per empty session at 10^6 sessions");
      return;
    }
    double bytes = shown(ours.secondaryMean("bytesPerSession"));
    double springBytes = spring == null ? Double.NaN : spring.secondaryMean("bytesPerSession");
    double tomcatBytes = tomcat == null ? Double.NaN : tomcat.secondaryMean("bytesPerSession");
    boolean met = bytes <= 160 && !(bytes >= springBytes) && !(bytes >= tomcatBytes);
    row("retained heap per empty session at 10^6 sessions",
        String.format(Locale.ROOT, "%s B (Spring MapSession %s B, Tomcat StandardSession %s B)",
            fmt(bytes), fmt(springBytes), fmt(tomcatBytes)),
        "≤ 160 B, below Spring and Tomcat", met);
  }

  private void speedup(String target, JmhResult ours, JmhResult peer, double goal) {
    if (ours == null || peer == null) {
      missing(target);
      return;
    }
    double ratio = shown(ours.opsPerSecond() / peer.opsPerSecond());
    row(target, String.format(Locale.ROOT, "%s vs %s ops/ms: %sx faster",
            fmt(ours.opsPerSecond() / 1000), fmt(peer.opsPerSecond() / 1000), fmt(ratio)),
        "≥ " + fmt(goal) + "x faster", ratio >= goal);
  }

  private void scaling(String target, JmhResult one, JmhResult two, String context) {
    if (one == null || two == null) {
      missing(target);
      return;
    }
    double ratio = shown(two.opsPerSecond() / one.opsPerSecond());
    String measured = fmt(ratio) + "x" + (context.isEmpty() ? "" : " (" + context.substring(2)
        + ")");
    int cores = Runtime.getRuntime().availableProcessors();
    if (ratio > 2.2 && cores <= 2) {
      disturbed(target, measured, "≥ 1.8x", "more than 2x on " + cores
          + " cores: the 1-thread run was slowed by other work");
    } else {
      row(target, measured, "≥ 1.8x", ratio >= 1.8);
    }
  }

  private void disturbed(String target, String measured, String goal, String why) {
    rows.add("| " + target + " | " + measured + " | " + goal + " | disturbed (" + why
        + "); rerun |");
  }

  private static String context(String label, JmhResult one, JmhResult two) {
    return one == null || two == null ? ""
        : "; " + label + " " + fmt(two.opsPerSecond() / one.opsPerSecond()) + "x";
  }

  private void row(String target, String measured, String goal, boolean met) {
    rows.add("| " + target + " | " + measured + " | " + goal + " | " + (met ? "met" : "**MISSED**")
        + " |");
  }

  private void info(String target, String measured) {
    rows.add("| " + target + " | " + measured + " | — | info |");
  }

  private void missing(String target) {
    rows.add("| " + target + " | not in this run | — | n/a |");
  }

  /** Returns the first result of {@code name} whose params match the name-value pairs given. */
  private JmhResult find(String name, String... params) {
    Predicate<JmhResult> matches = r -> {
      if (!r.name().equals(name)) {
        return false;
      }
      for (int i = 0; i + 1 < params.length; i += 2) {
        if (!params[i + 1].equals(r.params().get(params[i]))) {
          return false;
        }
      }
      return true;
    };
    return results.stream().filter(matches).findFirst().orElse(null);
  }

  /**
   * Returns {@code value} rounded as {@link #fmt} shows it, so that a verdict never contradicts
   * the number beside it (the measurement error is far larger than the rounding).
   */
  private static double shown(double value) {
    return Double.isNaN(value) ? value : Double.parseDouble(fmt(value));
  }

  /** Formats with 3 significant digits, but never in exponent form. */
  static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "?";
    }
    double abs = Math.abs(value);
    String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, value);
  }
}
