// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps SECURITY.md from drifting: every test it names ({@code `Class#method`}) exists, as a class
 * declared in a module's test sources (or in session-testing's published contracts) with a test
 * method of that name (annotated {@code @Test}, {@code @Property} or another test annotation), and every ASVS 5.0 V7 requirement from 7.1.1 to 7.6.2 has a row. A plain scan of
 * the source files: it needs no other module on the class path.
 */
class SecurityDocumentTest {

  private static final Pattern REFERENCE =
      Pattern.compile("`([A-Z][A-Za-z0-9_]*)#([a-z][A-Za-z0-9_]*)`");
  private static final List<String> V7 = List.of("7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2",
      "7.2.3", "7.2.4", "7.3.1", "7.3.2", "7.4.1", "7.4.2", "7.4.3", "7.4.4", "7.4.5", "7.5.1",
      "7.5.2", "7.5.3", "7.6.1", "7.6.2");

  private static final Path ROOT = findRoot();

  @Test
  void everyTestNamedInSecurityMdExists() throws IOException {
    String doc = Files.readString(ROOT.resolve("SECURITY.md"));
    Set<String> references = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(doc);
    while (m.find()) {
      references.add(m.group(1) + "#" + m.group(2));
    }
    assertThat(references).as("SECURITY.md names tests").hasSizeGreaterThan(50);

    List<Path> sources = testSources();
    List<String> missing = new ArrayList<>();
    for (String reference : references) {
      String type = reference.substring(0, reference.indexOf('#'));
      String method = reference.substring(reference.indexOf('#') + 1);
      boolean found = sources.stream().anyMatch(p -> declares(p, type, method));
      if (!found) {
        missing.add(reference);
      }
    }
    assertThat(missing).as("tests named in SECURITY.md that do not exist").isEmpty();
  }

  @Test
  void everyV7RequirementHasARow() throws IOException {
    String doc = Files.readString(ROOT.resolve("SECURITY.md"));
    for (String id : V7) {
      assertThat(doc).as("a row for ASVS %s", id).containsPattern("(?m)^\\| " + Pattern.quote(id)
          + " \\(");
    }
  }

  /**
   * A JUnit or jqwik test annotation, then any other annotations and modifiers, up to the return
   * type: a method named in SECURITY.md must be a test that runs, not a helper of that name.
   */
  private static final String TEST_ANNOTATION = "@(Test|Property|ParameterizedTest|RepeatedTest"
      + "|Example)\\b(\\s*\\([^)]*\\))?(\\s*@\\w+(\\([^)]*\\))?)*\\s*"
      + "((public|protected|private|static|final)\\s+)*";

  /** Whether {@code file} declares {@code type} with a test method named {@code method}. */
  private static boolean declares(Path file, String type, String method) {
    String text = read(file);
    return Pattern.compile("\\b(class|interface|record|enum) " + type + "\\b").matcher(text).find()
        && Pattern.compile(TEST_ANNOTATION + "void " + method + "\\(").matcher(text).find();
  }

  private static List<Path> testSources() throws IOException {
    List<Path> roots = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      modules.filter(Files::isDirectory).forEach(module -> {
        roots.add(module.resolve("src/test/java"));
        roots.add(module.resolve("src/main/java/dev/sessionkit/testing")); // published contracts
      });
    }
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
        }
      }
    }
    return files;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("SECURITY.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no SECURITY.md above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
