// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/** How the principal of a session proved who they are. */
public enum AuthenticationMethod {
  /** The user signed in (a password form, SSO, ...): the application called authenticate. */
  INTERACTIVE,
  /** The session was started from a valid remember-me token, without the user present. */
  REMEMBER_ME
}
