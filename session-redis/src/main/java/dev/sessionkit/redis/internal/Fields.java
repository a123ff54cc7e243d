// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.TokenHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The field/value pairs of a Redis hash as the scripts send and receive them, with helpers to
 * read and write text and numbers.
 */
final class Fields {

  private final Map<String, byte[]> values;

  private Fields(Map<String, byte[]> values) {
    this.values = values;
  }

  /** Reads a flat {@code HGETALL} reply: field, value, field, value, ... */
  static Fields ofReply(List<?> flat) {
    Map<String, byte[]> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(text((byte[]) flat.get(i)), (byte[]) flat.get(i + 1));
    }
    return new Fields(map);
  }

  static Fields of(Map<String, byte[]> map) {
    return new Fields(map);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  Map<String, byte[]> all() {
    return values;
  }

  /** Returns the text of {@code name}, or {@code null} if absent. */
  String text(String name) {
    byte[] value = values.get(name);
    return value == null ? null : text(value);
  }

  /** Returns the text of a required field. */
  String required(String name) {
    String value = text(name);
    if (value == null) {
      throw new CorruptEntryException("field '" + name + "' is missing");
    }
    return value;
  }

  /** Returns the number in a required field. */
  long number(String name) {
    String value = required(name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new CorruptEntryException("field '" + name + "' is not a number");
    }
  }

  /** Returns the token hash (base64url) in a required field. */
  TokenHash hash(String name) {
    String value = required(name);
    try {
      return TokenHash.fromBase64Url(value);
    } catch (IllegalArgumentException e) {
      throw new CorruptEntryException("field '" + name + "' is not a hash");
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(long number) {
    return bytes(Long.toString(number));
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Collects field/value pairs for a script; {@code null} values are left out. */
  static final class Pairs {
    private final List<byte[]> items = new ArrayList<>();

    Pairs put(String field, String value) {
      if (value != null) {
        items.add(bytes(field));
        items.add(bytes(value));
      }
      return this;
    }

    Pairs put(String field, long value) {
      return put(field, Long.toString(value));
    }

    Pairs put(String field, byte[] value) {
      items.add(bytes(field));
      items.add(value);
      return this;
    }

    int size() {
      return items.size();
    }

    List<byte[]> items() {
      return items;
    }
  }
}
