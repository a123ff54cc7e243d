// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo prints passwords, so it listens on the loopback address unless told otherwise. */
class DemoBindTest {

  @Test
  void listensOnLoopbackByDefaultAndEverywhereOnlyWhenTold() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DemoServer demo = DemoServer.start(DemoOptions.parse(List.of("--port=0")),
        new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(demo.host()).isEqualTo("127.0.0.1");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on 127.0.0.1:")
          .doesNotContain("warning");
      connect(InetAddress.getLoopbackAddress(), demo.port());
      if (external.isPresent()) {
        assertThatThrownBy(() -> connect(external.get(), demo.port()))
            .as("not reachable on %s", external.get()).isInstanceOf(IOException.class);
      } else {
        System.out.println("DemoBindTest: this machine has no non-loopback IPv4 address;"
            + " checked the bound host only");
      }
    }
    out.reset();
    try (DemoServer demo = DemoServer.start(DemoOptions.parse(List.of("--port", "0",
            "--bind", "0.0.0.0")),
        new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(demo.host()).isEqualTo("0.0.0.0");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("warning: --bind 0.0.0.0");
      if (external.isPresent()) {
        connect(external.get(), demo.port());
      }
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
