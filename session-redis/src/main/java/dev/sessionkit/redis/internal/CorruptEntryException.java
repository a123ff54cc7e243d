// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

/**
 * A stored session or series cannot be read back (a missing or malformed field). The store treats
 * the entry as absent and removes it. The message names the field, never its value.
 */
public final class CorruptEntryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CorruptEntryException(String message) {
    super(message);
  }
}
