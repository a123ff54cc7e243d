// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a duration setting: a number with a unit ({@code 1500ms}, {@code 2s}, {@code 5m}, {@code
 * 1h}) or ISO-8601 ({@code PT2S}).
 */
public final class DurationSetting {

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

  private DurationSetting() {}

  /**
   * Returns the duration in {@code value}.
   *
   * @throws IllegalArgumentException naming {@code setting} if {@code value} is not a duration
   */
  public static Duration parse(String setting, String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(setting + " must be a duration such as 1500ms, 2s, 5m,"
          + " 1h or PT2S, not '" + value + "'", e);
    }
  }
}
