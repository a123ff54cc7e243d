// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's users: names with PBKDF2 password hashes, in memory. Checking an unknown name costs
 * the same as checking a known one, so that timing does not reveal who exists.
 */
public final class UserDirectory {

  private static final String DUMMY_HASH = PasswordHasher.hash("not-a-user".toCharArray());

  private final Map<String, String> hashes = new ConcurrentHashMap<>();

  /** Adds or replaces a user. */
  public void put(String name, String password) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    hashes.put(name, PasswordHasher.hash(password.toCharArray()));
  }

  /** Returns whether {@code password} is the password of {@code name}; false for unknown names. */
  public boolean check(String name, String password) {
    if (name == null || password == null) {
      return false;
    }
    String stored = hashes.get(name);
    boolean matches = PasswordHasher.verify(password.toCharArray(),
        stored == null ? DUMMY_HASH : stored);
    return stored != null && matches;
  }

  /** Sets a new password for an existing user. */
  public void changePassword(String name, String newPassword) {
    hashes.computeIfPresent(name, (k, v) -> PasswordHasher.hash(newPassword.toCharArray()));
  }

  /** Returns whether a user of this name exists. */
  public boolean exists(String name) {
    return hashes.containsKey(name);
  }
}
