// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.spi.RoutingTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session cookie's tag names its session: it is built from the id and read back, strictly. */
class RedisKeysTest {

  @Test
  void aCookieTagNamesItsSessionAndReadsBackToTheSameId() {
    for (int i = 0; i < RedisKeys.BUCKETS; i++) {
      String id = "AbCdEf-_01234567." + RedisKeys.bucket(i);
      String tag = RedisKeys.cookieTag(id);

      assertThat(RoutingTag.isValid(tag)).as("a well-formed routing tag").isTrue();
      assertThat(tag).hasSize(18).doesNotContain(".");
      assertThat(RedisKeys.sessionIdOfCookieTag(tag)).isEqualTo(id);
    }
  }

  @Test
  void aTagThatIsNotACookieTagOfThisLayoutNamesNoSession() {
    List<String> foreign = List.of(
        "3f", // layout 3: the bucket alone
        "", "a", "ab", // too short to hold an id and a bucket
        "AbCdEf-_012345673F", // the bucket in upper case
        "AbCdEf-_01234567zz", // not a bucket
        "AbCdEf-_0123456.3f", // a dot is no routing-tag character
        "AbCdEf-_01234567/3f",
        "A3f", "AbCdEf-_01234563f", "AbCdEf-_012345678" + "3f", // an id part of the wrong length
        "A".repeat(RoutingTag.MAX_LENGTH - 2) + "3f", // the longest tag: the id part too long
        "x".repeat(RoutingTag.MAX_LENGTH + 1) + "3f");
    for (String tag : foreign) {
      assertThat(RedisKeys.sessionIdOfCookieTag(tag)).as("'%s'", tag).isNull();
    }
  }

  @Test
  void anIdWithoutABucketOfThisStoreHasNoCookieTag() {
    assertThat(RedisKeys.cookieTag("AbCdEf-_01234567")).isEmpty();
    assertThat(RedisKeys.cookieTag("AbCdEf-_01234567.ZZ")).isEmpty();
    assertThat(RedisKeys.cookieTag("ab+d.3f")).as("not base64url").isEmpty();
    assertThat(RedisKeys.cookieTag("AbCd.3f")).as("not an id the manager makes").isEmpty();
  }
}
