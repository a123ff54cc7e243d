// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/*
 * Finds the attribute values that the application changed in place, for Session.saveChanges().
 *
 * Each value the request sees (per the SaveMode) gets a fingerprint when first seen: the SHA-256
 * of its Java-serialized form. At save time the values are fingerprinted again, and those whose
 * fingerprint changed are written back, one attribute each in one store write, so that an
 * attribute this request only read never overwrites another request's write of it. A value of an
 * immutable JDK type needs no fingerprint; a value that cannot be serialized gets none and is not
 * compared (UNTRACKED), so that it is never written back blindly over another request's change.
 */

/** The in-place changes of one session's attribute values, as seen by one {@link Session}. */
final class AttributeChanges {

  private static final byte[] UNTRACKED = new byte[0];

  private final SaveMode mode;
  private final Map<String, byte[]> fingerprints = new HashMap<>(4); // a request reads few
  /** What {@link #changed} found, until {@link #saved}; allocated on the first change found. */
  private Map<String, byte[]> pending;
  private boolean sawAll;

  AttributeChanges(SaveMode mode) {
    this.mode = mode;
  }

  /** The request read {@code name}'s value. */
  synchronized void read(String name, Object value, Map<String, Object> all) {
    if (mode == SaveMode.ALWAYS) {
      readAll(all);
    } else if (mode == SaveMode.ON_GET_ATTRIBUTE && value != null
        && !fingerprints.containsKey(name)) {
      // as computeIfAbsent (a fingerprint is never null), without a capturing lambda per read
      fingerprints.put(name, fingerprint(value));
    }
  }

  /** The request read every value (or, in {@link SaveMode#ALWAYS}, any value). */
  synchronized void readAll(Map<String, Object> all) {
    if (mode == SaveMode.ON_SET_ATTRIBUTE || sawAll) {
      return;
    }
    all.forEach((name, value) -> fingerprints.computeIfAbsent(name, n -> fingerprint(value)));
    sawAll = mode == SaveMode.ALWAYS;
  }

  /** The request wrote {@code puts} and removed {@code removals}: compare from these values on. */
  synchronized void written(Map<String, ?> puts, Set<String> removals) {
    if (mode == SaveMode.ON_SET_ATTRIBUTE) {
      return;
    }
    removals.forEach(fingerprints::remove);
    puts.forEach((name, value) -> fingerprints.put(name, fingerprint(value)));
  }

  /**
   * Returns the values among {@code current} that changed since they were seen; {@link #saved}
   * then makes their new form the one to compare with.
   */
  synchronized Map<String, Object> changed(Map<String, Object> current) {
    if (mode == SaveMode.ALWAYS) {
      readAll(current);
    }
    pending = null;
    if (noneTracked()) {
      return Map.of(); // the request saw no value that can change in place: the common case
    }
    Map<String, Object> changed = new LinkedHashMap<>();
    fingerprints.forEach((name, seen) -> {
      Object value = current.get(name);
      if (value != null && seen != UNTRACKED) {
        byte[] now = fingerprint(value);
        if (!Arrays.equals(seen, now)) {
          changed.put(name, value);
          if (pending == null) {
            pending = new HashMap<>();
          }
          pending.put(name, now);
        }
      }
    });
    return changed;
  }

  private boolean noneTracked() {
    for (byte[] seen : fingerprints.values()) {
      if (seen != UNTRACKED) {
        return false;
      }
    }
    return true;
  }

  /** The values {@link #changed} returned were written. */
  synchronized void saved() {
    if (pending != null) {
      fingerprints.putAll(pending);
      pending = null;
    }
  }

  /** Takes over what {@code earlier} (the same session before a rotation) had seen. */
  synchronized void continueFrom(AttributeChanges earlier) {
    if (earlier == this) {
      return;
    }
    synchronized (earlier) {
      earlier.fingerprints.forEach(fingerprints::putIfAbsent);
      sawAll |= earlier.sawAll;
    }
  }

  /** Returns the SHA-256 of the value's serialized form, or {@link #UNTRACKED}. */
  static byte[] fingerprint(Object value) {
    if (value == null || isImmutable(value)) {
      return UNTRACKED;
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    try (ObjectOutputStream out = new ObjectOutputStream(new DigestSink(sha256))) {
      out.writeObject(value);
    } catch (IOException | RuntimeException e) {
      return UNTRACKED; // not serializable: save it with setAttribute
    }
    return sha256.digest();
  }

  /**
   * Whether the value is of an immutable JDK type: exactly the classes below, by identity (the
   * common attribute types first; a few comparisons of a class pointer, no hash probe per read),
   * then enums and the classes of {@code java.time}.
   */
  private static boolean isImmutable(Object value) {
    Class<?> type = value.getClass();
    return type == String.class || type == Integer.class || type == Long.class
        || type == Boolean.class || type == UUID.class || type == Double.class
        || type == Float.class || type == Short.class || type == Byte.class
        || type == Character.class || type == BigInteger.class || type == BigDecimal.class
        || type == Locale.class || type == Class.class
        || type.isEnum() || value instanceof Enum<?>
        || (type.getPackageName().equals("java.time") && !type.isInterface());
  }

  /** Feeds the serialized bytes to a digest without keeping them. */
  private static final class DigestSink extends OutputStream {
    private final MessageDigest digest;

    DigestSink(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }
  }
}
