// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A principal's key set behaves as a set while small, past the switch to a hash set, and back. */
class SmallSetTest {

  @Test
  void behavesLikeAHashSetThroughRandomAddsAndRemovesOnBothSidesOfTheSwitch() {
    Random random = new Random(7);
    SmallSet<String> small = new SmallSet<>();
    Set<String> model = new HashSet<>();
    for (int step = 0; step < 20_000; step++) {
      // a key space of 40 crosses the array limit of 16 up and down many times
      String key = "s" + random.nextInt(40);
      if (random.nextInt(3) == 0) {
        assertThat(small.remove(key)).as("remove %s at %s", key, step).isEqualTo(model.remove(key));
      } else {
        assertThat(small.add(key)).as("add %s at %s", key, step).isEqualTo(model.add(key));
      }
      assertThat(small.size()).isEqualTo(model.size());
      assertThat(small.isEmpty()).isEqualTo(model.isEmpty());
      assertThat(small.contains(key)).isEqualTo(model.contains(key));
      if (step % 100 == 0) {
        assertThat(small.toList()).containsExactlyInAnyOrderElementsOf(model);
      }
    }
  }

  @Test
  void aSingleKeyComesAndGoes() {
    SmallSet<String> small = new SmallSet<>();
    assertThat(small.isEmpty()).isTrue();
    assertThat(small.add("a")).isTrue();
    assertThat(small.add("a")).isFalse();
    assertThat(small.toList()).containsExactly("a");
    assertThat(small.remove("b")).isFalse();
    assertThat(small.remove("a")).isTrue();
    assertThat(small.isEmpty()).isTrue();
    assertThat(small.toList()).isEmpty();
  }

  @Test
  void aLargeSetKeepsEveryKey() {
    SmallSet<Integer> small = new SmallSet<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(small.add(i)).isTrue();
    }
    assertThat(small.size()).isEqualTo(1000);
    for (int i = 0; i < 1000; i += 2) {
      assertThat(small.remove(i)).isTrue();
    }
    assertThat(small.toList()).hasSize(500).allMatch(i -> i % 2 == 1);
  }
}
