// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaults() throws Exception {
    DemoOptions options = DemoOptions.parse(List.of());
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.bind()).as("loopback unless told: the demo prints passwords")
        .isEqualTo("127.0.0.1");
    assertThat(options.store()).isEqualTo("memory");
    assertThat(options.users()).isEmpty();
    assertThat(options.sessionConfig()).usingRecursiveComparison()
        .isEqualTo(SessionConfig.defaults());
    assertThat(options.maxAnonymousSessions()).isEqualTo(AnonymousSessions.DEFAULT_MAX);
    assertThat(options.help()).isFalse();
  }

  @Test
  void everyOptionIsParsedInBothFormsAlike() throws Exception {
    List<String[]> pairs = List.of(new String[] {"port", "0"},
        new String[] {"bind", "0.0.0.0"}, new String[] {"store", "redis://127.0.0.1:6379"},
        new String[] {"idle-timeout", "PT5M"}, new String[] {"absolute-timeout", "PT1H"},
        new String[] {"remember-me-lifetime", "P7D"},
        new String[] {"max-anonymous-sessions", "40"},
        new String[] {"user", "ann:pw:with:colons"}, new String[] {"user", "ben:x"});
    List<String> equalsForm = new ArrayList<>();
    List<String> spaceForm = new ArrayList<>();
    for (String[] pair : pairs) {
      equalsForm.add("--" + pair[0] + "=" + pair[1]);
      spaceForm.add("--" + pair[0]);
      spaceForm.add(pair[1]);
    }
    for (List<String> args : List.of(equalsForm, spaceForm)) {
      DemoOptions options = DemoOptions.parse(args);
      assertThat(options.port()).as("%s", args).isZero();
      assertThat(options.bind()).isEqualTo("0.0.0.0");
      assertThat(options.store()).isEqualTo("redis://127.0.0.1:6379");
      assertThat(options.sessionConfig().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
      assertThat(options.sessionConfig().absoluteTimeout()).isEqualTo(Duration.ofHours(1));
      assertThat(options.sessionConfig().rememberMeLifetime()).isEqualTo(Duration.ofDays(7));
      assertThat(options.maxAnonymousSessions()).isEqualTo(40);
      assertThat(options.users()).containsEntry("ann", "pw:with:colons")
          .containsEntry("ben", "x");
    }
    assertThat(DemoOptions.parse(List.of("--port", "9090")).port()).isEqualTo(9090);
    assertThat(DemoOptions.parse(List.of("--port=9090")).port()).isEqualTo(9090);
  }

  @Test
  void helpIsAnOptionNotAnError() throws Exception {
    assertThat(DemoOptions.parse(List.of("--help")).help()).isTrue();
    assertThat(DemoOptions.parse(List.of("--port", "1", "-h")).help()).isTrue();
  }

  @Test
  void badOptionsAreRejectedWithAOneLineMessageNamingThem() {
    for (List<String> args : List.of(List.of("--port=http"), List.of("--port=70000"),
        List.of("--port"), List.of("--idle-timeout", "--port=1"),
        List.of("--idle-timeout=30m"), List.of("--absolute-timeout=PT0S"),
        List.of("--store=mongodb://x"), List.of("--store=jdbc:nosuch://x"),
        List.of("--idle-timeout=PT9H"), List.of("--remember-me-lifetime=P500D"),
        List.of("--user=nopassword"), List.of("--user=:pw"), List.of("--bind=a b"),
        List.of("--max-anonymous-sessions=0"),
        List.of("--colour=blue"), List.of("port=8080"))) {
      assertThatThrownBy(() -> DemoOptions.parse(args)).as("%s", args)
          .isInstanceOf(DemoOptions.BadOptionException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
              .containsAnyOf(args.get(0).replaceAll("=.*", "").replace("--", ""),
                  args.get(0)));
    }
  }

  @Test
  void aBadOptionExitsWithStatus2AndOneLine() throws Exception {
    Run run = demo("--port=eighty");
    assertThat(run.status).isEqualTo(2);
    assertThat(run.stdout).isEmpty();
    assertThat(run.stderr.strip().lines()).singleElement()
        .satisfies(l -> assertThat(l).contains("--port"));
  }

  @Test
  void helpGoesToStandardOutputWithStatus0() throws Exception {
    Run run = demo("--help");
    assertThat(run.status).isZero();
    assertThat(run.stderr).isEmpty();
    assertThat(run.stdout).startsWith("usage: java -jar session-demo.jar").contains("--port",
        "--bind", "--store", "--idle-timeout", "--absolute-timeout", "--remember-me-lifetime",
        "--max-anonymous-sessions", "--user", "--help", "--name=value or --name value");
  }

  @Test
  void aStoreLocationsPasswordIsNeverPrinted() throws Exception {
    List<String[]> runs = List.of(
        new String[] {"--store=jdbc:postgresql://demo:S3cretPw1@127.0.0.1:1/test?user=demo"
            + "&password=S3cretPw2"},
        new String[] {"--store", "jdbc:mariadb://root:S3cretPw3@127.0.0.1:1/test"},
        new String[] {"--store=jdbc:postgresql://127.0.0.1:1/test?user=x&password=S3cretPw4"},
        new String[] {"--store=redis://:S3cretPw5@127.0.0.1:1"},
        new String[] {"--store=redis://demo:S3cretPw6@127.0.0.1:1/0"},
        new String[] {"--store=mongodb://u:S3cretPw7@127.0.0.1:1"},
        new String[] {"jdbc:postgresql://u:S3cretPw8@127.0.0.1:1/test"});
    List<CompletableFuture<Run>> started = new ArrayList<>();
    for (String[] args : runs) {
      started.add(CompletableFuture.supplyAsync(() -> {
        try {
          return demo(args);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (int i = 0; i < runs.size(); i++) {
      Run run = started.get(i).get(120, TimeUnit.SECONDS);
      assertThat(run.status).as("%s", (Object) runs.get(i)).isIn(1, 2);
      assertThat(run.stdout + run.stderr).as("%s", (Object) runs.get(i))
          .doesNotContain("S3cretPw");
      assertThat(run.stderr.strip().lines()).as("%s: %s", runs.get(i)[0], run.stderr)
          .singleElement().satisfies(l -> assertThat(l).startsWith("session-demo: "));
    }
  }

  record Run(int status, String stdout, String stderr) {}

  /** Runs the demo's main class in a fresh JVM and returns what it printed and its status. */
  static Run demo(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home")
        + File.separator + "bin" + File.separator + "java", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        DemoServer.class.getName()));
    command.addAll(List.of(args));
    File err = File.createTempFile("session-demo", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(err).start();
      process.getOutputStream().close();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the demo exits").isTrue();
      return new Run(process.exitValue(), stdout,
          java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      err.delete();
    }
  }
}
