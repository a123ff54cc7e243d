// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class DeterministicTokenGeneratorTest {

  private static final int[] LENGTHS = {32, 0, 1, 16, 33, 100, 32};

  @Test
  void sameSeedGivesTheSameBytesForTheSameCalls() {
    assertThat(sequence(DeterministicTokenGenerator.seeded(42)))
        .isEqualTo(sequence(DeterministicTokenGenerator.seeded(42)));
  }

  @Test
  void otherSeedsAndLaterCallsGiveOtherBytes() {
    List<String> a = sequence(DeterministicTokenGenerator.seeded(42));
    List<String> b = sequence(DeterministicTokenGenerator.seeded(43));

    assertThat(a.get(0)).isNotEqualTo(b.get(0)).hasSize(64);
    assertThat(a.get(0)).as("first and last call, same length").isNotEqualTo(a.get(6));
    assertThat(a.get(5)).hasSize(200);
    assertThat(a.get(5).substring(64, 128)).as("blocks of one call differ")
        .isNotEqualTo(a.get(5).substring(0, 64));
  }

  @Test
  void concurrentCallersGetDistinctBytesFromTheSameSequence() throws Exception {
    DeterministicTokenGenerator shared = DeterministicTokenGenerator.seeded(7);
    List<Callable<List<String>>> tasks = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      tasks.add(() -> {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          tokens.add(next(shared, 32));
        }
        return tokens;
      });
    }
    Set<String> concurrent = new HashSet<>();
    Concurrently.run(tasks).forEach(concurrent::addAll);

    DeterministicTokenGenerator alone = DeterministicTokenGenerator.seeded(7);
    Set<String> sequential = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      sequential.add(next(alone, 32));
    }
    assertThat(concurrent).hasSize(400).isEqualTo(sequential);
  }

  @Test
  void toStringDoesNotRevealTheSeed() {
    assertThat(DeterministicTokenGenerator.seeded(987_654_321L).toString())
        .doesNotContain("987654321");
  }

  private static List<String> sequence(DeterministicTokenGenerator generator) {
    return Arrays.stream(LENGTHS).mapToObj(n -> next(generator, n)).toList();
  }

  private static String next(DeterministicTokenGenerator generator, int length) {
    byte[] bytes = new byte[length];
    generator.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
