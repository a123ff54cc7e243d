// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The release check on this build's artifacts (see {@link PublishedArtifacts}). Run by
 * maven-failsafe in {@code integration-test}, after every published module's {@code package}
 * phase: this module depends on each of them. The POM passes the checkout's root
 * ({@code sessionkit.root}) and the build's version ({@code sessionkit.version}).
 */
class PublishedArtifactsIT {

  private static final Path ROOT = Path.of(property("sessionkit.root"));
  private static final String VERSION = property("sessionkit.version");

  @Test
  void everyPublishedModuleHasItsJarSourcesJarJavadocJarAndBomEntry() {
    List<String> modules = PublishedArtifacts.publishedModules(ROOT);
    assertThat(modules).as("the published modules of %s", ROOT.resolve("pom.xml"))
        .contains("session-core", "session-servlet");

    assertThat(PublishedArtifacts.problems(ROOT, VERSION, modules))
        .as("problems of the published artifacts of %s", modules).isEmpty();
  }

  @Test
  void thisCheckIsBuiltAfterEveryPublishedModule() {
    assertThat(PublishedArtifacts.sessionkitDependencies(
            ROOT.resolve("session-artifacts-check/pom.xml")))
        .as("the dependencies of session-artifacts-check, which order the reactor")
        .containsExactlyInAnyOrderElementsOf(PublishedArtifacts.publishedModules(ROOT));
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set: run this test "
          + "through Maven (./mvnw verify), whose failsafe configuration sets it");
    }
    return value;
  }
}
