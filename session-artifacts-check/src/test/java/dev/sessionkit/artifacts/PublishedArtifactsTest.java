// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PublishedArtifacts} on checkouts made up in a temporary directory: complete artifacts
 * pass, and each missing or incomplete one is reported.
 */
class PublishedArtifactsTest {

  private static final String VERSION = "1.2.0";

  @TempDir
  Path root;

  @Test
  void completeArtifactsOfEveryModuleHaveNoProblem() throws IOException {
    checkout("session-core", "session-x");
    complete("session-core");
    complete("session-x");

    assertThat(PublishedArtifacts.problems(root, VERSION, List.of("session-core", "session-x")))
        .isEmpty();
  }

  @Test
  void aModuleWithoutItsJavadocJarFailsTheCheck() throws IOException {
    checkout("session-x");
    complete("session-x");
    Files.delete(root.resolve("session-x/target/session-x-1.2.0-javadoc.jar"));

    assertThat(PublishedArtifacts.problems(root, VERSION, List.of("session-x")))
        .containsExactly("session-x: no session-x/target/session-x-1.2.0-javadoc.jar");
  }

  @Test
  void eachIncompleteArtifactIsReported() throws IOException {
    List<String> modules = List.of("session-nojar", "session-twojars", "session-oldjar",
        "session-name", "session-licence", "session-sources", "session-javadoc", "session-bare",
        "session-unmanaged");
    checkout(modules.toArray(String[]::new));
    for (String module : modules) {
      if (!module.equals("session-bare")) {
        complete(module);
      }
    }
    Files.delete(target("session-nojar").resolve("session-nojar-1.2.0.jar"));
    jar(target("session-twojars").resolve("session-twojars-1.1.0.jar"),
        manifest("dev.sessionkit.twojars"), "META-INF/LICENSE");
    Files.move(target("session-oldjar").resolve("session-oldjar-1.2.0.jar"),
        target("session-oldjar").resolve("session-oldjar-1.1.0.jar"));
    jar(target("session-name").resolve("session-name-1.2.0.jar"),
        manifest("session.name"), "META-INF/LICENSE");
    jar(target("session-licence").resolve("session-licence-1.2.0.jar"),
        manifest("dev.sessionkit.licence"), "a/A.class");
    jar(target("session-sources").resolve("session-sources-1.2.0-sources.jar"), null,
        "META-INF/LICENSE");
    jar(target("session-javadoc").resolve("session-javadoc-1.2.0-javadoc.jar"), null,
        "allclasses.html", "a/internal/Hidden.html");
    Files.createDirectories(target("session-bare"));
    jar(target("session-bare").resolve("session-bare-1.2.0.jar"), new Manifest(),
        "META-INF/LICENSE");
    Files.writeString(root.resolve("session-bom/pom.xml"), bom(VERSION,
        modules.stream().filter(m -> !m.equals("session-unmanaged")).toArray(String[]::new)));

    assertThat(PublishedArtifacts.problems(root, VERSION, modules)).containsExactlyInAnyOrder(
        "session-nojar: no main jar session-nojar/target/session-nojar-1.2.0.jar",
        "session-twojars: 2 main jars in session-twojars/target: session-twojars-1.1.0.jar, "
            + "session-twojars-1.2.0.jar",
        "session-oldjar: the main jar is session-oldjar/target/session-oldjar-1.1.0.jar, not "
            + "session-oldjar/target/session-oldjar-1.2.0.jar",
        "session-name/target/session-name-1.2.0.jar: Automatic-Module-Name is 'session.name', "
            + "expected 'dev.sessionkit.name'",
        "session-licence/target/session-licence-1.2.0.jar: no META-INF/LICENSE",
        "session-sources/target/session-sources-1.2.0-sources.jar: no .java file",
        "session-javadoc/target/session-javadoc-1.2.0-javadoc.jar: no index.html",
        "session-javadoc/target/session-javadoc-1.2.0-javadoc.jar: documents an internal "
            + "package (a/internal/Hidden.html)",
        "session-bare/target/session-bare-1.2.0.jar: Automatic-Module-Name is absent, expected "
            + "'dev.sessionkit.bare'",
        "session-bare: no session-bare/target/session-bare-1.2.0-sources.jar",
        "session-bare: no session-bare/target/session-bare-1.2.0-javadoc.jar",
        "session-bom/pom.xml: does not manage dev.sessionkit:session-unmanaged:${project.version}");
  }

