package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sessionkit.AuthenticationMethod;
import dev.sessionkit.SessionStoreException;
import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.SessionStoreFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSessionStoreFactoryTest {

  private static final ClassLoader LOADER = RedisSessionStoreFactoryTest.class.getClassLoader();

  /** An application class that the default allow-list does not know. */
  record Cart(String item) implements Serializable {}

  @Test
  void isFoundForRedisLocationsOnly() {
    assertThat(SessionStoreFactory.forLocation("redis://127.0.0.1:6379", LOADER))
        .get().isInstanceOf(RedisSessionStoreFactory.class);
    assertThat(SessionStoreFactory.forLocation("rediss://cache.example:6380/2", LOADER))
        .get().isInstanceOf(RedisSessionStoreFactory.class);
    assertThat(SessionStoreFactory.forLocation("REDIS://127.0.0.1", LOADER)).isPresent();
    assertThat(SessionStoreFactory.forLocation("jdbc:postgresql://localhost/test", LOADER))
        .isEmpty();
    assertThat(SessionStoreFactory.forLocation("memory", LOADER)).isEmpty();
  }

  @Test
  void createsAWorkingStoreFromTheSettingsAndClosesItsClient() {
    RedisTestSupport.requireRedis();
    String prefix = RedisTestSupport.RUN_PREFIX + "factory:";
    Map<String, String> settings = Map.of(SessionStoreFactory.LOCATION, "redis://127.0.0.1:6379",
        RedisSessionStoreFactory.KEY_PREFIX, prefix, RedisSessionStoreFactory.TIMEOUT, "1500ms",
        RedisSessionStoreFactory.TTL_MARGIN, "PT30S");
    SessionStore store = new RedisSessionStoreFactory().create(settings);
    SessionRecord record = record(Map.of("cart", "apple"));
    try {
      assertThat(store).hasToString("RedisSessionStore[redis://127.0.0.1:6379, prefix=" + prefix
          + ", timeout=1500ms]");
      store.create(record);
      assertThat(store.findById(record.id())).contains(record);
      assertThat(store.delete(record.id())).isTrue();
    } finally {
      store.close();
    }
    assertThatThrownBy(() -> store.findById(record.id()))
        .isInstanceOf(SessionStoreException.class);
    store.close(); // idempotent
  }

  @Test
  void theAllowListSettingAdmitsApplicationClasses() {
    RedisTestSupport.requireRedis();
    Map<String, String> settings = new HashMap<>();
    settings.put(SessionStoreFactory.LOCATION, "redis://127.0.0.1:6379");
    settings.put(RedisSessionStoreFactory.KEY_PREFIX, RedisTestSupport.RUN_PREFIX + "allow:");
    SessionRecord withCart = record(Map.of("cart", new Cart("book")));
    try (SessionStore plain = new RedisSessionStoreFactory().create(settings)) {
      // the default allow-list refuses the class at the write: nothing is stored
      assertThatThrownBy(() -> plain.create(withCart))
          .isInstanceOf(AttributeCodecException.class).hasMessageContaining(Cart.class.getName());
      assertThat(plain.findById(withCart.id())).isEmpty();
    }
    settings.put(RedisSessionStoreFactory.ATTRIBUTE_ALLOW, Cart.class.getName() + ", java.net.*");
    try (SessionStore allowing = new RedisSessionStoreFactory().create(settings)) {
      allowing.create(withCart);
      assertThat(allowing.findById(withCart.id())).contains(withCart);
      assertThat(allowing.delete(withCart.id())).isTrue();
    }
  }

  @Test
  void badSettingsFailWithTheirName() {
    RedisSessionStoreFactory factory = new RedisSessionStoreFactory();
    String location = "redis://127.0.0.1:6379";
    assertThatThrownBy(() -> factory.create(Map.of(SessionStoreFactory.LOCATION, location,
        RedisSessionStoreFactory.TIMEOUT, "soon")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("redis-timeout");
    assertThatThrownBy(() -> factory.create(Map.of(SessionStoreFactory.LOCATION, location,
        RedisSessionStoreFactory.TIMEOUT, "0s")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("redis-timeout");
    assertThatThrownBy(() -> factory.create(Map.of(SessionStoreFactory.LOCATION, location,
        RedisSessionStoreFactory.TTL_MARGIN, "-5s")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("redis-ttl-margin");
    assertThatThrownBy(() -> factory.create(Map.of(SessionStoreFactory.LOCATION, location,
        RedisSessionStoreFactory.KEY_PREFIX, "my app*")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("redis-key-prefix");
    assertThatThrownBy(() -> factory.create(Map.of(SessionStoreFactory.LOCATION, location,
        RedisSessionStoreFactory.ATTRIBUTE_ALLOW, "com.example.*;!*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("redis-attribute-allow");
    assertThatThrownBy(() -> factory.create(Map.of(SessionStoreFactory.LOCATION,
        "redis://127.0.0.1:notaport")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("store");
    assertThatThrownBy(() -> factory.create(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("store");
  }

  @Test
  void anUnreachableRedisFailsFastWithoutRevealingThePassword() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String location = "redis://:s3cret-pw@127.0.0.1:" + port;
    assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> new RedisSessionStoreFactory().create(Map.of(
            SessionStoreFactory.LOCATION, location, RedisSessionStoreFactory.TIMEOUT, "500ms")))
            .isInstanceOf(SessionStoreException.class)
            .hasMessageContaining("cannot connect to redis://127.0.0.1:" + port)
            .hasMessageNotContaining("s3cret"));
  }

  @Test
  void aClientOrConnectionOfTheApplicationStaysOpenAfterClose() {
    RedisTestSupport.requireRedis();
    RedisClient client = RedisTestSupport.client();
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisSessionStore.codec())) {
      RedisSessionStore.builder().client(client).build().close();
      RedisSessionStore.builder().connection(connection).build().close();
      assertThat(connection.isOpen()).isTrue();
      assertThat(connection.sync().ping()).isEqualTo("PONG");
      try (StatefulRedisConnection<String, String> another = client.connect()) {
        assertThat(another.sync().ping()).isEqualTo("PONG");
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void theBuilderRejectsContradictionsAndBadValues() {
    assertThatThrownBy(() -> RedisSessionStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one");
    RedisClient client = RedisClient.create();
    try {
      assertThatThrownBy(() -> RedisSessionStore.builder().uri("redis://localhost")
          .client(client).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("got 2");
    } finally {
      client.shutdown();
    }
    assertThatThrownBy(() -> RedisSessionStore.builder().uri("http://example.com"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Redis URI");
    assertThatThrownBy(() -> RedisSessionStore.builder().uri("redis://:pw-123@host:port"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://***@host")
        .hasMessageNotContaining("pw-123").hasNoCause();
    assertThatThrownBy(() -> RedisSessionStore.builder().keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisSessionStore.builder().keyPrefix("a[b]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a[b]");
    assertThatThrownBy(() -> RedisSessionStore.builder().timeout(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2M");
    assertThatThrownBy(() -> RedisSessionStore.builder().ttlMargin(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT48H");
  }

  private static SessionRecord record(Map<String, Object> attributes) {
    long now = System.currentTimeMillis();
    return new SessionRecord(RoundTripScenario.randomId(), RoundTripScenario.randomHash(),
        "judy", now, now, AuthenticationMethod.INTERACTIVE, now, 60_000, now + 3_600_000, null,
        null, null, attributes);
  }
}
