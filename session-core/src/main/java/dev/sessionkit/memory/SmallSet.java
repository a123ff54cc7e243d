// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * The session ids (or series selector hashes) of one principal: an array while there are few (one
 * or two is the common case), a {@link HashSet} beyond {@value #ARRAY_MAX}. Against a {@code
 * HashSet} from the start it saves the map, its table and a node per key on every login, and a
 * logout reads one array instead of following four references. Not thread-safe: the store changes
 * and reads it only inside {@code principals.compute} for its principal.
 */
final class SmallSet<T> {

  static final int ARRAY_MAX = 16;

  private Object[] array;
  private int size;
  private HashSet<T> hashed;

  /** Adds {@code key} unless present; returns whether it was added. */
  boolean add(T key) {
    if (hashed != null) {
      return hashed.add(key);
    }
    if (indexOf(key) >= 0) {
      return false;
    }
    if (size == ARRAY_MAX) {
      hashed = new HashSet<>(toList());
      array = null;
      size = 0;
      return hashed.add(key);
    }
    if (array == null) {
      array = new Object[2];
    } else if (size == array.length) {
      array = Arrays.copyOf(array, Math.min(ARRAY_MAX, 2 * size));
    }
    array[size++] = key;
    return true;
  }

  /** Removes {@code key} if present; returns whether it was there. */
  boolean remove(Object key) {
    if (hashed != null) {
      return hashed.remove(key);
    }
    int i = indexOf(key);
    if (i < 0) {
      return false;
    }
    array[i] = array[--size];
    array[size] = null;
    if (size == 0) {
      array = null;
    }
    return true;
  }

  boolean contains(Object key) {
    return hashed != null ? hashed.contains(key) : indexOf(key) >= 0;
  }

  boolean isEmpty() {
    return hashed != null ? hashed.isEmpty() : size == 0;
  }

  int size() {
    return hashed != null ? hashed.size() : size;
  }

  /** Returns a copy of the keys, in no order. */
  @SuppressWarnings("unchecked")
  List<T> toList() {
    if (hashed != null) {
      return new ArrayList<>(hashed);
    }
    List<T> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add((T) array[i]);
    }
    return list;
  }

  private int indexOf(Object key) {
    for (int i = 0; i < size; i++) {
      if (array[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
