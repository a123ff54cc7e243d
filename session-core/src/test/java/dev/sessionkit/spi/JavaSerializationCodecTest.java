// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class JavaSerializationCodecTest {

  /** A class whose deserialization has a side effect: the attack a gadget chain relies on. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean RAN = new AtomicBoolean();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      RAN.set(true);
      in.defaultReadObject();
    }
  }

  /** An application class a user allows explicitly. */
  record Cart(List<String> items, BigDecimal total) implements Serializable {}

  enum Theme { DARK, LIGHT }

  final AttributeCodec codec = AttributeCodec.defaultCodec();

  @Test
  void commonValuesRoundTrip() {
    List<Object> values = List.of("text", 42, 42L, 1.5d, true, 'c', new BigDecimal("9.99"),
        UUID.randomUUID(), Instant.parse("2026-01-01T00:00:00Z"), LocalDate.of(2026, 2, 3),
        new ArrayList<>(List.of("a", "b")), List.of(1, 2, 3), Set.of("x"), Map.of("k", "v"),
        new HashMap<>(Map.of("n", List.of(1L))), new TreeMap<>(Map.of("a", 1)),
        new LinkedHashSet<>(List.of("z", "y")), Arrays.asList("p", "q"));
    for (Object value : values) {
      assertThat(codec.decode("a", codec.encode("a", value))).as("%s", value.getClass())
          .isEqualTo(value);
    }
    byte[] bytes = {1, 2, 3};
    assertThat((byte[]) codec.decode("b", codec.encode("b", bytes))).containsExactly(1, 2, 3);
    String[] strings = {"s"};
    assertThat((String[]) codec.decode("s", codec.encode("s", strings))).containsExactly("s");
  }

  @Test
  void aClassOutsideTheAllowListFailsClearlyAndNeverRunsItsCode() {
    Gadget.RAN.set(false);
    byte[] hostile = JavaSerializationCodec.builder().allow(Gadget.class.getName()).build()
        .encode("evil", new Gadget());
    Gadget.RAN.set(false);

    assertThatThrownBy(() -> codec.decode("evil", hostile))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining("attribute 'evil'")
        .hasMessageContaining(Gadget.class.getName())
        .hasMessageContaining("allow-list");
    assertThat(Gadget.RAN).isFalse();
  }

  @Test
  void aDisallowedClassInsideAnAllowedCollectionIsRejectedToo() {
    Gadget.RAN.set(false);
    byte[] hostile = JavaSerializationCodec.builder().allow(Gadget.class.getName()).build()
        .encode("list", new ArrayList<>(List.of(new Gadget())));
    Gadget.RAN.set(false);
    assertThatThrownBy(() -> codec.decode("list", hostile))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining(Gadget.class.getName());
    assertThat(Gadget.RAN).isFalse();
  }

  @Test
  void usersExtendTheAllowListWithTheirOwnClasses() {
    Cart cart = new Cart(List.of("book"), new BigDecimal("12.50"));
    assertThatThrownBy(() -> codec.encode("cart", cart))
        .isInstanceOf(AttributeCodecException.class);

    JavaSerializationCodec extended = JavaSerializationCodec.builder()
        .allow(Cart.class.getName(), Theme.class.getName()).build();
    assertThat(extended.decode("cart", extended.encode("cart", cart))).isEqualTo(cart);
    assertThat(extended.decode("theme", extended.encode("theme", Theme.DARK)))
        .isEqualTo(Theme.DARK);
    assertThat(extended.allowed()).contains(Cart.class.getName());
  }

  @Test
  void patternsThatWouldOpenTheFilterAreRefused() {
    for (String bad : List.of("*", "**", "!java.lang.String", "a;b", "maxdepth=100", " ")) {
      assertThatThrownBy(() -> JavaSerializationCodec.builder().allow(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void corruptBytesFailWithACodecException() {
    assertThatThrownBy(() -> codec.decode("x", new byte[] {1, 2, 3}))
        .isInstanceOf(AttributeCodecException.class).hasMessageContaining("attribute 'x'");
    byte[] valid = codec.encode("x", "hello");
    assertThatThrownBy(() -> codec.decode("x", Arrays.copyOf(valid, valid.length - 2)))
        .isInstanceOf(AttributeCodecException.class);
  }

  @Test
  void aValueThatIsNotSerializableFailsAtEncode() {
    assertThatThrownBy(() -> codec.encode("thread", new Object()))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining("attribute 'thread'")
        .hasMessageContaining("not Serializable");
  }

  @Test
  void aValueThatWouldNotReadBackIsRefusedAtTheWrite() {
    List<Integer> tooManyReferences = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      tooManyReferences.add(i + 1000);
    }
    assertThatThrownBy(() -> codec.encode("big", tooManyReferences))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining("attribute 'big' would not read back");
    Gadget.RAN.set(false);
    assertThatThrownBy(() -> codec.encode("evil", new Gadget()))
        .isInstanceOf(AttributeCodecException.class)
        .hasMessageContaining(Gadget.class.getName());
  }

  @Test
  void deepGraphsAreRejected() {
    List<Object> deep = new ArrayList<>();
    List<Object> cursor = deep;
    for (int i = 0; i < 50; i++) {
      List<Object> next = new ArrayList<>();
      cursor.add(next);
      cursor = next;
    }
    assertThatThrownBy(() -> codec.encode("deep", deep))
        .isInstanceOf(AttributeCodecException.class);
    byte[] bytes = serialize(deep);
    assertThatThrownBy(() -> codec.decode("deep", bytes))
        .isInstanceOf(AttributeCodecException.class);
  }

  /** Plain Java serialization, without the codec's write-time check. */
  private static byte[] serialize(Object value) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
