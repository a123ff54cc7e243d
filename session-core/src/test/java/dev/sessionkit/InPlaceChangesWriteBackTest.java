// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@link Session#saveChanges()} writes back, through a manager and the in-memory store, for
 * values that the immutable-type shortcut of {@link AttributeChanges} must not take for immutable
 * (a mutable subclass of a non-final JDK number, an array), for {@code null}, and for a value
 * replaced by an equal one; and that values of the immutable JDK types are never written back.
 */
class InPlaceChangesWriteBackTest {

  private static final List<SaveMode> WRITING_BACK =
      List.of(SaveMode.ON_GET_ATTRIBUTE, SaveMode.ALWAYS);

  private static SessionManager manager(SaveMode mode) {
    return SessionManager.builder()
        .config(SessionConfig.builder().saveMode(mode).build())
        .store(InMemorySessionStore.create())
        .build();
  }

  private static Session request(SessionManager manager, IssuedSession issued) {
    return manager.resolve(issued.token()).orElseThrow();
  }

  @Test
  void aMutableSubclassOfAnImmutableJdkTypeChangedInPlaceIsWrittenBack() {
    for (SaveMode mode : WRITING_BACK) {
      SessionManager manager = manager(mode);
      IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
      issued.session().putAttribute("amount", new TaggedAmount("12.50"));
      issued.session().putAttribute("count", new CountingInteger(7));

      Session s = request(manager, issued);
      ((TaggedAmount) s.getAttribute("amount").orElseThrow()).tag = "paid";
      ((CountingInteger) s.getAttribute("count").orElseThrow()).reads++;
      assertThat(s.saveChanges()).as(mode.name()).containsExactlyInAnyOrder("amount", "count");
      assertThat(s.saveChanges()).as(mode.name()).isEmpty();
    }
  }

  @Test
  void anArrayChangedInPlaceAfterGetAttributeIsWrittenBack() {
    for (SaveMode mode : WRITING_BACK) {
      SessionManager manager = manager(mode);
      IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
      issued.session().putAttribute("scores", new int[] {1, 2});
      issued.session().putAttribute("names", new String[] {"ann"});

      Session s = request(manager, issued);
      ((int[]) s.getAttribute("scores").orElseThrow())[1] = 3;
      assertThat(s.getAttribute("names")).isPresent();
      assertThat(s.saveChanges()).as(mode.name()).containsExactly("scores");
      ((String[]) s.getAttribute("names").orElseThrow())[0] = "bob";
      assertThat(s.saveChanges()).as(mode.name()).containsExactly("names");
    }
  }

  @Test
  void aNullValueIsNeverTrackedAndRemovesTheAttribute() {
    for (SaveMode mode : SaveMode.values()) {
      SessionManager manager = manager(mode);
      IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
      issued.session().putAttribute("cart", new ArrayList<>(List.of("apple")));

      Session s = request(manager, issued);
      assertThat(s.getAttribute("missing")).isEmpty();
      s.putAttribute("cart", null);
      assertThat(s.saveChanges()).as(mode.name()).isEmpty();
      assertThat(request(manager, issued).getAttribute("cart")).as(mode.name()).isEmpty();
    }
  }

  @Test
  void aValueReplacedByAnEqualOneIsComparedFromTheNewValueOn() {
    for (SaveMode mode : WRITING_BACK) {
      SessionManager manager = manager(mode);
      IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
      issued.session().putAttribute("cart", new ArrayList<>(List.of("apple")));

      Session s = request(manager, issued);
      assertThat(s.getAttribute("cart")).isPresent();
      List<String> equal = new ArrayList<>(List.of("apple"));
      s.putAttribute("cart", equal);
      assertThat(s.saveChanges()).as(mode.name()).isEmpty();
      equal.add("pear");
      assertThat(s.saveChanges()).as(mode.name()).containsExactly("cart");
    }
  }

  @Test
  void valuesOfImmutableJdkTypesThatWereReadAreNeverWrittenBack() {
    for (SaveMode mode : SaveMode.values()) {
      SessionManager manager = manager(mode);
      IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
      issued.session().updateAttributes(Map.of("name", "ann", "count", 3,
          "amount", new BigDecimal("1.5"), "big", BigInteger.TWO), Set.of());

      Session s = request(manager, issued);
      s.attributes();
      assertThat(s.saveChanges()).as(mode.name()).isEmpty();
    }
  }

  /** A mutable subclass of {@link BigDecimal}: its tag is serialized with it. */
  private static final class TaggedAmount extends BigDecimal {
    private static final long serialVersionUID = 1L;
    String tag = "open";

    TaggedAmount(String value) {
      super(value);
    }
  }

  /** A mutable subclass of {@link BigInteger}. */
  private static final class CountingInteger extends BigInteger {
    private static final long serialVersionUID = 1L;
    int reads;

    CountingInteger(long value) {
      super(Long.toString(value));
    }
  }
}