  @Test
  void aBomOfAnotherVersionOrNoBomIsReported() throws IOException {
    checkout("session-x");
    complete("session-x");
    Files.writeString(root.resolve("session-bom/pom.xml"), bom("1.1.0", "session-x"));

    assertThat(PublishedArtifacts.problems(root, VERSION, List.of("session-x")))
        .containsExactly("session-bom/pom.xml: version 1.1.0, the build's is 1.2.0");

    Files.delete(root.resolve("session-bom/pom.xml"));

    assertThat(PublishedArtifacts.problems(root, VERSION, List.of("session-x")))
        .containsExactly("session-bom/pom.xml: missing");
  }

  @Test
  void thePublishedModulesAreTheRootsJarModulesThatAreDeployed() throws IOException {
    Files.writeString(root.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modules>
            <module>session-a</module>
            <module>session-bom</module>
            <module>session-demo</module>
            <module>session-b</module>
            <module>session-c</module>
          </modules>
        </project>
        """);
    module("session-a", "");
    module("session-bom", "<packaging>pom</packaging>");
    module("session-demo",
        "<properties><maven.deploy.skip>true</maven.deploy.skip></properties>");
    module("session-b", "<packaging>jar</packaging>");
    module("session-c",
        "<properties><maven.deploy.skip>false</maven.deploy.skip></properties>");
    Files.writeString(root.resolve("check.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <dependencies>
            <dependency><groupId>dev.sessionkit</groupId><artifactId>session-a</artifactId>
            </dependency>
            <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>
            </dependency>
            <dependency><groupId>dev.sessionkit</groupId><artifactId>session-c</artifactId>
            </dependency>
          </dependencies>
        </project>
        """);

    assertThat(PublishedArtifacts.publishedModules(root))
        .containsExactly("session-a", "session-b", "session-c");
    assertThat(PublishedArtifacts.sessionkitDependencies(root.resolve("check.xml")))
        .containsExactly("session-a", "session-c");
  }

  /** A root with {@code session-bom/pom.xml} managing {@code modules} at {@link #VERSION}. */
  private void checkout(String... modules) throws IOException {
    Files.createDirectories(root.resolve("session-bom"));
    Files.writeString(root.resolve("session-bom/pom.xml"), bom(VERSION, modules));
  }

  /** The jar, sources jar and Javadoc jar of a module as the build makes them. */
  private void complete(String module) throws IOException {
    Path target = Files.createDirectories(target(module));
    String base = module + "-" + VERSION;
    jar(target.resolve(base + ".jar"), manifest("dev.sessionkit." + module.substring(8)),
        "META-INF/LICENSE", "dev/sessionkit/A.class");
    jar(target.resolve(base + "-sources.jar"), null, "META-INF/LICENSE",
        "dev/sessionkit/A.java");
    jar(target.resolve(base + "-javadoc.jar"), null, "index.html", "dev/sessionkit/A.html");
    // other artifacts of the build that are not main jars
    jar(target.resolve(base + "-tests.jar"), null, "dev/sessionkit/ATest.class");
    Files.createDirectories(target.resolve("classes"));
  }

  private Path target(String module) {
    return root.resolve(module).resolve("target");
  }

  private void module(String module, String body) throws IOException {
    Files.createDirectories(root.resolve(module));
    Files.writeString(root.resolve(module).resolve("pom.xml"),
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">" + body + "</project>\n");
  }

  private static String bom(String version, String... modules) {
    StringBuilder pom = new StringBuilder("""
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <groupId>dev.sessionkit</groupId>
          <artifactId>session-bom</artifactId>
          <version>%s</version>
          <dependencyManagement>
            <dependencies>
        """.formatted(version));
    for (String module : modules) {
      pom.append("""
                <dependency>
                  <groupId>dev.sessionkit</groupId>
                  <artifactId>%s</artifactId>
                  <version>${project.version}</version>
                </dependency>
          """.formatted(module));
    }
    return pom.append("""
            </dependencies>
          </dependencyManagement>
        </project>
        """).toString();
  }

  private static Manifest manifest(String moduleName) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Automatic-Module-Name", moduleName);
    return manifest;
  }

  /** Writes a jar with {@code manifest} (none if null) and an entry per name. */
  private static void jar(Path file, Manifest manifest, String... entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = manifest == null ? new JarOutputStream(out)
            : new JarOutputStream(out, manifest)) {
      for (String entry : entries) {
        jar.putNextEntry(new JarEntry(entry));
        jar.write(entry.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
  }
}
