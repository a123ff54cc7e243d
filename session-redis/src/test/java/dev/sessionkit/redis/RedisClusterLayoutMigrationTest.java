// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.redis.internal.ClientSetup;
import dev.sessionkit.redis.internal.RedisKeys;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new user upgrades a Redis Cluster that holds layout-3 data: the store refuses to start and
 * names a command; that command, run as the message says against every primary, removes the old
 * keys (of every bucket, so of many slots per primary), and the store then starts.
 */
class RedisClusterLayoutMigrationTest {

  private static RedisNamespace redis;
  private static StatefulRedisClusterConnection<String, String> admin;

  @BeforeAll
  static void connect() {
    redis = RedisNamespace.open(RedisTopology.CLUSTER, "migration-test");
    admin = ((RedisClusterClient) redis.client()).connect();
    ClientSetup.connectPrimaries(admin); // else the first commands to a node are rejected
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      admin.close();
      redis.close();
      redis = null;
    }
  }

  @Test
  void theCommandTheRefusalNamesRemovesLayout3DataFromEveryPrimaryOfACluster() throws Exception {
    String prefix = redis.newPrefix();
    for (int i = 0; i < RedisKeys.BUCKETS; i++) { // every bucket: many slots on each primary
      String root = prefix + "v3:{" + RedisKeys.bucket(i) + "}:";
      admin.sync().zadd(root + "due", 1, "an entry of layout 3");
      admin.sync().set(root + "t:a-token-hash", "an id");
    }

    String message = catchRefusal(prefix);
    Matcher command = Pattern.compile("sign in again\\): (redis-cli .*? unlink)").matcher(message);
    assertThat(command.find()).as("the refusal names a command: %s", message).isTrue();

    for (RedisClusterNode node : admin.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        RedisURI uri = node.getUri();
        String onNode = command.group(1).replace("redis-cli ",
            "redis-cli -h " + uri.getHost() + " -p " + uri.getPort() + " ");
        String output = run(onNode);
        assertThat(output).as("%s", onNode).doesNotContain("CROSSSLOT").doesNotContain("ERR");
      }
    }

    assertThat(redis.keysUnder(prefix)).as("no key of layout 3 left").isEmpty();
    redis.store(prefix).close(); // starts now
  }

  private static String catchRefusal(String prefix) {
    List<String> messages = new ArrayList<>();
    assertThatThrownBy(() -> redis.store(prefix).close())
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> messages.add(e.getMessage()));
    return messages.get(0);
  }

  private static String run(String shellCommand) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", shellCommand).redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
