// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.RoutingTag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No secret in a log line, at any level (OWASP ASVS 7.2.3, 16.2.5): {@link LogSecrecyCycle} runs a
 * full day of one user (login, remember-me, rotation, force logout, logout) over the store in a
 * JVM of its own whose SLF4J Simple binding logs everything at TRACE, and every line it wrote is
 * searched for every session token, remember-me token, selector and validator it was handed.
 * Driver and client libraries on the class path (JDBC drivers, Lettuce, Netty) log at TRACE too.
 *
 * <pre>{@code
 * class MyStoreLogSecrecyTest extends LogSecrecyContract {
 *   protected Map<String, String> storeSettings() {
 *     return Map.of("store", "mystore://localhost", "mystore.prefix", "logscan:");
 *   }
 * }
 * }</pre>
 */
public abstract class LogSecrecyContract {

  /**
   * Returns the settings of the store ({@code store} = {@code memory} or a factory location).
   *
   * @return the settings of the store ({@code store} = {@code memory} or a factory location)
   */
  protected abstract Map<String, String> storeSettings();

  @Test
  void noTokenSelectorOrValidatorAppearsInAnyLogLineAtTrace() throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
        "-Dorg.slf4j.simpleLogger.logFile=System.err",
        "-Dorg.slf4j.simpleLogger.showDateTime=false",
        "-cp", System.getProperty("java.class.path"),
        LogSecrecyCycle.class.getName()));
    storeSettings().forEach((k, v) -> command.add(k + "=" + v));
    Process child = new ProcessBuilder(command).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(child.getErrorStream()));
    String out = read(child.getInputStream());
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the cycle finished").isTrue();
    String log = err.get(1, TimeUnit.MINUTES);
    assertThat(child.exitValue()).as("the cycle failed:\n%s", tail(log)).isZero();

    int begin = out.indexOf(LogSecrecyCycle.BEGIN);
    int end = out.indexOf(LogSecrecyCycle.END);
    assertThat(begin).as("the cycle printed its secrets").isNotNegative();
    List<String> secrets = new ArrayList<>();
    for (String line : out.substring(begin + LogSecrecyCycle.BEGIN.length(), end).strip()
        .split("\n")) {
      String secret = line.strip();
      secrets.add(secret);
      for (String part : secret.split("\\.")) {
        // the token, or the selector and the validator; not a routing tag (public, and in keys)
        if (part.length() > RoutingTag.MAX_LENGTH && !part.equals(secret)) {
          secrets.add(part);
        }
      }
    }
    assertThat(secrets).hasSizeGreaterThan(20);
    assertThat(log).as("the cycle logged (the security log at least)")
        .contains("dev.sessionkit.security", "remember-me theft detected", "LOGGED_OUT");
    for (String secret : secrets) {
      assertThat(log).as("a log line holds a secret").doesNotContain(secret);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return bytes.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }
}
