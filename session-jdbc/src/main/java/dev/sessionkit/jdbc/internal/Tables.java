// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of the store's four tables under one table prefix.
 *
 * @param prefix the table prefix, such as {@code sessionkit_}
 */
public record Tables(String prefix) {

  /** The prefix of the shipped schema scripts, and the default. */
  public static final String DEFAULT_PREFIX = "sessionkit_";

  /** Longest prefix: keeps every table, constraint and index name within 63 characters. */
  public static final int MAX_PREFIX_LENGTH = 30;

  private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]*)?");

  /** Checks that the prefix is lower-case letters, digits and underscores, at most 30 long. */
  public Tables {
    Objects.requireNonNull(prefix, "tablePrefix");
    if (prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("table prefix must be at most " + MAX_PREFIX_LENGTH
          + " lower-case letters, digits and underscores, not starting with a digit: '"
          + prefix + "'");
    }
  }

  /** Returns the sessions table. */
  public String sessions() {
    return prefix + "sessions";
  }

  /** Returns the session attributes table (one row per attribute). */
  public String attributes() {
    return prefix + "session_attributes";
  }

  /** Returns the remember-me series table. */
  public String series() {
    return prefix + "remember_me_series";
  }

  /** Returns the principals table (each principal's revocation generation). */
  public String principals() {
    return prefix + "principals";
  }

  /** Returns every table, in an order in which they can be dropped (attributes first). */
  public List<String> all() {
    return List.of(attributes(), sessions(), series(), principals());
  }
}
