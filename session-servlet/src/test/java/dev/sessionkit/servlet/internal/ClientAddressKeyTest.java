// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key guessing detection counts an address under. */
class ClientAddressKeyTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "203.0.113.9 | 203.0.113.9",
      "2001:db8:1:2:3:4:5:6 | 2001:db8:1:2::/64",
      "2001:0DB8:0001:0002:ffff:ffff:ffff:ffff | 2001:db8:1:2::/64",
      "[2001:db8:1:2::7] | 2001:db8:1:2::/64",
      "2001:db8::1 | 2001:db8:0:0::/64",
      "::1 | 0:0:0:0::/64",
      "fe80::1%eth0 | fe80:0:0:0::/64",
      "2001:db8:1::2:3:4:5 | 2001:db8:1:0::/64",
      "::ffff:192.0.2.1 | 192.0.2.1",
      "0:0:0:0:0:0:0:1 | 0:0:0:0::/64",
      "localhost | localhost",
      "not:an:ipv6:address:zz | not:an:ipv6:address:zz",
      "1:2:3 | 1:2:3",
      "1::2::3 | 1::2::3",
  })
  void ipv4IsKeptAndIpv6IsCountedPerSlash64(String address, String key) {
    assertThat(ClientAddressKey.of(address)).isEqualTo(key);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb:cccc:dddd:eeee"})
  void everyAddressOfOneSlash64SharesOneKey(String address) {
    assertThat(ClientAddressKey.of(address)).isEqualTo(ClientAddressKey.of("2001:db8:1:2::9"));
  }

  @org.junit.jupiter.api.Test
  void unknownAndOverlongAddressesGiveABoundedKey() {
    assertThat(ClientAddressKey.of(null)).isEqualTo("?");
    assertThat(ClientAddressKey.of("")).isEqualTo("?");
    assertThat(ClientAddressKey.of("x".repeat(10_000))).hasSize(64);
  }
}
