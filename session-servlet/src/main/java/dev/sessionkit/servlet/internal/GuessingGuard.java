// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import dev.sessionkit.SessionManager;
import dev.sessionkit.servlet.GuessingDetection;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The filter's guessing detection ({@link GuessingDetection}): counts the requests whose session
 * or remember-me cookie failed, per client address, and answers 429 to an address in its
 * cool-down when so configured. The failing values are reduced to a SHA-256 fingerprint at once;
 * nothing here keeps or logs a value. Thread-safe.
 */
public final class GuessingGuard {

  /** The body of the 429: short and plain. */
  public static final String BODY = "429 Too Many Requests: too many invalid session credentials"
      + " from your address. Please try again later.\n";

  private final GuessingDetection settings;
  private final SessionManager manager;
  private final FailureWindows windows;

  /** Creates the guard of a filter whose manager reports the events and gives the time. */
  public GuessingGuard(GuessingDetection settings, SessionManager manager) {
    this.settings = settings;
    this.manager = manager;
    this.windows = new FailureWindows(settings.threshold(), settings.window().toMillis(),
        settings.coolDown().toMillis(), settings.maxTrackedAddresses());
  }

  /**
   * Answers 429 with {@code Retry-After} (whole seconds, rounded up) if the request's client
   * address ({@link FilterSecurity#clientAddress}) is in its cool-down and the settings refuse;
   * returns whether it did. Reads no store.
   */
  public boolean refuse(String address, HttpServletResponse response) throws IOException {
    if (!settings.enabled() || !settings.refuse()) {
      return false;
    }
    long now = manager.clock().millis();
    long end = windows.coolDownEnd(ClientAddressKey.of(address), now);
    if (end == 0L || response.isCommitted()) {
      return false;
    }
    long seconds = Math.max(1L, (end - now + 999L) / 1000L);
    response.reset();
    response.setStatus(429);
    response.setHeader("Retry-After", Long.toString(seconds));
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=UTF-8");
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
    return true;
  }

  /**
   * Counts the request of the client at {@code address} ({@link FilterSecurity#clientAddress})
   * if its credentials failed (see {@link RequestSession#failedValues()}).
   */
  public void afterResolve(String address, RequestSession state) {
    if (!settings.enabled()) {
      return;
    }
    List<String> failed = state.failedValues();
    if (failed.isEmpty()) {
      return;
    }
    FailureWindows.Outcome outcome = windows.failure(ClientAddressKey.of(address),
        fingerprint(failed), manager.clock().millis());
    if (outcome == FailureWindows.Outcome.TRIPPED) {
      manager.reportGuessing(address, settings.threshold() + 1);
    }
  }

  /** Returns the settings. */
  public GuessingDetection settings() {
    return settings;
  }

  private static long fingerprint(List<String> values) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (String v : values) {
      sha256.update(v.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }
    return ByteBuffer.wrap(sha256.digest()).getLong();
  }
}
