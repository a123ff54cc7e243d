// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SessionFilter} watches for token guessing: unknown session tokens, forged or unknown
 * remember-me values and malformed cookies of its names, counted per client address over a sliding
 * window. Past {@link #threshold()} failures within {@link #window()}, a {@link
 * dev.sessionkit.SessionEvent.Type#TOKEN_GUESSING} event fires (once per cool-down) and, if {@link
 * #refuse()} is set, every request from that address is answered {@code 429 Too Many Requests}
 * with {@code Retry-After} until {@link #coolDown()} has passed, before the store is consulted.
 * Immutable.
 *
 * <p>What counts: a request whose session cookie resolves to no session (and that no remember-me
 * cookie signed in instead), and a request whose remember-me cookie was unknown, expired, malformed
 * or a theft alarm. A browser that sends the same stale cookie on many requests (after its session
 * timed out) counts once: a failure with the same values as that address's previous one is not
 * counted again. 256-bit tokens cannot be guessed in practice; the detection makes the attempt
 * visible and keeps it from loading the store.
 *
 * <p><b>The address</b> is {@code request.getRemoteAddr()}. Behind a proxy or load balancer every
 * request has the proxy's address, and the whole site shares one count, unless the filter's
 * init-param {@code trusted-proxies} lists the proxies (IP addresses and CIDR ranges): a request
 * from one of them is counted under the first {@code X-Forwarded-For} entry, read from the right,
 * that is not a listed proxy. Tomcat's {@code RemoteIpValve} with {@code internalProxies} works
 * too. Jetty's {@code ForwardedRequestCustomizer} does not behind a proxy that appends to the
 * header: it takes the leftmost entry, which the client writes, so a client could have its
 * failures counted (and refused) under any address it names. IPv6 addresses are counted per
 * {@code /64} prefix (one host commonly holds a whole {@code /64}). Many users behind one NAT
 * share an address: keep {@link #refuse()} off (the default) unless the threshold is far above
 * their combined stale cookies.
 *
 * <p><b>Memory</b> is bounded whatever the number of addresses: at most {@link
 * #maxTrackedAddresses()} addresses are tracked, each with {@code threshold} timestamps (about
 * {@code 8 * threshold + 150} bytes), and a configuration whose bound is over {@link
 * #MAX_MEMORY_BYTES} is refused; past that number, the address that failed least recently is
 * forgotten. An attacker with more addresses than that can evade the count, not exhaust memory.
 *
 * <p>init-params of the filter ({@code web.xml}): {@code guessing-detection} ({@code true} or
 * {@code false}), {@code guessing-threshold}, {@code guessing-window}, {@code
 * guessing-cool-down}, {@code guessing-refuse}, {@code guessing-max-addresses}.
 */
public final class GuessingDetection {

  /** Largest accepted threshold. */
  public static final int MAX_THRESHOLD = 1000;
  /** Largest accepted number of tracked addresses. */
  public static final int MAX_TRACKED_ADDRESSES = 1_000_000;
  /**
   * Largest accepted memory bound, in bytes, of the counts: {@code maxTrackedAddresses * (8 *
   * threshold + 150)}, 1 GiB (the defaults take under 6 MB, the default threshold with the most
   * addresses about 550 MB; the largest threshold with the most addresses would take about 8 GB).
   */
  public static final long MAX_MEMORY_BYTES = 1L << 30;
  /** Longest accepted window and cool-down. */
  public static final Duration MAX_DURATION = Duration.ofDays(1);

  private static final GuessingDetection DEFAULTS = builder().build();
  private static final GuessingDetection OFF = builder().enabled(false).build();

  private final boolean enabled;
  private final int threshold;
  private final Duration window;
  private final Duration coolDown;
  private final boolean refuse;
  private final int maxTrackedAddresses;

  private GuessingDetection(Builder b) {
    this.enabled = b.enabled;
    this.threshold = b.threshold;
    this.window = b.window;
    this.coolDown = b.coolDown;
    this.refuse = b.refuse;
    this.maxTrackedAddresses = b.maxTrackedAddresses;
  }

  /**
   * Returns the defaults: on, 50 failures within 1 minute, a 15-minute cool-down, report only
   * (no 429), 10 000 tracked addresses.
   *
   * @return the defaults
   */
  public static GuessingDetection defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a detection that counts nothing.
   *
   * @return a detection that counts nothing
   */
  public static GuessingDetection off() {
    return OFF;
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder starting from these settings.
   *
   * @return a builder starting from these settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.threshold = threshold;
    b.window = window;
    b.coolDown = coolDown;
    b.refuse = refuse;
    b.maxTrackedAddresses = maxTrackedAddresses;
    return b;
  }

  /**
   * Returns whether failures are counted at all.
   *
   * @return whether failures are counted at all
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Returns how many failures within the window an address may have; one more trips it.
   *
   * @return how many failures within the window an address may have
   */
  public int threshold() {
    return threshold;
  }

  /**
   * Returns the sliding window the failures are counted in.
   *
   * @return the sliding window the failures are counted in
   */
  public Duration window() {
    return window;
  }

  /**
   * Returns how long a tripped address is reported once (and refused, if set).
   *
   * @return how long a tripped address is reported once (and refused, if set)
   */
  public Duration coolDown() {
    return coolDown;
  }

  /**
   * Returns whether a tripped address gets 429 with Retry-After during the cool-down.
   *
   * @return whether a tripped address gets 429 with Retry-After during the cool-down
   */
  public boolean refuse() {
    return refuse;
  }

  /**
   * Returns how many addresses are tracked at most.
   *
   * @return how many addresses are tracked at most
   */
  public int maxTrackedAddresses() {
    return maxTrackedAddresses;
  }

  @Override
  public String toString() {
    return enabled ? "GuessingDetection[threshold=" + threshold + ", window=" + window
        + ", coolDown=" + coolDown + ", refuse=" + refuse + ", maxTrackedAddresses="
        + maxTrackedAddresses + "]" : "GuessingDetection[off]";
  }

  /** Builds a {@link GuessingDetection}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private int threshold = 50;
    private Duration window = Duration.ofMinutes(1);
    private Duration coolDown = Duration.ofMinutes(15);
    private boolean refuse;
    private int maxTrackedAddresses = 10_000;

    private Builder() {}

    /**
     * Sets whether failures are counted (default true).
     *
     * @param value whether to count failures
     * @return this builder
     */
    public Builder enabled(boolean value) {
      this.enabled = value;
      return this;
    }

    /**
     * Sets how many failures within the window an address may have (default 50).
     *
     * @param value failures allowed within the window; at least 1
     * @return this builder
     * @throws IllegalArgumentException unless 1 to {@value GuessingDetection#MAX_THRESHOLD}
     */
    public Builder threshold(int value) {
      if (value < 1 || value > MAX_THRESHOLD) {
        throw new IllegalArgumentException("threshold must be 1 to " + MAX_THRESHOLD + ": "
            + value);
      }
      this.threshold = value;
      return this;
    }

    /**
     * Sets the sliding window (default 1 minute).
     *
     * @param value the window; positive
     * @return this builder
     * @throws IllegalArgumentException unless positive and at most one day
     */
    public Builder window(Duration value) {
      this.window = positive("window", value);
      return this;
    }

    /**
     * Sets the cool-down of a tripped address (default 15 minutes).
     *
     * @param value the cool-down; positive
     * @return this builder
     * @throws IllegalArgumentException unless positive and at most one day
     */
    public Builder coolDown(Duration value) {
      this.coolDown = positive("coolDown", value);
      return this;
    }

    /**
     * Sets whether a tripped address gets 429 during the cool-down (default false).
     *
     * @param value whether to answer 429 during the cool-down
     * @return this builder
     */
    public Builder refuse(boolean value) {
      this.refuse = value;
      return this;
    }

    /**
     * Sets how many addresses are tracked at most (default 10 000).
     *
     * @param value the most addresses tracked; at least 1
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 1 000 000
     */
    public Builder maxTrackedAddresses(int value) {
      if (value < 1 || value > MAX_TRACKED_ADDRESSES) {
        throw new IllegalArgumentException("maxTrackedAddresses must be 1 to "
            + MAX_TRACKED_ADDRESSES + ": " + value);
      }
      this.maxTrackedAddresses = value;
      return this;
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    /**
     * Returns the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException if detection is on and the memory bound of its counts,
     *     {@code maxTrackedAddresses * (8 * threshold + 150)} bytes, is over {@link
     *     #MAX_MEMORY_BYTES}
     */
    public GuessingDetection build() {
      long bound = memoryBound(threshold, maxTrackedAddresses);
      if (enabled && bound > MAX_MEMORY_BYTES) {
        throw new IllegalArgumentException("the guessing counts could take " + (bound >> 20)
            + " MiB (threshold " + threshold + " x maxTrackedAddresses " + maxTrackedAddresses
            + "), over " + (MAX_MEMORY_BYTES >> 20) + " MiB: lower the threshold or the number of"
            + " tracked addresses");
      }
      return new GuessingDetection(this);
    }

    /** Bytes the counts of {@code addresses} addresses can take at {@code threshold}. */
    static long memoryBound(int threshold, int addresses) {
      return (long) addresses * (8L * threshold + 150);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(name + " must be positive and at most " + MAX_DURATION
            + ": " + value);
      }
      return value;
    }
  }
}
