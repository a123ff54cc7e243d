// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client address behind trusted proxies: the {@code X-Forwarded-For} walk from the right, the
 * literals it accepts, and the init-param's syntax.
 */
class TrustedProxiesTest {

  private static final TrustedProxies PROXIES =
      TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, ::1, fd00::/8");

  private static Enumeration<String> lines(String... values) {
    return Collections.enumeration(List.of(values));
  }

  /** Header lines are separated by {@code ;} in the table; {@code <none>}: no header. */
  private static Enumeration<String> table(String header) {
    return header.equals("<none>") ? lines() : lines(header.split(";", -1));
  }

  @ParameterizedTest(name = "{0} + [{1}] -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', ignoreLeadingAndTrailingWhitespace = false,
      value = {
          // the direct peer is not a trusted proxy: whatever it writes is ignored
          "203.0.113.9|192.0.2.1|203.0.113.9",
          "localhost|192.0.2.1|localhost",
          "10.0.0.1.example|192.0.2.1|10.0.0.1.example",
          // a trusted peer without the header, or with nothing in it
          "127.0.0.1|<none>|127.0.0.1",
          "127.0.0.1|''|127.0.0.1",
          "127.0.0.1|' , ,'|127.0.0.1",
          // the walk from the right: the first untrusted entry is the client
          "127.0.0.1|198.51.100.5|198.51.100.5",
          "127.0.0.1|192.0.2.77, 198.51.100.5|198.51.100.5",
          "127.0.0.1|192.0.2.77, 198.51.100.5, 10.1.2.3|198.51.100.5",
          "127.0.0.1|'  198.51.100.5 ,\t10.1.2.3  '|198.51.100.5",
          "127.0.0.1|198.51.100.5,,10.1.2.3,|198.51.100.5",
          // several header lines are one list, in order
          "127.0.0.1|192.0.2.77, 198.51.100.5;10.1.2.3|198.51.100.5",
          "127.0.0.1|'198.51.100.5;'|198.51.100.5",
          "127.0.0.1|192.0.2.77;198.51.100.5, 10.9.9.9;10.1.2.3|198.51.100.5",
          // a chain of trusted proxies only: the leftmost is the client
          "127.0.0.1|10.0.0.1, 10.0.0.2|10.0.0.1",
          "127.0.0.1|10.0.0.1;10.0.0.2|10.0.0.1",
          // not an address: the walk stops at the last trusted hop
          "127.0.0.1|192.0.2.77, unknown, 10.0.0.2|10.0.0.2",
          "127.0.0.1|unknown|127.0.0.1",
          "127.0.0.1|192.0.2.77, proxy.example|127.0.0.1",
          "127.0.0.1|192.0.2.77, _hidden|127.0.0.1",
          "127.0.0.1|192.0.2.77, 010.0.0.1|127.0.0.1",
          "127.0.0.1|192.0.2.77, 0x7f.0.0.1|127.0.0.1",
          "127.0.0.1|192.0.2.77, 2130706433|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1.2.3|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1.2.3.4.5|127.0.0.1",
          "127.0.0.1|192.0.2.77, 256.1.1.1|127.0.0.1",
          "127.0.0.1|192.0.2.77, １.2.3.4|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1.2.3.4:0|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1.2.3.4:65536|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1.2.3.4:|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1.2.3.4 5|127.0.0.1",
          "127.0.0.1|192.0.2.77, \"198.51.100.5\"|127.0.0.1",
          "127.0.0.1|192.0.2.77, [::1|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1::2::3|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1:2:3:4:5:6:7|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1:2:3:4:5:6:7:8:9|127.0.0.1",
          "127.0.0.1|192.0.2.77, 1:2:3:4:5:6:7::8|127.0.0.1",
          "127.0.0.1|192.0.2.77, 12345::1|127.0.0.1",
          "127.0.0.1|192.0.2.77, 2001:db8::1%eth0|127.0.0.1",
          "127.0.0.1|192.0.2.77, 2001:db8::1:80|2001:db8::1:80",
          // ports are accepted on IPv4 and on bracketed IPv6, and dropped
          "127.0.0.1|192.0.2.77, 198.51.100.5:4711|198.51.100.5",
          "127.0.0.1|192.0.2.77, 10.0.0.9:443|192.0.2.77",
          "127.0.0.1|[2001:DB8:0:0:0:0:0:1]:4711|2001:db8::1",
          "127.0.0.1|[2001:db8::1]|2001:db8::1",
          // IPv6 and IPv4-mapped entries, written canonically
          "127.0.0.1|2001:0DB8:0000:0000:0001:0000:0000:0001|2001:db8::1:0:0:1",
          "127.0.0.1|2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
          "127.0.0.1|::ffff:198.51.100.5|198.51.100.5",
          "127.0.0.1|198.51.100.5, ::ffff:10.0.0.1|198.51.100.5",
          "127.0.0.1|198.51.100.5, fd12:3456::1|198.51.100.5",
          "127.0.0.1|::1.2.3.4|::102:304",
          // the peer as containers report it: IPv6 in any form, bracketed, mapped, with a zone
          "0:0:0:0:0:0:0:1|2001:db8::7|2001:db8::7",
          "[0:0:0:0:0:0:0:1]|2001:db8::7|2001:db8::7",
          "::ffff:127.0.0.1|2001:db8::7|2001:db8::7",
          "fd00::1%eth0|198.51.100.5|198.51.100.5",
          "fe80::1%eth0|198.51.100.5|fe80::1%eth0",
      })
  void theClientIsTheFirstUntrustedEntryFromTheRight(String peer, String header,
      String client) {
    assertThat(PROXIES.clientAddress(peer, table(header))).isEqualTo(client);
  }

