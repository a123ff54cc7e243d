// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc.internal;

import dev.sessionkit.jdbc.SqlDialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shipped schema script of a dialect, with the configured table prefix in place of the
 * default one, as text and as single statements.
 */
public final class SchemaScript {

  private SchemaScript() {}

  /** Returns the script of {@code dialect} with {@code tables}' prefix, comments included. */
  public static String text(SqlDialect dialect, Tables tables) {
    String resource = dialect.schemaResource();
    try (InputStream in = SchemaScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + resource + " is missing from the jar");
      }
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return script.replace(Tables.DEFAULT_PREFIX, tables.prefix());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema script " + resource, e);
    }
  }

  /** Returns the statements of the script, without comments or terminating semicolons. */
  public static List<String> statements(SqlDialect dialect, Tables tables) {
    StringBuilder code = new StringBuilder();
    for (String line : text(dialect, tables).split("\n")) {
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
    return statements;
  }
}
