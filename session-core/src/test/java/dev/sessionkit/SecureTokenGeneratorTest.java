// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The default generator's per-thread buffer of DRBG output: each byte handed out once and then
 * cleared, draws across refills distinct, large requests served whole, and every thread local of
 * session-core holding JDK types only (a redeploy must leave no class of ours pinned by a
 * container thread).
 */
class SecureTokenGeneratorTest {

  private final TokenGenerator secure = TokenGenerator.secure();

  @Test
  void drawsAcrossManyBufferRefillsAreDistinctAndNotZero() {
    Set<String> seen = new HashSet<>();
    int draws = 10 * SecureTokenGenerator.BUFFER_BYTES / 32;
    for (int i = 0; i < draws; i++) {
      byte[] bytes = new byte[32];
      secure.nextBytes(bytes);
      assertThat(bytes).as("draw %s", i).isNotEqualTo(new byte[32]);
      seen.add(java.util.HexFormat.of().formatHex(bytes));
    }
    assertThat(seen).hasSize(draws);
  }

  @Test
  void idsOfTwelveBytesThatDoNotDivideTheBufferAreDistinct() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(Tokens.newId(secure));
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void bytesHandedOutAreClearedFromTheBuffer() {
    byte[] first = new byte[32];
    secure.nextBytes(first);
    ByteBuffer buffer = SecureTokenGenerator.BUFFER.get();
    int handedOut = buffer.position();
    assertThat(handedOut).isBetween(32, SecureTokenGenerator.BUFFER_BYTES);
    byte[] array = buffer.array();
    for (int i = 0; i < handedOut; i++) {
      assertThat(array[i]).as("byte %s, already handed out", i).isZero();
    }
    byte[] unread = new byte[buffer.remaining()];
    buffer.duplicate().get(unread);
    if (unread.length >= 32) {
      assertThat(unread).as("the bytes not yet handed out").isNotEqualTo(new byte[unread.length]);
    }
  }

  @Test
  void aRequestLargerThanTheBufferIsFilledWholeAndLeavesTheBufferAlone() {
    secure.nextBytes(new byte[12]);
    ByteBuffer buffer = SecureTokenGenerator.BUFFER.get();
    int position = buffer.position();
    byte[] large = new byte[3 * SecureTokenGenerator.BUFFER_BYTES];
    secure.nextBytes(large);
    assertThat(buffer.position()).isEqualTo(position);
    for (int block = 0; block < 3; block++) {
      int from = block * SecureTokenGenerator.BUFFER_BYTES;
      byte[] part = java.util.Arrays.copyOfRange(large, from, from + 64);
      assertThat(part).as("block %s", block).isNotEqualTo(new byte[64]);
    }
  }

  @Test
  void everyThreadLocalOfSessionCoreHoldsOnlyJdkTypes() throws Exception {
    // draw, hash, resolve and spell an id on a fresh thread, so that every thread local is set
    SessionManager manager = SessionManager.builder().store(InMemorySessionStore.create()).build();
    List<Object> values = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      try {
        IssuedSession issued = manager.authenticate("alice", dev.sessionkit.spi.ClientInfo.NONE,
            false);
        assertThat(manager.resolve(issued.token()).orElseThrow().id()).isNotEmpty();
        for (Class<?> type : List.of(SecureTokenGenerator.class, Tokens.class,
            Class.forName("dev.sessionkit.memory.Slot"))) {
          for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())
                && ThreadLocal.class.isAssignableFrom(field.getType())) {
              field.setAccessible(true);
              values.add(((ThreadLocal<?>) field.get(null)).get());
            }
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    worker.start();
    worker.join();
    assertThat(failure.get()).isNull();
    assertThat(values).hasSizeGreaterThanOrEqualTo(5);
    for (Object value : values) {
      assertThat(value.getClass().getClassLoader()).as("%s is a JDK type", value.getClass())
          .isNull();
    }
  }
}
