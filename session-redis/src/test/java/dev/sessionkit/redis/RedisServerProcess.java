// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private redis-server on a free loopback port, run as a child process, that a test can freeze
 * (SIGSTOP), thaw, kill and restart with the same data. Skipped (failed under CI=true) when no
 * redis-server binary is on the PATH.
 */
final class RedisServerProcess implements AutoCloseable {

  private final Path dir;
  private final int port;
  private Process process;

  private RedisServerProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server on a free port with its data in a fresh temporary directory. */
  static RedisServerProcess start() throws Exception {
    String binary = findBinary();
    if (binary == null) {
      String message = "redis-server is not on the PATH";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + "; CI=true requires it");
      }
      System.out.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisServerProcess server = new RedisServerProcess(Files.createTempDirectory("sk-redis"), port);
    server.launch(binary);
    return server;
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Freezes the server: connections stay open, nothing is answered. */
  void pause() throws Exception {
    signal("STOP");
  }

  /** Thaws a paused server. */
  void resume() throws Exception {
    signal("CONT");
  }

  /** Kills the server at once (SIGKILL) and waits until it is gone. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same port; it loads the data of its last SAVE. */
  void restart() throws Exception {
    launch(findBinary());
  }

  private void launch(String binary) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--dir", dir.toString(), "--dbfilename", "dump.rdb",
        "--logfile", dir.resolve("redis.log").toString()));
    builder.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile());
    process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port + ": "
        + Files.readString(dir.resolve("stdout.log")));
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  private static String findBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, "redis-server");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      signal("CONT");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
