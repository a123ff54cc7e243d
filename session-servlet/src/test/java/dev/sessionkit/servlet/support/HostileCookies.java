// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.support;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generates hostile {@code Cookie} header values aimed at a cookie name: near-miss names, nameless
 * pairs, quotes across {@code ;}, commas, legacy {@code $Version}, escapes, bogus tokens, huge
 * runs. None of them carries a live token, so none may yield a session. Only characters that an
 * HTTP client can put in a header are used (control bytes and raw UTF-8 are tested separately).
 */
public final class HostileCookies {

  private static final String TOKEN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private HostileCookies() {}

  /** Returns hostile Cookie header values for {@code name}. */
  public static Arbitrary<String> headers(String name) {
    Arbitrary<String> piece = Arbitraries.oneOf(List.of(
        names(name).flatMap(n -> values().map(v -> n + "=" + v)),
        values(),
        Arbitraries.of("a=b", "$Version=1", "$Path=/", "x=\"abc", "=", "==", ";;", "=" + name,
            name, name + "=", "\"", "\\", ",", "\t")));
    Arbitrary<String> separator = Arbitraries.of(";", "; ", ";\t", ",", ", ", " ", "", "=", "\"");
    Arbitrary<String> header = Combinators.combine(piece.list().ofMinSize(1).ofMaxSize(8),
        separator).as((pieces, sep) -> String.join(sep, pieces));
    Arbitrary<String> huge = values().map(v -> name + "=" + v + "; pad=" + "p".repeat(5000));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, header),
        net.jqwik.api.Tuple.of(1, huge),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("")));
  }

  /** Spellings of the cookie name that a sloppy parser might take for it. */
  static Arbitrary<String> names(String name) {
    return Arbitraries.of(name, name.toLowerCase(), name.toUpperCase(), " " + name, name + " ",
        "\"" + name, "$" + name, "=" + name, name.substring(1), name + "x", name + "\t");
  }

  /** Values that are not live tokens: garbage, bogus tokens, quoted or escaped ones. */
  static Arbitrary<String> values() {
    Arbitrary<String> bogusToken = Arbitraries.strings().withChars(TOKEN_CHARS).ofLength(43);
    Arbitrary<String> garbage = Arbitraries.strings()
        .withCharRange(' ', '~').withChars('\t').ofMinLength(0).ofMaxLength(60);
    return Arbitraries.oneOf(List.of(
        bogusToken,
        bogusToken.map(t -> "\"" + t + "\""),
        bogusToken.map(t -> "\"" + t),
        bogusToken.map(t -> t + "; x=\""),
        bogusToken.map(t -> t.substring(0, 16) + "." + t),
        garbage,
        Arbitraries.of("../../etc/passwd", "%2e%2e%2f", "\\\"\\\"\\\"\\\"", "null", "undefined",
            "deleted", "\"\"", "a b", "a,b")));
  }
}
