// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SessionConfigTest {

  @Test
  void defaultsAreThoseOfTheDesign() {
    SessionConfig config = SessionConfig.defaults();
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.absoluteTimeout()).isEqualTo(Duration.ofHours(8));
    assertThat(config.rememberMeLifetime()).isEqualTo(Duration.ofDays(30));
    assertThat(config.rememberMeGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.touchInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxSessionsPerPrincipal()).isEqualTo(OptionalInt.empty());
    assertThat(config.sessionCapPolicy()).isEqualTo(SessionCapPolicy.EVICT_LEAST_RECENTLY_USED);
  }

  @Test
  void zeroOrNegativeDurationsAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> SessionConfig.builder().idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> SessionConfig.builder().absoluteTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absoluteTimeout");
    assertThatThrownBy(() -> SessionConfig.builder().rememberMeLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rememberMeLifetime");
    assertThatThrownBy(() -> SessionConfig.builder().rememberMeGracePeriod(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rememberMeGracePeriod");
    assertThatThrownBy(() -> SessionConfig.builder().touchInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("touchInterval");
    assertThatThrownBy(() -> SessionConfig.builder().maxSessionsPerPrincipal(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSessionsPerPrincipal");
    assertThatThrownBy(() -> SessionConfig.builder().idleTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("idleTimeout");
  }

  @Test
  void idleLongerThanAbsoluteIsRejected() {
    assertThatThrownBy(() -> SessionConfig.builder().idleTimeout(Duration.ofHours(9)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout").hasMessageContaining("absoluteTimeout");
  }

  @Test
  void touchIntervalMustBeShorterThanTheIdleTimeout() {
    assertThatThrownBy(() -> SessionConfig.builder().idleTimeout(Duration.ofMinutes(1))
        .touchInterval(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("touchInterval");
  }

  @Test
  void graceMustBeShorterThanTheRememberMeLifetime() {
    assertThatThrownBy(() -> SessionConfig.builder().rememberMeLifetime(Duration.ofSeconds(5))
        .build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rememberMeGracePeriod");
  }

  @Test
  void rememberMeLifetimeIsCappedAt400Days() {
    assertThatThrownBy(() -> SessionConfig.builder().rememberMeLifetime(Duration.ofDays(401)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("400 days");
    assertThat(SessionConfig.builder().rememberMeLifetime(Duration.ofDays(400)).build()
        .rememberMeLifetime()).isEqualTo(Duration.ofDays(400));
  }

  @Test
  void toBuilderKeepsEveryValue() {
    SessionConfig config = SessionConfig.builder().idleTimeout(Duration.ofMinutes(5))
        .absoluteTimeout(Duration.ofHours(1)).rememberMeLifetime(Duration.ofDays(7))
        .rememberMeGracePeriod(Duration.ofSeconds(2)).touchInterval(Duration.ZERO)
        .maxSessionsPerPrincipal(3).sessionCapPolicy(SessionCapPolicy.REFUSE_NEW).build();
    assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
    assertThat(config.toString()).contains("PT5M", "maxSessionsPerPrincipal=3");
  }
}
