// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public surface stays what the design says: the {@code spi} package is a leaf (it imports
 * nothing from the API package above it), and no module imports another module's internal
 * package (benchmarks and tests included). Reads the sources of every module of the checkout.
 */
class ModuleBoundariesTest {

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(dev\\.sessionkit(?:\\.[a-z]\\w*)*)\\.[A-Z*]",
          Pattern.MULTILINE);

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theSpiPackageImportsNothingAboveIt() throws IOException {
    Path spi = Path.of("src/main/java/dev/sessionkit/spi");
    List<String> violations = new ArrayList<>();
    for (Path file : javaFiles(spi)) {
      for (String pkg : importedPackages(file)) {
        if (!pkg.startsWith("dev.sessionkit.spi")) {
          violations.add(file.getFileName() + " imports " + pkg);
        }
      }
      String text = Files.readString(file);
      Matcher qualified = Pattern.compile("dev\\.sessionkit\\.(?!spi\\b)[A-Za-z]+\\.?[A-Z]\\w*")
          .matcher(text.replaceAll("(?m)^package .*$", ""));
      while (qualified.find()) {
        violations.add(file.getFileName() + " names " + qualified.group());
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void noModuleImportsAnotherModulesInternalPackage() throws IOException {
    List<Path> modules;
    try (Stream<Path> dirs = Files.list(ROOT)) {
      modules = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))
          && d.getFileName().toString().startsWith("session-")).toList();
    }
    assertThat(modules).extracting(m -> m.getFileName().toString()).contains("session-core");
    List<String> violations = new ArrayList<>();
    for (Path module : modules) {
      for (Path file : javaFiles(module.resolve("src"))) {
        for (String pkg : importedPackages(file)) {
          if (pkg.contains(".internal") && !ownPackage(module, pkg)) {
            violations.add(ROOT.relativize(file) + " imports " + pkg);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void coreHasNoPublicInternalPackage() {
    assertThat(Path.of("src/main/java/dev/sessionkit/internal")).doesNotExist();
  }

  private static boolean ownPackage(Path module, String pkg) {
    return Files.isDirectory(module.resolve("src/main/java/" + pkg.replace('.', '/')));
  }

  private static List<String> importedPackages(Path file) throws IOException {
    List<String> result = new ArrayList<>();
    Matcher m = IMPORT.matcher(Files.readString(file));
    while (m.find()) {
      result.add(m.group(1));
    }
    return result;
  }

  private static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
