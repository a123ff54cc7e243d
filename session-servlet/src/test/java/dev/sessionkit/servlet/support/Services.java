// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's services for the tests that run the filter on a real store: PostgreSQL
 * (127.0.0.1:5432, database test, user postgres) and Redis (127.0.0.1:6379). A test whose service
 * is unreachable is skipped with the reason printed, and fails under {@code CI=true}.
 */
public final class Services {

  public static final String POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=5";
  public static final String REDIS_URI = "redis://127.0.0.1:6379";

  private Services() {}

  /** Skips the calling test (or fails it under CI=true) unless PostgreSQL answers. */
  public static void requirePostgres() {
    require("PostgreSQL", 5432);
  }

  /** Skips the calling test (or fails it under CI=true) unless Redis answers. */
  public static void requireRedis() {
    require("Redis", 6379);
  }

  private static void require(String name, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    } catch (IOException e) {
      String reason = name + " at 127.0.0.1:" + port + " is unreachable (" + e.getMessage() + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("session-servlet: " + reason + ", and CI=true requires it");
      }
      System.out.println("session-servlet: skipping: " + reason);
      Assumptions.abort(reason);
    }
  }
}
