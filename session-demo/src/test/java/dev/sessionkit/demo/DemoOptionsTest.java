// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaults() throws Exception {
    DemoOptions options = DemoOptions.parse(List.of());
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.store()).isEqualTo("memory");
    assertThat(options.users()).isEmpty();
    assertThat(options.sessionParams()).isEmpty();
  }

  @Test
  void everyOptionIsParsed() throws Exception {
    DemoOptions options = DemoOptions.parse(List.of("--port=0", "--store=redis://127.0.0.1:6379",
        "--idle-timeout=PT5M", "--absolute-timeout=PT1H", "--remember-me-lifetime=P7D",
        "--user=ann:pw:with:colons", "--user=ben:x"));
    assertThat(options.port()).isZero();
    assertThat(options.store()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(options.sessionParams()).containsEntry("idle-timeout", "PT5M")
        .containsEntry("absolute-timeout", "PT1H").containsEntry("remember-me-lifetime", "P7D");
    assertThat(options.users()).containsEntry("ann", "pw:with:colons").containsEntry("ben", "x");
  }

  @Test
  void badOptionsAreRejectedWithAOneLineMessageNamingThem() {
    for (List<String> args : List.of(List.of("--port=http"), List.of("--port=70000"),
        List.of("--idle-timeout=30m"), List.of("--absolute-timeout=PT0S"),
        List.of("--store=mongodb://x"), List.of("--store=jdbc:nosuch://x"),
        List.of("--idle-timeout=PT9H"), List.of("--remember-me-lifetime=P500D"),
        List.of("--user=nopassword"), List.of("--user=:pw"),
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
    Process process = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java", "-cp", System.getProperty("java.class.path"),
        DemoServer.class.getName(), "--port=eighty").redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output.strip().lines()).singleElement()
        .satisfies(l -> assertThat(l).contains("--port"));
  }
}