  @Test
  void withoutTrustedProxiesOrHeadersThePeerIsTheClient() {
    assertThat(TrustedProxies.none().isEmpty()).isTrue();
    assertThat(TrustedProxies.none().clientAddress("127.0.0.1", lines("198.51.100.5")))
        .isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress(null, lines("198.51.100.5"))).isNull();
    assertThat(PROXIES.clientAddress("127.0.0.1", null)).isEqualTo("127.0.0.1");
  }

  /**
   * A header of 10^4 distinct trusted entries ends the walk at the {@value
   * TrustedProxies#MAX_ENTRIES}th from the right: only that many were examined.
   */
  @Test
  void aHugeHeaderIsExaminedOnlyAsFarAsTheBound() {
    List<String> chain = new ArrayList<>();
    chain.add("192.0.2.77");
    IntStream.range(0, 10_000).forEach(i -> chain.add("10.0." + (i / 256) + "." + (i % 256)));
    String last = chain.get(chain.size() - TrustedProxies.MAX_ENTRIES);

    assertThat(PROXIES.clientAddress("127.0.0.1", lines(String.join(", ", chain))))
        .isEqualTo(last);
    assertThat(PROXIES.clientAddress("127.0.0.1", Collections.enumeration(chain)))
        .as("as many header lines").isEqualTo(last);
    assertThat(PROXIES.clientAddress("127.0.0.1",
        lines("198.51.100.5" + ",".repeat(10_000))))
        .as("empty entries count towards the bound").isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress("127.0.0.1", lines("198.51.100.5,10.0.0.1"
        + " ".repeat(TrustedProxies.MAX_CHARS)))).as("and so do characters")
        .isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress("127.0.0.1", lines("1".repeat(1_000_000))))
        .isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress("127.0.0.1", lines("198.51.100.5, "
        + "1".repeat(100)))).as("an entry longer than any address").isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1 | [127.0.0.1/32]",
      "10.0.0.0/8,192.168.0.0/16 | [10.0.0.0/8, 192.168.0.0/16]",
      "' ::1 , [fd00::]/8 ' | [::1/128, fd00::/8]",
      "2001:DB8::/32 | [2001:db8::/32]",
      "::ffff:10.0.0.0/104 | [10.0.0.0/8]",
      "::ffff:10.0.0.1 | [10.0.0.1/32]",
      "10.0.0.1/32 | [10.0.0.1/32]",
      "192.168.1.128/25 | [192.168.1.128/25]",
  })
  void theInitParamListsAddressesAndRanges(String value, String parsed) {
    assertThat(TrustedProxies.parse(value)).hasToString(parsed);
  }

  @Test
  void aRangeHoldsExactlyTheAddressesUnderItsPrefix() {
    TrustedProxies p = TrustedProxies.parse("192.168.1.128/25, 2001:db8:ff00::/40");
    assertThat(p.clientAddress("192.168.1.128", lines("198.51.100.5"))).isEqualTo("198.51.100.5");
    assertThat(p.clientAddress("192.168.1.255", lines("198.51.100.5"))).isEqualTo("198.51.100.5");
    assertThat(p.clientAddress("192.168.1.127", lines("198.51.100.5"))).isEqualTo("192.168.1.127");
    assertThat(p.clientAddress("192.168.0.200", lines("198.51.100.5"))).isEqualTo("192.168.0.200");
    assertThat(p.clientAddress("2001:db8:ffff::1", lines("198.51.100.5")))
        .isEqualTo("198.51.100.5");
    assertThat(p.clientAddress("2001:db8:fe00::1", lines("198.51.100.5")))
        .isEqualTo("2001:db8:fe00::1");
    assertThat(p.clientAddress("::ffff:192.168.1.200", lines("198.51.100.5")))
        .as("IPv4-mapped is IPv4").isEqualTo("198.51.100.5");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "proxy.example | not an IP address or CIDR range (host names are not resolved): proxy.example",
      "localhost | not an IP address or CIDR range (host names are not resolved): localhost",
      "1.2.3.4:80 | not an IP address or CIDR range (host names are not resolved): 1.2.3.4:80",
      "fe80::1%eth0 | not an IP address or CIDR range (host names are not resolved): fe80::1%eth0",
      "10.0.0.0/33 | the prefix of 10.0.0.0/33 must be 1 to 32 (/0 would trust every address)",
      "10.0.0.0/0 | the prefix of 10.0.0.0/0 must be 1 to 32 (/0 would trust every address)",
      "::/0 | the prefix of ::/0 must be 1 to 128 (/0 would trust every address)",
      "10.0.0.0/ | the prefix of 10.0.0.0/ must be 1 to 32 (/0 would trust every address)",
      "10.0.0.0/x | the prefix of 10.0.0.0/x must be 1 to 32 (/0 would trust every address)",
      "10.0.0.1/8 | 10.0.0.1/8 has bits set past its prefix; write 10.0.0.0/8",
      "fd00::1/8 | fd00::1/8 has bits set past its prefix; write fd00::/8",
      "::ffff:0.0.0.0/96 | the prefix of ::ffff:0.0.0.0/96 would trust every IPv4 address",
      "::ffff:10.0.0.0/64 | ::ffff:10.0.0.0/64 is wider than the IPv4-mapped addresses; write"
          + " IPv4 ranges as IPv4",
      "'127.0.0.1,,10.0.0.1' | an empty entry in 127.0.0.1,,10.0.0.1",
      "'127.0.0.1,' | an empty entry in 127.0.0.1,",
  })
  void aBadItemIsRefusedWithAMessageNamingIt(String value, String message) {
    assertThatThrownBy(() -> TrustedProxies.parse(value))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
