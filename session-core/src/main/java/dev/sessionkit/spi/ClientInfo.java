// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Optional;

/**
 * What the caller knows about the client that makes a request: its address and user agent. Both
 * are metadata that a user sees when listing their sessions; neither is trusted for security.
 *
 * <p>Immutable; part of a stored {@link SessionRecord}. Values are trimmed to a bounded length and stripped of control characters, so that hostile
 * headers cannot bloat the store or inject lines into logs.
 */
public final class ClientInfo {

  /** Longest client address kept (an IPv6 address with zone fits). */
  public static final int MAX_ADDRESS_LENGTH = 64;

  /** Longest user agent kept. */
  public static final int MAX_USER_AGENT_LENGTH = 256;

  /** No client information. */
  public static final ClientInfo NONE = new ClientInfo(null, null);

  private final String address;
  private final String userAgent;

  private ClientInfo(String address, String userAgent) {
    this.address = address;
    this.userAgent = userAgent;
  }

  /**
   * Returns client information; either value may be {@code null} when unknown.
   *
   * @param address the client's IP address, or {@code null}
   * @param userAgent the {@code User-Agent} header, or {@code null}
   * @return client information
   */
  public static ClientInfo of(String address, String userAgent) {
    String a = clean(address, MAX_ADDRESS_LENGTH);
    String u = clean(userAgent, MAX_USER_AGENT_LENGTH);
    return a == null && u == null ? NONE : new ClientInfo(a, u);
  }

  /**
   * Returns the client's address, if known.
   *
   * @return the client's address, if known
   */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /**
   * Returns the client's user agent, if known.
   *
   * @return the client's user agent, if known
   */
  public Optional<String> userAgent() {
    return Optional.ofNullable(userAgent);
  }

  /**
   * Returns the client's address or {@code null}: the form stores keep.
   *
   * @return the client's address or {@code null}
   */
  public String addressOrNull() {
    return address;
  }

  /**
   * Returns the client's user agent or {@code null}: the form stores keep.
   *
   * @return the client's user agent or {@code null}
   */
  public String userAgentOrNull() {
    return userAgent;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClientInfo that && java.util.Objects.equals(address, that.address)
        && java.util.Objects.equals(userAgent, that.userAgent);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(address, userAgent);
  }

  @Override
  public String toString() {
    return "ClientInfo[address=" + address + ", userAgent=" + userAgent + "]";
  }

  private static String clean(String value, int max) {
    if (value == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(Math.min(value.length(), max));
    for (int i = 0; i < value.length() && sb.length() < max; i++) {
      char c = value.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    String s = sb.toString().strip();
    return s.isEmpty() ? null : s;
  }
}
