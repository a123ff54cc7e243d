// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The immutable, validated settings of a {@link SessionManager}.
 *
 * <p>Every setter of the {@link Builder} checks its value at once and {@link Builder#build()}
 * checks the combination; a message always names the setting. Defaults:
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>accepted</th></tr>
 *   <tr><td>idleTimeout</td><td>30 minutes</td><td>positive, at most absoluteTimeout</td></tr>
 *   <tr><td>absoluteTimeout</td><td>8 hours</td><td>positive</td></tr>
 *   <tr><td>rememberMeLifetime</td><td>30 days</td><td>positive, at most 400 days</td></tr>
 *   <tr><td>rememberMeGracePeriod</td><td>5 seconds</td><td>zero or positive, below the
 *       lifetime</td></tr>
 *   <tr><td>touchInterval</td><td>1 second</td><td>zero or positive, below idleTimeout</td></tr>
 *   <tr><td>rotationGracePeriod</td><td>5 seconds</td><td>zero to 1 minute</td></tr>
 *   <tr><td>maxSessionsPerPrincipal</td><td>none</td><td>1 or more</td></tr>
 *   <tr><td>sessionCapPolicy</td><td>EVICT_LEAST_RECENTLY_USED</td><td>any</td></tr>
 *   <tr><td>saveMode</td><td>ON_GET_ATTRIBUTE</td><td>any</td></tr>
 * </table>
 */
public final class SessionConfig {

  /** Browsers cap cookie lifetimes at 400 days (RFC 6265bis). */
  public static final Duration MAX_REMEMBER_ME_LIFETIME = Duration.ofDays(400);

  private final Duration idleTimeout;
  private final Duration absoluteTimeout;
  private final Duration rememberMeLifetime;
  private final Duration rememberMeGracePeriod;
  private final Duration touchInterval;
  private final Duration rotationGracePeriod;
  private final int maxSessionsPerPrincipal;
  private final SessionCapPolicy sessionCapPolicy;
  private final SaveMode saveMode;

  private SessionConfig(Builder b) {
    this.idleTimeout = b.idleTimeout;
    this.absoluteTimeout = b.absoluteTimeout;
    this.rememberMeLifetime = b.rememberMeLifetime;
    this.rememberMeGracePeriod = b.rememberMeGracePeriod;
    this.touchInterval = b.touchInterval;
    this.rotationGracePeriod = b.rotationGracePeriod;
    this.maxSessionsPerPrincipal = b.maxSessionsPerPrincipal;
    this.sessionCapPolicy = b.sessionCapPolicy;
    this.saveMode = b.saveMode;
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration with every default.
   *
   * @return the configuration with every default
   */
  public static SessionConfig defaults() {
    return builder().build();
  }

  /**
   * Returns a builder that starts from this configuration's values.
   *
   * @return a builder that starts from this configuration's values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.idleTimeout = idleTimeout;
    b.absoluteTimeout = absoluteTimeout;
    b.rememberMeLifetime = rememberMeLifetime;
    b.rememberMeGracePeriod = rememberMeGracePeriod;
    b.touchInterval = touchInterval;
    b.rotationGracePeriod = rotationGracePeriod;
    b.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
    b.sessionCapPolicy = sessionCapPolicy;
    b.saveMode = saveMode;
    return b;
  }

  /**
   * Inactivity after which a session ends (sliding).
   *
   * @return the idle timeout
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Lifetime of a session counted from its authentication (or creation, when anonymous).
   *
   * @return the absolute timeout
   */
  public Duration absoluteTimeout() {
    return absoluteTimeout;
  }

  /**
   * Lifetime of a remember-me series, counted from the login that created it; not extended by use.
   *
   * @return the lifetime of a remember-me series
   */
  public Duration rememberMeLifetime() {
    return rememberMeLifetime;
  }

  /**
   * How long a just-replaced remember-me validator stays harmless: presenting it grants nothing and
   * raises no alarm (parallel requests of one browser). After this window it counts as theft.
   *
   * @return the grace period of a replaced remember-me validator
   */
  public Duration rememberMeGracePeriod() {
    return rememberMeGracePeriod;
  }

  /**
   * Returns how long a previous token works after a rotation (see the builder).
   *
   * @return how long a previous token works after a rotation (see the builder)
   */
  public Duration rotationGracePeriod() {
    return rotationGracePeriod;
  }

  /**
   * Minimum time between two recorded accesses of one session. Zero records every access. The idle
   * timeout holds within this granularity: a session may end up to this much early, never late.
   *
   * @return the minimum time between two recorded accesses
   */
  public Duration touchInterval() {
    return touchInterval;
  }

  /**
   * Maximum number of live sessions per principal, if capped.
   *
   * @return the cap, or empty if there is none
   */
  public OptionalInt maxSessionsPerPrincipal() {
    return maxSessionsPerPrincipal == 0 ? OptionalInt.empty() : OptionalInt.of(maxSessionsPerPrincipal);
  }

  /**
   * What a login does when its principal is at the cap.
   *
   * @return the policy at the cap
   */
  public SessionCapPolicy sessionCapPolicy() {
    return sessionCapPolicy;
  }

  /**
   * Which values changed in place {@link Session#saveChanges()} writes back.
   *
   * @return the save mode
   */
  public SaveMode saveMode() {
    return saveMode;
  }

  @Override
  public String toString() {
    return "SessionConfig[idleTimeout=" + idleTimeout + ", absoluteTimeout=" + absoluteTimeout
        + ", rememberMeLifetime=" + rememberMeLifetime + ", rememberMeGracePeriod="
        + rememberMeGracePeriod + ", touchInterval=" + touchInterval
        + ", rotationGracePeriod=" + rotationGracePeriod
        + ", maxSessionsPerPrincipal=" + (maxSessionsPerPrincipal == 0 ? "none" : maxSessionsPerPrincipal)
        + ", sessionCapPolicy=" + sessionCapPolicy + ", saveMode=" + saveMode + "]";
  }

  /** Builds a {@link SessionConfig}; each setter validates its value at once. Not thread-safe. */
  public static final class Builder {
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration absoluteTimeout = Duration.ofHours(8);
    private Duration rememberMeLifetime = Duration.ofDays(30);
    private Duration rememberMeGracePeriod = Duration.ofSeconds(5);
    private Duration touchInterval = Duration.ofSeconds(1);
    private Duration rotationGracePeriod = Duration.ofSeconds(5);
    private int maxSessionsPerPrincipal;
    private SessionCapPolicy sessionCapPolicy = SessionCapPolicy.EVICT_LEAST_RECENTLY_USED;
    private SaveMode saveMode = SaveMode.ON_GET_ATTRIBUTE;

    private Builder() {}

    /**
     * Sets the idle timeout; must be positive (and, at build, at most the absolute timeout).
     *
     * @param value a positive duration, at most the absolute timeout
     * @return this builder
     */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = positive("idleTimeout", value);
      return this;
    }

    /**
     * Sets the absolute timeout; must be positive.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder absoluteTimeout(Duration value) {
      this.absoluteTimeout = positive("absoluteTimeout", value);
      return this;
    }

    /**
     * Sets the remember-me lifetime; must be positive and at most 400 days.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder rememberMeLifetime(Duration value) {
      positive("rememberMeLifetime", value);
      if (value.compareTo(MAX_REMEMBER_ME_LIFETIME) > 0) {
        throw new IllegalArgumentException(
            "rememberMeLifetime must be at most 400 days (browsers cap cookie lifetimes): " + value);
      }
      this.rememberMeLifetime = value;
      return this;
    }

    /**
     * Sets the remember-me grace window; must not be negative.
     *
     * @param value a duration, zero or more
     * @return this builder
     */
    public Builder rememberMeGracePeriod(Duration value) {
      this.rememberMeGracePeriod = notNegative("rememberMeGracePeriod", value);
      return this;
    }

    /**
     * Sets the minimum interval between recorded accesses; must not be negative.
     *
     * @param value a duration, zero or more
     * @return this builder
     */
    public Builder touchInterval(Duration value) {
      this.touchInterval = notNegative("touchInterval", value);
      return this;
    }

    /**
     * Sets how long a session's previous token still works after a rotation; zero or positive,
     * at most one minute. After {@code renew} the previous token keeps resolving for this long,
     * so that the browser's parallel requests sent before the new cookie arrived are not signed
     * out; after a login it never resolves, and only lets a second, parallel login of the same
     * principal from the same browser land in the same session.
     *
     * @param value a duration, zero or more
     * @return this builder
     */
    public Builder rotationGracePeriod(Duration value) {
      notNegative("rotationGracePeriod", value);
      if (value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("rotationGracePeriod must be at most 1 minute: " + value);
      }
      this.rotationGracePeriod = value;
      return this;
    }

    /**
     * Caps the number of live sessions per principal; must be at least 1.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxSessionsPerPrincipal(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxSessionsPerPrincipal must be at least 1: " + value);
      }
      this.maxSessionsPerPrincipal = value;
      return this;
    }

    /**
     * Removes the cap on sessions per principal (the default).
     *
     * @return this builder
     */
    public Builder unlimitedSessionsPerPrincipal() {
      this.maxSessionsPerPrincipal = 0;
      return this;
    }

    /**
     * Sets what a login does at the cap.
     *
     * @param value the policy
     * @return this builder
     */
    public Builder sessionCapPolicy(SessionCapPolicy value) {
      this.sessionCapPolicy = Objects.requireNonNull(value, "sessionCapPolicy");
      return this;
    }

    /**
     * Sets which attribute values changed in place (without {@code putAttribute}) {@link
     * Session#saveChanges()} writes back (default {@link SaveMode#ON_GET_ATTRIBUTE}).
     *
     * @param value the save mode
     * @return this builder
     */
    public Builder saveMode(SaveMode value) {
      this.saveMode = Objects.requireNonNull(value, "saveMode");
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if the settings contradict each other
     */
    public SessionConfig build() {
      if (idleTimeout.compareTo(absoluteTimeout) > 0) {
        throw new IllegalArgumentException("idleTimeout (" + idleTimeout
            + ") must not be longer than absoluteTimeout (" + absoluteTimeout + ")");
      }
      if (touchInterval.compareTo(idleTimeout) >= 0) {
        throw new IllegalArgumentException("touchInterval (" + touchInterval
            + ") must be shorter than idleTimeout (" + idleTimeout + ")");
      }
      if (rememberMeGracePeriod.compareTo(rememberMeLifetime) >= 0) {
        throw new IllegalArgumentException("rememberMeGracePeriod (" + rememberMeGracePeriod
            + ") must be shorter than rememberMeLifetime (" + rememberMeLifetime + ")");
      }
      return new SessionConfig(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      if (value.compareTo(Duration.ofDays(100 * 365)) > 0) {
        throw new IllegalArgumentException(name + " is too long: " + value);
      }
      return value;
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }
  }
}
