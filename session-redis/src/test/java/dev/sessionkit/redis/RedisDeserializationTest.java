// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SessionManager;
import dev.sessionkit.redis.internal.RedisKeys;
import dev.sessionkit.redis.internal.SessionHash;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.JavaSerializationCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OWASP ASVS 1.5.2: hostile serialized bytes written straight into a session's attribute field in
 * Redis (by anyone who can write to Redis) are refused by the codec's allow-list before any code of
 * the named class runs, and the session is treated as absent, never as an error.
 */
class RedisDeserializationTest {

  /** A class whose deserialization leaves a trace: what a gadget chain would name. */
  static final class Trap implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger READS = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      READS.incrementAndGet();
      in.defaultReadObject();
    }
  }

  private RedisClient client;
  private String prefix;
  private SessionManager manager;

  @BeforeEach
  void connect() {
    RedisTestSupport.requireRedis();
    client = RedisTestSupport.client();
    prefix = RedisTestSupport.RUN_PREFIX + "gadget:";
    manager = SessionManager.builder()
        .store(RedisSessionStore.builder().client(client).keyPrefix(prefix).build()).build();
  }

  @AfterEach
  void disconnect() {
    if (client != null) {
      try (StatefulRedisConnection<String, String> admin = client.connect()) {
        RedisTestSupport.deleteUnder(admin, prefix);
      }
      manager.store().close();
      client.shutdown();
    }
  }

  @Test
  void aGadgetWrittenIntoAnAttributeFieldIsRefusedAndRunsNoCode() {
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, false);
    login.session().putAttribute("cart", "apple");
    byte[] gadget = JavaSerializationCodec.builder().allow(Trap.class.getName()).build()
        .encode("cart", new Trap());
    Trap.READS.set(0);
    try (StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
      String id = login.session().id();
      raw.sync().hset(bytes(new RedisKeys(prefix).session(RedisKeys.bucketOfSessionId(id), id)),
          bytes(SessionHash.ATTRIBUTE + "cart"), gadget);
    }

    assertThat(manager.resolve(login.token())).as("treated as absent, not an error").isEmpty();
    assertThat(Trap.READS).as("the gadget's readObject ran").hasValue(0);
    assertThat(manager.resolve(login.token())).as("and removed").isEmpty();
    assertThat(manager.sessionsOf("alice")).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
