// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What session-redis leaves out of Lettuce's dependencies stays out: the token-authentication
 * beta {@code redis-authx-core}, which only {@code io.lettuce.authx} uses. This module's tests run
 * on the same class path as an application, so every other Redis test shows the store works
 * without it.
 */
class RedisDependenciesTest {

  @Test
  void lettucesTokenAuthenticationBetaIsNotOnTheClassPath() throws Exception {
    assertThatThrownBy(() -> Class.forName("redis.clients.authentication.core.TokenManager"))
        .isInstanceOf(ClassNotFoundException.class);

    // Lettuce's only user of it is there, and cannot link without it.
    Class<?> user = Class.forName("io.lettuce.authx.TokenBasedRedisCredentialsProvider", false,
        getClass().getClassLoader());
    assertThatThrownBy(user::getDeclaredConstructors)
        .isInstanceOf(NoClassDefFoundError.class)
        .hasMessageContaining("redis/clients/authentication/core");
    assertThat(Class.forName("io.lettuce.core.RedisClient")).isNotNull();
  }
}
