// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A concurrent hash index of {@link Slot}s that stores nothing but references: 4 to 8 bytes per
 * entry where a {@code ConcurrentHashMap} spends a 32-byte node and a key object.
 *
 * <h2>Design</h2>
 *
 * <p>Open addressing with linear probing, split into {@value #SEGMENTS} segments by the top bits
 * of the hash. Readers take no lock: they read a segment's array once and probe it with acquire
 * reads until an empty position. Writers lock the segment. A removed entry becomes a {@link
 * #TOMBSTONE} (probing continues past it, an insert may reuse it), so no entry ever moves inside
 * an array that readers see. When live entries and tombstones fill three quarters of an array, the
 * writer builds a new array from the live entries and publishes it; a reader still probing the old
 * array sees the index as it was before, which is a correct answer for a read that overlapped the
 * change. A slot found here is only a candidate: callers check its current version, so a slot
 * deleted or rotated meanwhile is never mistaken for a match.
 *
 * <p>What a key is, and where a slot lives, is the subclass's: a slot may be indexed under two
 * keys (a current and a previous token hash).
 */
abstract class SlotTable {

  /** Marks a removed entry. */
  static final Slot TOMBSTONE = new Slot("", null, 0);

  private static final int SEGMENTS = 64;
  private static final int SEGMENT_SHIFT = 32 - Integer.numberOfTrailingZeros(SEGMENTS);
  private static final int INITIAL_CAPACITY = 16;
  private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Slot[].class);

  private final Segment[] segments = new Segment[SEGMENTS];

  SlotTable() {
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment();
    }
  }

  /** One lock, one array. */
  static final class Segment {
    volatile Slot[] array = new Slot[INITIAL_CAPACITY];
    int used;
  }

  final Segment segment(int hash) {
    return segments[hash >>> SEGMENT_SHIFT];
  }

  /** Returns a live slot that {@link #matches} {@code key}, or null; takes no lock. */
  final Slot find(int hash, Object key) {
    Slot[] array = segment(hash).array;
    int mask = array.length - 1;
    for (int i = start(hash, array.length), n = 0; n < array.length; i = (i + 1) & mask, n++) {
      Slot s = (Slot) ELEMENTS.getAcquire(array, i);
      if (s == null) {
        return null;
      }
      if (s != TOMBSTONE && matches(s, key)) {
        return s;
      }
    }
    return null;
  }

  /** Returns the first probe position of {@code hash} in an array of {@code length}. */
  static int start(int hash, int length) {
    return hash & (length - 1);
  }

  /**
   * Adds {@code slot} under {@code hash} unless it is there already; returns false if another
   * live slot holds {@code key}.
   */
  final boolean add(int hash, Slot slot, Object key) {
    Segment seg = segment(hash);
    synchronized (seg) {
      Slot[] array = seg.array;
      int mask = array.length - 1;
      int free = -1;
      for (int i = start(hash, array.length), n = 0; n < array.length; i = (i + 1) & mask, n++) {
        Slot s = array[i];
        if (s == null) {
          if (free < 0) {
            free = i;
          }
          break;
        }
        if (s == TOMBSTONE) {
          if (free < 0) {
            free = i;
          }
        } else if (s == slot) {
          return true;
        } else if (matches(s, key)) {
          return false;
        }
      }
      if (free < 0 || array[free] == null && seg.used + 1 > array.length * 3 / 4) {
        rebuild(seg, hash, 1);
        return add(hash, slot, key);
      }
      if (array[free] == null) {
        seg.used++;
      }
      ELEMENTS.setRelease(array, free, slot);
      return true;
    }
  }

  /** Removes {@code slot} from under {@code hash}, if it is there. */
  final void remove(int hash, Slot slot) {
    Segment seg = segment(hash);
    synchronized (seg) {
      Slot[] array = seg.array;
      int mask = array.length - 1;
      for (int i = start(hash, array.length), n = 0; n < array.length; i = (i + 1) & mask, n++) {
        Slot s = array[i];
        if (s == null) {
          return;
        }
        if (s == slot) {
          ELEMENTS.setRelease(array, i, TOMBSTONE);
          return;
        }
      }
    }
  }

  /**
   * Replaces the segment's array by one holding its live entries with room to grow; the caller
   * holds the segment's lock. Entries are placed again under the keys their slots have now
   * ({@link #reindex}): an entry under a key its slot no longer has is dropped.
   */
  private void rebuild(Segment seg, int anyHash, int extra) {
    Slot[] old = seg.array;
    int live = 0;
    for (Slot s : old) {
      if (s != null && s != TOMBSTONE) {
        live++;
      }
    }
    int capacity = INITIAL_CAPACITY;
    while ((live + extra) * 2 > capacity) {
      capacity <<= 1;
    }
    Slot[] fresh = new Slot[capacity];
    int used = 0;
    int segmentIndex = anyHash >>> SEGMENT_SHIFT;
    for (Slot s : old) {
      if (s != null && s != TOMBSTONE) {
        used += reindex(s, segmentIndex, fresh);
      }
    }
    seg.used = used;
    seg.array = fresh;
  }

  /**
   * Places {@code slot} into {@code fresh} under each of its keys whose hash falls into segment
   * {@code segmentIndex}, unless it is there already; returns how many positions it filled.
   */
  abstract int reindex(Slot slot, int segmentIndex, Slot[] fresh);

  /** Puts {@code slot} under {@code hash} in a private array unless it is there; 1 if placed. */
  static int place(Slot[] fresh, int hash, Slot slot) {
    int mask = fresh.length - 1;
    for (int i = start(hash, fresh.length); ; i = (i + 1) & mask) {
      Slot s = fresh[i];
      if (s == slot) {
        return 0;
      }
      if (s == null) {
        fresh[i] = slot;
        return 1;
      }
    }
  }

  static boolean inSegment(int hash, int segmentIndex) {
    return hash >>> SEGMENT_SHIFT == segmentIndex;
  }

  /** Returns whether {@code s} is live and holds {@code key}. */
  abstract boolean matches(Slot s, Object key);
}
