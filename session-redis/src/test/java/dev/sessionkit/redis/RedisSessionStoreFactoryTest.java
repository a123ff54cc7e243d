// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sessionkit.spi.AttributeCodecException;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.SessionStoreFactory;
import dev.sessionkit.spi.Stores;
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
  void createsOneWorkingStoreForSessionsAndSeriesFromTheSettingsAndClosesItsClient() {
    RedisTestSupport.requireRedis();
    String prefix = RedisTestSupport.RUN_PREFIX + "factory:";
    Map<String, String> settings = Map.of(SessionStoreFactory.LOCATION, "redis://127.0.0.1:6379",
        RedisSessionStoreFactory.KEY_PREFIX, prefix, RedisSessionStoreFactory.TIMEOUT, "1500ms",
        RedisSessionStoreFactory.TTL_MARGIN, "PT30S");
    Stores stores = new RedisSessionStoreFactory().create(settings);
    SessionRecord record = record(Map.of("cart", "apple"));
    try {
      assertThat(stores.sessions()).isInstanceOf(RedisSessionStore.class)
          .isSameAs(stores.rememberMe())
          .hasToString("RedisSessionStore[redis://127.0.0.1:6379, prefix=" + prefix
              + ", timeout=1500ms]");
      assertThat(stores.sessions().create(record, 0)).isTrue();
      assertThat(stores.sessions().findById(record.id())).contains(record);
      assertThat(stores.sessions().delete(record.id())).isTrue();
    } finally {
      stores.close();
    }
    assertThatThrownBy(() -> stores.sessions().findById(record.id()))
        .isInstanceOf(SessionStoreException.class);
    stores.close(); // idempotent
  }

  @Test
  void theAllowListSettingAdmitsApplicationClasses() {
    RedisTestSupport.requireRedis();
    Map<String, String> settings = new HashMap<>();
    settings.put(SessionStoreFactory.LOCATION, "redis://127.0.0.1:6379");
    settings.put(RedisSessionStoreFactory.KEY_PREFIX, RedisTestSupport.RUN_PREFIX + "allow:");
    SessionRecord withCart = record(Map.of("cart", new Cart("book")));
    try (Stores plain = new RedisSessionStoreFactory().create(settings)) {
      // the default allow-list refuses the class at the write: nothing is stored
      assertThatThrownBy(() -> plain.sessions().create(withCart, 0))
          .isInstanceOf(AttributeCodecException.class).hasMessageContaining(Cart.class.getName());
      assertThat(plain.sessions().findById(withCart.id())).isEmpty();
    }
    settings.put(RedisSessionStoreFactory.ATTRIBUTE_ALLOW, Cart.class.getName() + ", java.net.*");
    try (Stores allowing = new RedisSessionStoreFactory().create(settings)) {
      assertThat(allowing.sessions().create(withCart, 0)).isTrue();
      assertThat(allowing.sessions().findById(withCart.id())).contains(withCart);
      assertThat(allowing.sessions().delete(withCart.id())).isTrue();
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

  /**
   * A cluster location whose password holds a URL delimiter ({@code #}, {@code ?}, {@code /})
   * not percent-encoded: the node URIs Lettuce parsed from it took part of the password for the
   * host, so that part appeared in the store's "cannot connect to" message, its toString and
   * Lettuce's exceptions. It is refused as the other location forms refuse it, redacted.
   */
  @Test
  void aClusterLocationWithAnUnencodedDelimiterInThePasswordIsRefusedWithoutRevealingIt() {
    for (String password : new String[] {"pw#12345", "pw?12345", "pw/12345"}) {
      assertThatThrownBy(() -> RedisSessionStore.builder()
          .uri("redis-cluster://:" + password + "@127.0.0.1:7101,127.0.0.1:7102"))
          .as(password)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("redis-cluster://***@127.0.0.1:7101")
          .hasMessageNotContaining("12345").hasMessageNotContaining("pw").hasNoCause();
    }
  }

  @Test
  void aClientOrConnectionOfTheApplicationStaysOpenAfterClose() {
    RedisTestSupport.requireRedis();
    RedisClient client = RedisTestSupport.client();
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisSessionStore.codec())) {
      String prefix = RedisTestSupport.RUN_PREFIX + "open:";
      RedisSessionStore.builder().client(client).keyPrefix(prefix).build().close();
      RedisSessionStore.builder().connection(connection).keyPrefix(prefix).build().close();
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
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Redis location");
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
    return RoundTripScenario.authenticated("judy", System.currentTimeMillis())
        .withAttributes(attributes);
  }
}
