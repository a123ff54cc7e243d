// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The release check of the published artifacts, as Maven Central and users expect them: for each
 * published module {@code session-NAME}, its {@code target/} holds exactly one main jar, of the
 * build's version, whose manifest's {@code Automatic-Module-Name} is {@code dev.sessionkit.NAME}
 * and which carries {@code META-INF/LICENSE}; a sources jar that holds {@code .java} files; a
 * Javadoc jar that holds {@code index.html} and no page of an {@code internal} package; and
 * {@code session-bom} manages the module at the build's version. The published modules are the
 * root POM's modules of {@code jar} packaging that do not set {@code maven.deploy.skip}.
 *
 * <p>Reads files only (the jars with {@link java.util.jar}, the POMs with the JDK's DOM parser);
 * problems are returned as sentences, relative to the root, never thrown.
 */
final class PublishedArtifacts {

  static final String GROUP_ID = "dev.sessionkit";
  private static final String MODULE_PREFIX = "session-";

  private PublishedArtifacts() {}

  /**
   * The published modules of the checkout at {@code root}: the modules its {@code pom.xml} lists,
   * in that order, less those of a packaging other than {@code jar} (the BOM) and those whose POM
   * sets the property {@code maven.deploy.skip} to {@code true} (demo, benchmarks, this check).
   */
  static List<String> publishedModules(Path root) {
    List<String> published = new ArrayList<>();
    for (String module : children(project(root.resolve("pom.xml")), "modules", "module")) {
      Element pom = project(root.resolve(module).resolve("pom.xml"));
      String packaging = text(pom, "packaging");
      String deploySkip = text(child(pom, "properties"), "maven.deploy.skip");
      if ((packaging == null || packaging.equals("jar")) && !"true".equals(deploySkip)) {
        published.add(module);
      }
    }
    return published;
  }

  /** The artifact ids of the {@code dev.sessionkit} dependencies that {@code pom} declares. */
  static List<String> sessionkitDependencies(Path pom) {
    List<String> ids = new ArrayList<>();
    for (Element dependency : elements(child(project(pom), "dependencies"), "dependency")) {
      if (GROUP_ID.equals(text(dependency, "groupId"))) {
        ids.add(text(dependency, "artifactId"));
      }
    }
    return ids;
  }

  /**
   * What is wrong with the artifacts of {@code modules} under {@code root}, built at
   * {@code version}: empty when every module's jars are complete and the BOM manages each.
   */
  static List<String> problems(Path root, String version, List<String> modules) {
    List<String> problems = new ArrayList<>();
    Path bomPom = root.resolve("session-bom/pom.xml");
    Element bom = Files.isRegularFile(bomPom) ? project(bomPom) : null;
    if (bom == null) {
      problems.add("session-bom/pom.xml: missing");
    } else if (!version.equals(text(bom, "version"))) {
      problems.add("session-bom/pom.xml: version " + text(bom, "version") + ", the build's is "
          + version);
    }
    for (String module : modules) {
      checkJars(root, version, module, problems);
      if (bom != null && !manages(bom, module, version)) {
        problems.add("session-bom/pom.xml: does not manage " + GROUP_ID + ":" + module
            + ":${project.version}");
      }
    }
    return problems;
  }

  private static void checkJars(Path root, String version, String module,
      List<String> problems) {
    Path target = root.resolve(module).resolve("target");
    String base = module + "-" + version;
    List<Path> mainJars = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
        for (Path jar : jars) {
          String name = jar.getFileName().toString();
          if (Files.isRegularFile(jar) && !name.endsWith("-sources.jar")
              && !name.endsWith("-javadoc.jar") && !name.endsWith("-tests.jar")
              && !name.endsWith("-test-sources.jar")) {
            mainJars.add(jar);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    mainJars.sort(null);
    Path expected = target.resolve(base + ".jar");
    if (mainJars.isEmpty()) {
      problems.add(module + ": no main jar " + relative(root, expected));
    } else if (mainJars.size() > 1) {
      problems.add(module + ": " + mainJars.size() + " main jars in " + relative(root, target)
          + ": " + String.join(", ", mainJars.stream().map(p -> p.getFileName().toString())
              .toList()));
    } else if (!mainJars.get(0).equals(expected)) {
      problems.add(module + ": the main jar is " + relative(root, mainJars.get(0)) + ", not "
          + relative(root, expected));
    } else {
      checkMainJar(root, module, expected, problems);
    }
    Path sources = target.resolve(base + "-sources.jar");
    if (!Files.isRegularFile(sources)) {
      problems.add(module + ": no " + relative(root, sources));
    } else if (names(sources).stream().noneMatch(n -> n.endsWith(".java"))) {
      problems.add(relative(root, sources) + ": no .java file");
    }
    Path javadoc = target.resolve(base + "-javadoc.jar");
    if (!Files.isRegularFile(javadoc)) {
      problems.add(module + ": no " + relative(root, javadoc));
    } else {
      List<String> pages = names(javadoc);
      if (!pages.contains("index.html")) {
        problems.add(relative(root, javadoc) + ": no index.html");
      }
      pages.stream().filter(n -> n.contains("/internal/")).findFirst().ifPresent(n ->
          problems.add(relative(root, javadoc) + ": documents an internal package (" + n + ")"));
    }
  }

  private static void checkMainJar(Path root, String module, Path jar, List<String> problems) {
    String expectedName = "dev.sessionkit." + module.substring(MODULE_PREFIX.length());
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String name = manifest == null ? null
          : manifest.getMainAttributes().getValue("Automatic-Module-Name");
      if (!expectedName.equals(name)) {
        problems.add(relative(root, jar) + ": Automatic-Module-Name is "
            + (name == null ? "absent" : "'" + name + "'") + ", expected '" + expectedName + "'");
      }
      if (file.getJarEntry("META-INF/LICENSE") == null) {
        problems.add(relative(root, jar) + ": no META-INF/LICENSE");
      }
    } catch (IOException e) {
      problems.add(relative(root, jar) + ": not a readable jar (" + e.getMessage() + ")");
    }
  }

  private static boolean manages(Element bom, String module, String version) {
    for (Element dependency : elements(
        child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      if (GROUP_ID.equals(text(dependency, "groupId"))
          && module.equals(text(dependency, "artifactId"))
          && List.of("${project.version}", version).contains(text(dependency, "version"))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> names(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(JarEntry::getName).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  /** The {@code <project>} element of a POM; DTDs and external entities refused. */
  private static Element project(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      Document document = factory.newDocumentBuilder().parse(pom.toFile());
      return document.getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("cannot parse " + pom + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pom, e);
    }
  }

  /** The first child element named {@code name}, or {@code null} (also for a null parent). */
  private static Element child(Element parent, String name) {
    List<Element> found = elements(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> elements(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent == null) {
      return found;
    }
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && name.equals(element.getTagName())) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    return element == null ? null : element.getTextContent().strip();
  }

  private static List<String> children(Element parent, String list, String name) {
    return elements(child(parent, list), name).stream().map(e -> e.getTextContent().strip())
        .toList();
  }
}
