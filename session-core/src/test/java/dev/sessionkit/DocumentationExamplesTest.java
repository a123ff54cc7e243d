// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code example of the documentation is code that a test runs. In the Markdown files (the
 * repository's {@code *.md}, {@code docs/*.md} and each module's {@code *.md}) an example is a
 * fenced block right after a line {@code <!-- example: ID -->}; somewhere under a module's
 * {@code src/test/} a region between a line {@code // example: ID} (or {@code <!-- example: ID
 * -->}, {@code # example: ID}) and a line {@code // end of example} holds the same text, indent
 * aside, inside the test that runs it. This test fails when a {@code java} block has no id, when
 * an id has no region or a region that differs from the block, and when a region is shown nowhere.
 */
class DocumentationExamplesTest {

  private static final Pattern DOC_MARKER =
      Pattern.compile("^<!-- example: ([a-z0-9][a-z0-9-]*) -->$");
  private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
  private static final Pattern REGION_START =
      Pattern.compile("^(?://|<!--|#|--) example: ([a-z0-9][a-z0-9-]*)(?: -->)?$");
  private static final Pattern REGION_END =
      Pattern.compile("^(?://|<!--|#|--) end of example(?: -->)?$");

  @Test
  void everyExampleOfTheDocumentationIsTheCodeOfATest() {
    Path root = SpdxHeaderTest.repositoryRoot();
    List<Block> blocks = blocks(root);
    assertThat(blocks).as("code blocks of the documentation").hasSizeGreaterThan(5);
    assertThat(problems(root, blocks)).isEmpty();
  }

  @Test
  void anUntaggedMissingChangedOrOrphanExampleIsReported(@TempDir Path root) throws IOException {
    // The markers are spelled "EX" here, so that this file holds no region itself.
    Files.createDirectory(root.resolve(".mvn"));
    Files.createDirectories(root.resolve("docs"));
    Path tests = Files.createDirectories(root.resolve("session-x/src/test/java/a"));
    Files.writeString(root.resolve("session-x/pom.xml"), "<project/>");
    Files.writeString(root.resolve("README.md"), """
        # Title
        <!-- EX: same -->
        ```java
        int a = 1;
        ```
        ```java
        int untagged = 2;
        ```
        ```
        shell, untagged: fine
        ```
        """.replace("EX", "example"));
    Files.writeString(root.resolve("docs/guide.md"), """
        <!-- EX: changed -->
        ```java
        int b = 2;
        ```
        <!-- EX: missing -->
        ```java
        int c = 3;
        ```
        """.replace("EX", "example"));
    Files.writeString(tests.resolve("ATest.java"), """
        class ATest {
          void run() {
            // EX: same
            int a = 1;
            // end of EX
            // EX: changed
            int b = 3;
            // end of EX
            // EX: orphan
            int d = 4;
            // end of EX
          }
        }
        """.replace("EX", "example"));

    List<String> problems = problems(root, blocks(root));

    assertThat(problems).containsExactlyInAnyOrder(
        "README.md:6: a java block without a line <!-- example: ID --> before it",
        "docs/guide.md:2: example 'changed' differs from its region in "
            + "session-x/src/test/java/a/ATest.java; first difference at line 1: "
            + "'int b = 2;' in the document, 'int b = 3;' in the test",
        "docs/guide.md:6: example 'missing' is in no test (no region '// example: missing')",
        "session-x/src/test/java/a/ATest.java: region 'orphan' is shown in no document");
  }

  record Block(String document, int line, String language, String id, String text) {}

  record Region(String file, String text) {}

  private static List<String> problems(Path root, List<Block> blocks) {
    Map<String, List<Region>> regions = regions(root);
    List<String> problems = new ArrayList<>();
    Set<String> shown = new TreeSet<>();
    for (Block block : blocks) {
      String where = block.document() + ":" + block.line() + ": ";
      if (block.id() == null) {
        if (block.language().equals("java")) {
          problems.add(where + "a java block without a line <!-- example: ID --> before it");
        }
        continue;
      }
      shown.add(block.id());
      List<Region> found = regions.getOrDefault(block.id(), List.of());
      if (found.isEmpty()) {
        problems.add(where + "example '" + block.id() + "' is in no test (no region '// example: "
            + block.id() + "')");
      } else if (found.size() > 1) {
        problems.add(where + "example '" + block.id() + "' has " + found.size() + " regions: "
            + found.stream().map(Region::file).collect(Collectors.joining(", ")));
      } else if (!found.get(0).text().equals(block.text())) {
        problems.add(where + "example '" + block.id() + "' differs from its region in "
            + found.get(0).file() + "; " + firstDifference(block.text(), found.get(0).text()));
      }
    }
    regions.forEach((id, list) -> {
      if (!shown.contains(id)) {
        list.forEach(r -> problems.add(r.file() + ": region '" + id + "' is shown in no document"));
      }
    });
    return problems;
  }

  private static String firstDifference(String document, String test) {
    List<String> a = document.lines().toList();
    List<String> b = test.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "(end)";
      String y = i < b.size() ? b.get(i) : "(end)";
      if (!x.equals(y)) {
        return "first difference at line " + (i + 1) + ": '" + x + "' in the document, '" + y
            + "' in the test";
      }
    }
    return "they differ in line endings";
  }

  /** The fenced blocks of every Markdown file of the repository, with their ids. */
  static List<Block> blocks(Path root) {
    List<Path> documents = new ArrayList<>();
    documents.addAll(markdownIn(root));
    documents.addAll(markdownIn(root.resolve("docs")));
    for (Path module : modules(root)) {
      documents.addAll(markdownIn(module));
    }
    List<Block> blocks = new ArrayList<>();
    for (Path document : documents) {
      List<String> lines = read(document);
      String name = root.relativize(document).toString().replace('\\', '/');
      for (int i = 0; i < lines.size(); i++) {
        Matcher fence = FENCE.matcher(lines.get(i));
        if (!fence.matches()) {
          continue;
        }
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).startsWith("```")) {
          end++;
        }
        Matcher marker = i > 0 ? DOC_MARKER.matcher(lines.get(i - 1).strip()) : null;
        String id = marker != null && marker.matches() ? marker.group(1) : null;
        String text = normalized(lines.subList(i + 1, end));
        blocks.add(new Block(name, i + 1, fence.group(1), id, text));
        i = end;
      }
    }
    return blocks;
  }

  /** Every region of the tests of every module, by id. */
  private static Map<String, List<Region>> regions(Path root) {
    Map<String, List<Region>> regions = new LinkedHashMap<>();
    for (Path module : modules(root)) {
      Path tests = module.resolve("src/test");
      if (!Files.isDirectory(tests)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(tests)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          collectRegions(root, file, regions);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return regions;
  }

  private static void collectRegions(Path root, Path file, Map<String, List<Region>> regions) {
    String name = file.getFileName().toString();
    if (!(name.endsWith(".java") || name.endsWith(".xml") || name.endsWith(".properties"))) {
      return;
    }
    List<String> lines = read(file);
    String relative = root.relativize(file).toString().replace('\\', '/');
    for (int i = 0; i < lines.size(); i++) {
      Matcher start = REGION_START.matcher(lines.get(i).strip());
      if (!start.matches()) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !REGION_END.matcher(lines.get(end).strip()).matches()) {
        end++;
      }
      if (end == lines.size()) {
        throw new AssertionError(relative + ":" + (i + 1) + ": region '" + start.group(1)
            + "' has no line '// end of example'");
      }
      regions.computeIfAbsent(start.group(1), k -> new ArrayList<>())
          .add(new Region(relative, normalized(lines.subList(i + 1, end))));
      i = end;
    }
  }

  /** The lines without their common indent and trailing spaces, joined by {@code \n}. */
  private static String normalized(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
        .collect(Collectors.joining("\n"));
  }

  private static List<Path> modules(Path root) {
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> markdownIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
