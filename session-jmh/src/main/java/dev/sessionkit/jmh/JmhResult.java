// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.DoubleStream;

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

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

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
   * @throws IllegalArgumentException if it is not a JMH result array, naming where it stopped
   */
  static List<JmhResult> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JMH JSON: " + e.getOriginalMessage() + " at offset "
          + e.getLocation().getCharOffset(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("not JMH JSON: expected an array of results");
    }
    List<JmhResult> results = new ArrayList<>();
    root.forEach(item -> results.add(of(item)));
    return results;
  }

  private static JmhResult of(JsonNode json) {
    Map<String, String> params = new LinkedHashMap<>();
    json.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<String, Metric> secondary = new LinkedHashMap<>();
    json.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(),
        new Metric(number(e.getValue().path("score")), e.getValue().path("scoreUnit").asText(),
            raw(e.getValue()).average().orElse(Double.NaN))));
    JsonNode primary = json.path("primaryMetric");
    String settings = String.format(Locale.ROOT,
        "JMH %s, JDK %s (%s), -f %d -wi %d -i %d -w %s -r %s",
        json.path("jmhVersion").asText(), json.path("jdkVersion").asText(),
        json.path("vmName").asText(), json.path("forks").asInt(),
        json.path("warmupIterations").asInt(), json.path("measurementIterations").asInt(),
        json.path("warmupTime").asText(), json.path("measurementTime").asText());
    String mode = json.path("mode").asText();
    double score = number(primary.path("score"));
    OptionalDouble best = mode.equals("thrpt") ? raw(primary).max() : raw(primary).min();
    return new JmhResult(json.path("benchmark").asText(), mode, json.path("threads").asInt(),
        params, score, number(primary.path("scoreError")), best.orElse(score),
        primary.path("scoreUnit").asText(), secondary, settings);
  }

  /** Returns a number; JMH writes NaN as the string "NaN". */
  private static double number(JsonNode value) {
    return value.isNumber() ? value.asDouble()
        : value.isTextual() ? value.asDouble(Double.NaN) : Double.NaN;
  }

  /** Returns the per-iteration values of every fork of a metric. */
  private static DoubleStream raw(JsonNode metric) {
    List<Double> values = new ArrayList<>();
    metric.path("rawData").forEach(fork -> fork.forEach(v -> values.add(number(v))));
    return values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d));
  }
}
