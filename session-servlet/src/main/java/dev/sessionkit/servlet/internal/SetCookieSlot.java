// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The one {@code Set-Cookie} header a response may carry for one cookie name: the latest value
 * wins, and if an earlier one was already added to a response that has not committed, it is
 * replaced in place (other {@code Set-Cookie} headers are kept), so that a response never carries
 * two headers for one name.
 */
final class SetCookieSlot {

  private String pending;
  private String emitted;
  private boolean carriesValue;

  /** Sets the header to send; {@code carriesValue} is false for a clearing header. */
  void set(String header, boolean carriesValue) {
    this.pending = header;
    this.carriesValue = carriesValue;
  }

  /** Returns whether this response hands the client a new value for the cookie. */
  boolean carriesValue() {
    return pending != null && carriesValue;
  }

  /** Returns whether this response changes the cookie. */
  boolean isSet() {
    return pending != null;
  }

  /** Adds (or replaces) the header on a response that has not committed. */
  void emit(HttpServletResponse response) {
    if (pending == null || pending.equals(emitted)) {
      return;
    }
    if (emitted == null) {
      response.addHeader(CookieSettings.SET_COOKIE, pending);
    } else {
      replace(response, emitted, pending);
    }
    emitted = pending;
  }

  /** The response was reset: its headers are gone. */
  void forgetEmitted() {
    emitted = null;
  }

  private static void replace(HttpServletResponse response, String old, String replacement) {
    List<String> all = new ArrayList<>(response.getHeaders(CookieSettings.SET_COOKIE));
    int i = all.indexOf(old);
    if (i < 0) {
      response.addHeader(CookieSettings.SET_COOKIE, replacement);
      return;
    }
    all.set(i, replacement);
    response.setHeader(CookieSettings.SET_COOKIE, all.get(0));
    for (int j = 1; j < all.size(); j++) {
      response.addHeader(CookieSettings.SET_COOKIE, all.get(j));
    }
  }
}
