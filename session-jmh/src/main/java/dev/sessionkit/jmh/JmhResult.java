// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result of a JMH JSON file ({@code -rf json}): the primary score, the secondary
 * metrics (such as {@code gc.alloc.rate.norm} from {@code -prof gc}) and the run's settings.
 *
 * @param benchmark the full benchmark name, {@code package.Class.method}
 * @param mode JMH's mode: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param threads threads that ran the benchmark
 * @param params the {@code @Param} values
 * @param score the primary score (JMH's mean over the measurement iterations)
 * @param error the primary score's error (99.9% half-width), NaN when unknown
 * @param best the best measurement iteration's score: the highest throughput, or the lowest time
 * @param unit the primary score's unit, such as {@code ops/ms}
 * @param secondary secondary metrics by name
 * @param settings the run's settings: JDK, forks, iterations, times
 */
record JmhResult(String benchmark, String mode, int threads, Map<String, String> params,
    double score, double error, double best, String unit, Map<String, Metric> secondary,
    String settings) {

  /**
   * A secondary metric.
   *
   * @param score JMH's score (for an event counter: the sum over iterations)
   * @param unit its unit
   * @param mean the mean of the raw per-iteration values
   */
  record Metric(double score, String unit, double mean) {}

  /** Returns {@code Class.method}. */
  String name() {
    String[] parts = benchmark.split("\\.");
    return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  /**
   * Returns the operations per second of all threads together in the best measurement iteration:
   * on a shared machine other work only ever slows a benchmark down, so the best iteration is the
   * least disturbed one.
   */
  double opsPerSecond() {
    if (mode.equals("thrpt")) {
      return best * perSecond(unit.substring(unit.indexOf('/') + 1));
    }
    double secondsPerOp = best / perSecond(unit.substring(0, unit.indexOf('/')));
    return threads / secondsPerOp;
  }

  /** Returns the microseconds one operation takes on one thread, in the best iteration. */
  double microsPerOp() {
    return threads * 1e6 / opsPerSecond();
  }

  /** Returns the bytes allocated per operation ({@code -prof gc}), or NaN if not profiled. */
  double bytesPerOp() {
    for (Map.Entry<String, Metric> e : secondary.entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().score();
      }
    }
    return Double.NaN;
  }

  /** Returns the per-iteration mean of a secondary metric, or NaN if absent. */
  double secondaryMean(String name) {
    Metric metric = secondary.get(name);
    return metric == null ? Double.NaN : metric.mean();
  }

  private static double perSecond(String timeUnit) {
    return switch (timeUnit) {
      case "ns" -> 1e9;
      case "us" -> 1e6;
      case "ms" -> 1e3;
      case "s" -> 1;
      case "min" -> 1.0 / 60;
      default -> throw new IllegalArgumentException("unknown time unit in JMH result: " + timeUnit);
    };
  }

  /** Reads every result of the JMH JSON files. */
  static List<JmhResult> read(List<Path> files) throws IOException {
    List<JmhResult> results = new ArrayList<>();
    for (Path file : files) {
      results.addAll(parse(Files.readString(file)));
    }
    return results;
  }

  /**
   * Parses a JMH JSON document.
   *
   * @throws IllegalArgumentException if it is not a JMH result array
   */
  static List<JmhResult> parse(String json) {
    if (!(Json.parse(json) instanceof List<?> array)) {
      throw new IllegalArgumentException("not JMH JSON: expected an array of results");
    }
    List<JmhResult> results = new ArrayList<>();
    for (Object item : array) {
      results.add(of(map(item, "result")));
    }
    return results;
  }

  private static JmhResult of(Map<String, Object> json) {
    Map<String, String> params = new LinkedHashMap<>();
    if (json.get("params") instanceof Map<?, ?> p) {
      p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
    }
    Map<String, Object> primary = map(json.get("primaryMetric"), "primaryMetric");
    Map<String, Metric> secondary = new LinkedHashMap<>();
    if (json.get("secondaryMetrics") instanceof Map<?, ?> s) {
      s.forEach((k, v) -> {
        Map<String, Object> metric = map(v, "secondary metric " + k);
        secondary.put(String.valueOf(k), new Metric(number(metric.get("score")),
            String.valueOf(metric.get("scoreUnit")), rawMean(metric.get("rawData"))));
      });
    }
    String settings = String.format(java.util.Locale.ROOT,
        "JMH %s, JDK %s (%s), -f %s -wi %s -i %s -w %s -r %s", json.get("jmhVersion"),
        json.get("jdkVersion"), json.get("vmName"), integer(json.get("forks")),
        integer(json.get("warmupIterations")), integer(json.get("measurementIterations")),
        json.get("warmupTime"), json.get("measurementTime"));
    String mode = String.valueOf(json.get("mode"));
    double score = number(primary.get("score"));
    double best = best(primary.get("rawData"), mode.equals("thrpt"));
    return new JmhResult(String.valueOf(json.get("benchmark")), mode,
        integer(json.get("threads")), params, score, number(primary.get("scoreError")),
        Double.isNaN(best) ? score : best, String.valueOf(primary.get("scoreUnit")), secondary,
        settings);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException("not JMH JSON: " + what + " is not an object");
  }

  private static double number(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s); // JMH writes "NaN" as a string
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static int integer(Object value) {
    double d = number(value);
    return Double.isNaN(d) ? 0 : (int) d;
  }

  private static double rawMean(Object rawData) {
    List<Double> values = raw(rawData);
    return values.isEmpty() ? Double.NaN
        : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static double best(Object rawData, boolean highest) {
    List<Double> values = raw(rawData);
    if (values.isEmpty()) {
      return Double.NaN;
    }
    return highest ? values.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
        : values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  /** Returns the per-iteration values of every fork. */
  private static List<Double> raw(Object rawData) {
    List<Double> values = new ArrayList<>();
    if (rawData instanceof List<?> forks) {
      for (Object fork : forks) {
        if (fork instanceof List<?> iterations) {
          for (Object v : iterations) {
            double d = number(v);
            if (!Double.isNaN(d)) {
              values.add(d);
            }
          }
        }
      }
    }
    return values;
  }
}
