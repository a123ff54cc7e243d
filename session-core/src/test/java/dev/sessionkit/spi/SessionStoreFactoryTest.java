// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionStoreFactoryTest {

  /** Registered in src/test/resources/META-INF/services for this test. */
  public static final class TestMemoryFactory implements SessionStoreFactory {
    @Override
    public boolean supports(String location) {
      return location.startsWith("test-memory:");
    }

    @Override
    public Stores create(Map<String, String> settings) {
      return Stores.of(InMemorySessionStore.withMaxSessions(
          Integer.parseInt(settings.get(LOCATION).substring("test-memory:".length()))));
    }
  }

  @Test
  void findsTheRegisteredFactoryForALocation() {
    ClassLoader loader = getClass().getClassLoader();
    SessionStoreFactory factory =
        SessionStoreFactory.forLocation("test-memory:5", loader).orElseThrow();
    assertThat(factory).isInstanceOf(TestMemoryFactory.class);
    try (Stores stores = factory.create(Map.of(SessionStoreFactory.LOCATION, "test-memory:5"))) {
      assertThat(stores.sessions()).isInstanceOf(InMemorySessionStore.class)
          .isSameAs(stores.rememberMe());
    }
  }

  @Test
  void findsNothingForAnUnknownLocation() {
    assertThat(SessionStoreFactory.forLocation("mongodb://x", getClass().getClassLoader()))
        .isEmpty();
  }
}
