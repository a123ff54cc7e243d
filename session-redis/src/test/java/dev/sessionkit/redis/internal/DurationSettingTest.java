// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationSettingTest {

  @Test
  void readsUnitsAndIso8601() {
    assertThat(DurationSetting.parse("x", "1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationSetting.parse("x", " 2s ")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationSetting.parse("x", "5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationSetting.parse("x", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationSetting.parse("x", "PT0.25S")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void namesTheSettingWhenTheValueIsNotADuration() {
    for (String bad : new String[] {"", "2", "2 days", "-1s", "1.5s", "PT"}) {
      assertThatThrownBy(() -> DurationSetting.parse("redis-timeout", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("redis-timeout must be a duration");
    }
  }
}
