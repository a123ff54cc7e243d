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
 *
 * <p>A {@code java} block opens with its imports, then a blank line: the region holds the rest.
 * Every import it shows must be one that the test holding the region compiles with (an import of
 * that file, or a type of that file's package), and it must show every import its code needs: each
 * single-type or single-member static import of that file whose simple name the region uses, and
 * each type of that file's package that the region names (static imports first, then a blank line
 * and the others, as in a source file). Every {@code java} block, in every document, shows its imports.
 */
class DocumentationExamplesTest {

  private static final Pattern DOC_MARKER =
      Pattern.compile("^<!-- example: ([a-z0-9][a-z0-9-]*) -->$");
  private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
  private static final Pattern REGION_START =
      Pattern.compile("^(?://|<!--|#|--) example: ([a-z0-9][a-z0-9-]*)(?: -->)?$");
  private static final Pattern REGION_END =
      Pattern.compile("^(?://|<!--|#|--) end of example(?: -->)?$");
  private static final Pattern IMPORT =
      Pattern.compile("^import (static )?([\\w.]+?)(\\.\\*)?;$");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);$");
  private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z]\\w*\\b");

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
        <!-- EX: imported -->
        ```java
        import java.util.List;

        List<Thing> e = List.of();
        ```
        <!-- EX: stale -->
        ```java
        import java.util.Map;
        import java.util.Set;

        Set<String> f = Set.of();
        ```
        <!-- EX: grouped -->
        ```java
        import static java.util.Objects.requireNonNull;

        import java.util.List;

        List<String> h = requireNonNull(List.of());
        ```
        <!-- EX: bare -->
        ```java
        Set<String> g = requireNonNull(Set.of());
        ```
        """.replace("EX", "example"));
    Path main = Files.createDirectories(root.resolve("session-x/src/main/java/a"));
    Files.writeString(main.resolve("Thing.java"), "package a;\npublic class Thing {}\n");
    Files.writeString(tests.resolve("ATest.java"), """
        package a;

        import static java.util.Objects.requireNonNull;

        import java.util.List;
        import java.util.Set;

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
            // EX: imported
            List<Thing> e = List.of();
            // end of EX
            // EX: stale
            Set<String> f = Set.of();
            // end of EX
            // EX: grouped
            List<String> h = requireNonNull(List.of());
            // end of EX
            // EX: bare
            Set<String> g = requireNonNull(Set.of());
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
        "docs/guide.md:10: example 'imported' does not show 'import a.Thing;'",
        "docs/guide.md:16: example 'stale' shows 'import java.util.Map;', which "
            + "session-x/src/test/java/a/ATest.java does not compile with",
        "README.md:3: example 'same' shows no imports (every java block must)",
        "docs/guide.md:31: example 'bare' shows no imports (every java block must)",
        "docs/guide.md:31: example 'bare' does not show 'import java.util.Set;'",
        "docs/guide.md:31: example 'bare' does not show "
            + "'import static java.util.Objects.requireNonNull;'",
        "session-x/src/test/java/a/ATest.java: region 'orphan' is shown in no document");
  }

  record Block(String document, int line, String language, String id, List<String> imports,
      String text) {}

  /** A region, with the imports and the package of the file that holds it. */
  record Region(String file, String text, List<String> imports, String packageName) {}

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
      } else if (block.language().equals("java")) {
        problems.addAll(importProblems(root, where, block, found.get(0)));
      }
    }
    regions.forEach((id, list) -> {
      if (!shown.contains(id)) {
        list.forEach(r -> problems.add(r.file() + ": region '" + id + "' is shown in no document"));
      }
    });
    return problems;
  }

  /**
   * What is wrong with the imports a java block shows: none at all, one that the test holding its
   * region does not compile with, or one its code needs that it does not show.
   */
  private static List<String> importProblems(Path root, String where, Block block,
      Region region) {
    List<String> problems = new ArrayList<>();
    if (block.imports().isEmpty()) {
      problems.add(where + "example '" + block.id() + "' shows no imports (every java block "
          + "must)");
    }
    Set<String> samePackage = new TreeSet<>();
    Matcher names = TYPE_NAME.matcher(region.text());
    while (names.find()) {
      if (region.packageName() != null && isMainType(root, region.packageName(), names.group())) {
        samePackage.add("import " + region.packageName() + "." + names.group() + ";");
      }
    }
    for (String shown : block.imports()) {
      if (!region.imports().contains(shown) && !samePackage.contains(shown)) {
        problems.add(where + "example '" + block.id() + "' shows '" + shown + "', which "
            + region.file() + " does not compile with");
      }
    }
    Set<String> needed = new TreeSet<>(samePackage);
    for (String line : region.imports()) {
      Matcher m = IMPORT.matcher(line);
      if (m.matches() && m.group(3) == null) {
        String simpleName = m.group(2).substring(m.group(2).lastIndexOf('.') + 1);
        if (Pattern.compile("\\b" + simpleName + "\\b").matcher(region.text()).find()) {
          needed.add(line);
        }
      }
    }
    for (String line : needed) {
      if (!block.imports().contains(line)) {
        problems.add(where + "example '" + block.id() + "' does not show '" + line + "'");
      }
    }
    return problems;
  }

  /** Whether some module's main sources declare {@code packageName.simpleName}. */
  private static boolean isMainType(Path root, String packageName, String simpleName) {
    String file = "src/main/java/" + packageName.replace('.', '/') + "/" + simpleName + ".java";
    return modules(root).stream().anyMatch(m -> Files.isRegularFile(m.resolve(file)));
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
        int code = i + 1;
        List<String> imports = new ArrayList<>();
        while (code < end) {
          if (IMPORT.matcher(lines.get(code).strip()).matches()) {
            imports.add(lines.get(code).strip());
          } else if (!(lines.get(code).isBlank() && !imports.isEmpty() && code + 1 < end
              && IMPORT.matcher(lines.get(code + 1).strip()).matches())) {
            break; // a blank line among the imports (after the static ones) belongs to them
          }
          code++;
        }
        if (!imports.isEmpty() && code < end && lines.get(code).isBlank()) {
          code++; // the blank line between the imports and the code
        }
        String text = normalized(lines.subList(code, end));
        blocks.add(new Block(name, i + 1, fence.group(1), id, imports, text));
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
    List<String> imports = lines.stream().filter(l -> IMPORT.matcher(l).matches()).toList();
    String packageName = lines.stream().map(PACKAGE::matcher).filter(Matcher::matches)
        .map(m -> m.group(1)).findFirst().orElse(null);
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
          .add(new Region(relative, normalized(lines.subList(i + 1, end)), imports, packageName));
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
