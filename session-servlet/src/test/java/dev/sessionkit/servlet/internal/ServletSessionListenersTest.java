// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionkit.SessionEvent;
import dev.sessionkit.SessionListener;
import dev.sessionkit.servlet.testapp.CompatEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServletSessionListenersTest {

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void aListenerThatThrowsIsSkippedAndTheOthersStillHearTheEvent() {
    ServletSessionListeners listeners = ServletSessionListeners.load("http-session-listeners",
        List.of(CompatEvents.FailingListener.class.getName(),
            CompatEvents.ServletListener.class.getName()), loader);
    CompatEvents.clear();

    listeners.created(new EndedHttpSession("abc", null));

    assertThat(CompatEvents.all()).containsExactly("created abc");
  }

  @Test
  void onlyEndsWithoutARequestReachSessionDestroyedThroughTheManager() {
    ServletSessionListeners listeners = ServletSessionListeners.load("http-session-listeners",
        List.of(CompatEvents.ServletListener.class.getName()), loader);
    SessionListener bridge = listeners.endsWithoutARequest(null);
    CompatEvents.clear();

    for (SessionEvent.Type type : SessionEvent.Type.values()) {
      bridge.onEvent(new SessionEvent(type, type.name(), "ann", Instant.EPOCH, null));
    }

    assertThat(CompatEvents.all()).containsExactly("destroyed EXPIRED []", "destroyed REVOKED []");
    assertThat(ServletSessionListeners.NONE.endsWithoutARequest(null)).isNull();
  }

  @Test
  void theViewOfAnEndedSessionKnowsOnlyItsId() {
    EndedHttpSession ended = new EndedHttpSession("abc", null);
    assertThat(ended.getId()).isEqualTo("abc");
    assertThat(ended.getAttribute("cart")).isNull();
    assertThat(ended.getAttributeNames().hasMoreElements()).isFalse();
    assertThatThrownBy(ended::getCreationTime).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("abc has ended");
    assertThat(ended).isEqualTo(new EndedHttpSession("abc", null))
        .isNotEqualTo(new EndedHttpSession("abd", null));
  }
}
