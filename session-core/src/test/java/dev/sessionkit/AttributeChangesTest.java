// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What each {@link SaveMode} compares; the store behaviour is {@code SaveModeContract}'s. */
class AttributeChangesTest {

  @Test
  void valuesOfImmutableJdkTypesAreNeverSerializedToBeCompared() {
    for (Object value : List.of("text", 1, 2L, 3.0, true, 'c', BigDecimal.ONE, UUID.randomUUID(),
        Instant.EPOCH, Duration.ZERO, TimeUnit.SECONDS, Locale.US)) {
      assertThat(AttributeChanges.fingerprint(value)).as(value.getClass().getName()).isEmpty();
    }
    assertThat(AttributeChanges.fingerprint(new ArrayList<>(List.of("a")))).hasSize(32);
  }

  @Test
  void theImmutableTypesAreExactlyTheirClassesNotTheirSubclasses() {
    for (Object value : List.of((byte) 1, (short) 2, 4.0f, BigInteger.TEN, String.class,
        Character.valueOf('x'), Long.valueOf(5), Boolean.FALSE)) {
      assertThat(AttributeChanges.fingerprint(value)).as(value.getClass().getName()).isEmpty();
    }
    // a subclass of a non-final JDK type may be mutable: compared by its serialized form
    assertThat(AttributeChanges.fingerprint(new CountingInteger(7))).hasSize(32);
    assertThat(AttributeChanges.fingerprint(new AtomicInteger(1))).hasSize(32);
  }

  /** A mutable subclass of {@link BigInteger}. */
  private static final class CountingInteger extends BigInteger {
    private static final long serialVersionUID = 1L;
    int reads;

    CountingInteger(long value) {
      super(Long.toString(value));
    }
  }

  @Test
  void aValueThatCannotBeSerializedIsNeverWrittenBack() {
    AttributeChanges changes = new AttributeChanges(SaveMode.ALWAYS);
    List<Object> odd = new ArrayList<>(List.of(new Object()));
    Map<String, Object> current = Map.of("odd", odd);
    changes.read("odd", odd, current);
    odd.add(new Object());
    assertThat(changes.changed(current)).isEmpty();
  }

  @Test
  void eachModeComparesWhatItSays() {
    List<String> read = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    Map<String, Object> current = Map.of("read", read, "unread", unread);
    AttributeChanges onSet = new AttributeChanges(SaveMode.ON_SET_ATTRIBUTE);
    AttributeChanges onGet = new AttributeChanges(SaveMode.ON_GET_ATTRIBUTE);
    AttributeChanges always = new AttributeChanges(SaveMode.ALWAYS);
    for (AttributeChanges c : List.of(onSet, onGet, always)) {
      c.read("read", read, current);
    }
    read.add("x");
    unread.add("y");

    assertThat(onSet.changed(current)).isEmpty();
    assertThat(onGet.changed(current)).containsOnlyKeys("read");
    assertThat(always.changed(current)).containsOnlyKeys("read", "unread");
  }

  @Test
  void aSavedValueIsComparedWithWhatWasSavedFromThenOn() {
    AttributeChanges changes = new AttributeChanges(SaveMode.ON_GET_ATTRIBUTE);
    List<String> cart = new ArrayList<>();
    Map<String, Object> current = Map.of("cart", cart);
    changes.read("cart", cart, current);
    cart.add("apple");
    assertThat(changes.changed(current)).containsOnlyKeys("cart");
    assertThat(changes.changed(current)).containsOnlyKeys("cart"); // not saved yet: still changed
    changes.saved();
    assertThat(changes.changed(current)).isEmpty();
  }
}
