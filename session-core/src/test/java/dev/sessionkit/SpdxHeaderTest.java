// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every source file of the repository starts with its SPDX licence line: Java with {@code //},
 * SQL and Lua with {@code --}, properties, shell, YAML and service files with {@code #} (after a
 * shebang if there is one), XML with {@code <!-- -->} (after the XML declaration if there is one),
 * CSS with {@code /* *}{@code /}, JSP with {@code <%-- --%>}. Scans every module's directory
 * (except {@code target}), {@code .ci/}, {@code .mvn/} and the files at the root of the checkout
 * whose root holds {@code .mvn/}.
 */
class SpdxHeaderTest {

  static final String LICENCE = "SPDX-License-Identifier: Apache-2.0";

  @Test
  void everySourceFileOfTheRepositoryStartsWithItsSpdxLine() {
    Path root = repositoryRoot();
    List<Path> checked = new ArrayList<>();
    List<String> missing = problems(root, checked);
    assertThat(checked).as("source files found under %s", root).hasSizeGreaterThan(100);
    assertThat(missing).as("files without the line '<comment> %s' at the top", LICENCE).isEmpty();
  }

  @Test
  void aFileWithoutTheLineOrWithItFurtherDownIsReported(@TempDir Path root) throws IOException {
    Files.createDirectory(root.resolve(".mvn"));
    Path module = Files.createDirectories(root.resolve("session-x/src/main/java/a"));
    Files.writeString(root.resolve("session-x/pom.xml"), "<project/>");
    Files.writeString(module.resolve("Good.java"), "// " + LICENCE + "\n\npackage a;\n");
    Files.writeString(module.resolve("Bare.java"), "package a;\n");
    Files.writeString(module.resolve("Late.java"), "package a;\n// " + LICENCE + "\n");
    Files.writeString(module.resolve("WrongComment.sql"), "// " + LICENCE + "\n");
    Files.createDirectory(root.resolve(".ci"));
    Files.writeString(root.resolve(".ci/run"), "#!/bin/sh\n# " + LICENCE + "\necho\n");
    Files.writeString(root.resolve(".ci/other"), "#!/bin/sh\necho\n# " + LICENCE + "\n");
    Files.writeString(root.resolve("pom.xml"), "<?xml version=\"1.0\"?>\n<!-- " + LICENCE
        + " -->\n<project/>\n");
    Files.writeString(root.resolve("session-x/pom.xml"), "<project/>\n<!-- " + LICENCE + " -->\n");
    Files.writeString(module.resolve("page.css"), "/* " + LICENCE + " */\nbody {}\n");
    Files.writeString(module.resolve("bare.css"), "body {}\n");
    Files.writeString(root.resolve("README.md"), "# not source\n");
    Files.createDirectories(root.resolve("session-x/target"));
    Files.writeString(root.resolve("session-x/target/Generated.java"), "class Generated {}\n");

    List<Path> checked = new ArrayList<>();
    List<String> problems = problems(root, checked);

    assertThat(problems).containsExactlyInAnyOrder(
        "session-x/src/main/java/a/Bare.java", "session-x/src/main/java/a/Late.java",
        "session-x/src/main/java/a/WrongComment.sql", ".ci/other", "session-x/pom.xml",
        "session-x/src/main/java/a/bare.css");
    assertThat(checked).hasSize(10);
  }

  /** The files lacking the line, relative to {@code root}; adds every file it checked. */
  private static List<String> problems(Path root, List<Path> checked) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(root.resolve(".ci"));
    dirs.add(root.resolve(".mvn"));
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.sorted().toList()) {
        if (Files.isRegularFile(child)) {
          candidates.add(child); // pom.xml, mvnw
        } else if (Files.isRegularFile(child.resolve("pom.xml"))) {
          dirs.add(child);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path dir : dirs) {
      candidates.addAll(files(dir));
    }
    List<String> missing = new ArrayList<>();
    for (Path file : candidates) {
      Optional<String> expected = licenceLineOf(root.relativize(file), file);
      if (expected.isEmpty()) {
        continue;
      }
      checked.add(file);
      if (!startsWithLicence(file, expected.get())) {
        missing.add(root.relativize(file).toString().replace('\\', '/'));
      }
    }
    return missing;
  }

  /**
   * The licence line in the comment form of a source file's language, or empty for a file that is
   * not source.
   */
  private static Optional<String> licenceLineOf(Path relative, Path file) {
    String name = relative.getFileName().toString();
    String path = relative.toString().replace('\\', '/');
    if (name.endsWith(".java")) {
      return Optional.of("// " + LICENCE);
    }
    if (name.endsWith(".sql") || name.endsWith(".lua")) {
      return Optional.of("-- " + LICENCE);
    }
    if (name.endsWith(".xml")) {
      return Optional.of("<!-- " + LICENCE + " -->");
    }
    if (name.endsWith(".css")) {
      return Optional.of("/* " + LICENCE + " */");
    }
    if (name.endsWith(".jsp")) {
      return Optional.of("<%-- " + LICENCE + " --%>");
    }
    if (name.endsWith(".properties") || name.endsWith(".sh") || name.endsWith(".yaml")
        || name.endsWith(".yml") || path.startsWith(".ci/") || path.contains("/META-INF/services/")
        || firstLines(file).get(0).startsWith("#!")) {
      return Optional.of("# " + LICENCE);
    }
    return Optional.empty();
  }

  /** Whether the file's first line (after a shebang or an XML declaration) is {@code expected}. */
  private static boolean startsWithLicence(Path file, String expected) {
    List<String> lines = firstLines(file);
    String head = lines.get(0);
    int first = head.startsWith("#!") || head.startsWith("<?xml") ? 1 : 0;
    return lines.size() > first && (lines.get(first).equals(expected)
        || lines.get(first).startsWith(expected) && expected.startsWith("<%--"));
  }

  private static List<String> firstLines(Path file) {
    try (Stream<String> lines = Files.lines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      List<String> head = lines.limit(2).toList();
      return head.isEmpty() ? List.of("") : head;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> !dir.relativize(f).startsWith("target"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout's root: the nearest directory above the working directory with {@code .mvn/}. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".mvn"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no directory with .mvn/ above " + Path.of("").toAbsolutePath());
  }
}
