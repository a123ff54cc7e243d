// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The one {@code Set-Cookie} header a response may carry for one cookie name: the latest value
 * wins, and if an earlier one was already added to a response that has not committed, it is
 * replaced in place (other {@code Set-Cookie} headers are kept), so that a response never carries
 * two headers for one name. A header that the container dropped (a reset before an error page) is
 * added again.
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

  /** Returns whether the response carries the header to send (true when there is none). */
  boolean isOn(HttpServletResponse response) {
    return pending == null || response.getHeaders(CookieSettings.SET_COOKIE).contains(pending);
  }

  /**
   * Adds again the header last emitted (if any) when the response no longer carries it (a reset
   * dropped it); emits nothing new.
   */
  void emitAgain(HttpServletResponse response) {
    if (emitted != null
        && !response.getHeaders(CookieSettings.SET_COOKIE).contains(emitted)) {
      response.addHeader(CookieSettings.SET_COOKIE, emitted);
    }
  }

  /**
   * Makes a response that has not committed carry the header: adds it, replaces the one emitted
   * earlier in place, or adds it again if the container dropped it.
   */
  void emit(HttpServletResponse response) {
    if (pending == null) {
      return;
    }
    List<String> all = new ArrayList<>(response.getHeaders(CookieSettings.SET_COOKIE));
    if (!all.contains(pending)) {
      int i = emitted == null ? -1 : all.indexOf(emitted);
      if (i < 0) {
        response.addHeader(CookieSettings.SET_COOKIE, pending);
      } else {
        all.set(i, pending);
        response.setHeader(CookieSettings.SET_COOKIE, all.get(0));
        for (int j = 1; j < all.size(); j++) {
          response.addHeader(CookieSettings.SET_COOKIE, all.get(j));
        }
      }
    }
    emitted = pending;
  }
}
