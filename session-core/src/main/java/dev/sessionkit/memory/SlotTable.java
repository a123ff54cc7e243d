// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A concurrent hash index of {@link Slot}s that stores references (and, where a slot has more
 * than one key, each position's hash code, else one byte of it): 7 to 12 bytes per entry where a
 * {@code ConcurrentHashMap} spends a 32-byte node and a key object.
 *
 * <h2>Design</h2>
 *
 * <p>Open addressing with linear probing, split into {@value #SEGMENTS} segments by the top bits
 * of the hash. Readers take no lock: they read a segment's {@link Table} once and probe it with
 * acquire reads until an empty position. Writers lock the segment. A removed entry becomes a
 * {@link #TOMBSTONE} (probing continues past it, an insert may reuse it), so no entry ever moves
 * inside an array that readers see. When live entries and tombstones fill four fifths of an
 * array, the writer builds a new table from the live entries, three fifths full, and publishes
 * it (so a table is about 70% full on average, 6 bytes per reference); a reader still
 * probing the old one sees the index as it was before, which is a correct answer for a read that
 * overlapped the change. A slot found here is only a candidate: callers check its current
 * version, so a slot deleted or rotated meanwhile is never mistaken for a match.
 *
 * <p>Keys: a slot is indexed by id under one key that never changes ({@code keyed} false: a
 * position is identified by its slot). By token hash it is indexed under two keys for a while (a
 * rotation adds the new hash before it removes the old one, and the probe runs of both may
 * overlap), so there ({@code keyed} true) each position also records the hash code it was added
 * under, and adding or removing a slot matches the slot and that hash code. By id ({@code keyed}
 * false) each position keeps one byte of its hash code instead, a tag that lets a probe skip the
 * slots of other ids without reading them (at random, each read is a cache miss): about 1.4
 * bytes per entry, for about two slot reads fewer per lookup and five per insert.
 */
abstract class SlotTable {

  /** Marks a removed entry. */
  static final Slot TOMBSTONE = new Slot("", null);

  private static final int SEGMENTS = 64;
  private static final int SEGMENT_SHIFT = 32 - Integer.numberOfTrailingZeros(SEGMENTS);
  private static final int INITIAL_CAPACITY = 16;
  private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Slot[].class);

  private final ToIntFunction<Slot> hashOf;
  private final boolean keyed;
  private final Segment[] segments = new Segment[SEGMENTS];

  /**
   * Creates an index whose slots each have one key, whose hash code {@code hashOf} returns, or,
   * with {@code hashOf} null, an index that records each position's hash code.
   */
  SlotTable(ToIntFunction<Slot> hashOf) {
    this.hashOf = hashOf;
    this.keyed = hashOf == null;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment(new Table(INITIAL_CAPACITY, keyed));
    }
  }

  /**
   * The positions of a segment: slots and, for a keyed index, their hash codes; for an index of
   * one key per slot, one byte of each position's hash code (a tag), so that a probe reads a slot
   * (a cache miss each, at random) only where the tag matches, one in 256 of the others.
   */
  static final class Table {
    final Slot[] slots;
    final int[] hashes;
    final byte[] tags;

    Table(int capacity, boolean keyed) {
      slots = new Slot[capacity];
      hashes = keyed ? new int[capacity] : null;
      tags = keyed ? null : new byte[capacity];
    }

    /** Whether position {@code i} may hold a slot added under {@code hash}; read after the slot. */
    boolean mayHold(int i, int hash) {
      return hashes != null ? hashes[i] == hash : tags[i] == (byte) hash;
    }

    /** Records {@code hash} for position {@code i}; published by the release write of the slot. */
    void record(int i, int hash) {
      if (hashes != null) {
        hashes[i] = hash;
      } else {
        tags[i] = (byte) hash;
      }
    }
  }

  /** One lock, one table. */
  static final class Segment {
    volatile Table table;
    int used;

    Segment(Table table) {
      this.table = table;
    }
  }

  private Segment segment(int hash) {
    return segments[hash >>> SEGMENT_SHIFT];
  }

  /**
   * Returns the first probe position of {@code hash} in an array of {@code length}: its low 26
   * bits (the top 6 chose the segment) scaled to the length, which need not be a power of two.
   */
  private static int home(int hash, int length) {
    return (int) (((hash & 0x3FFFFFFL) * length) >>> 26);
  }

  private static int next(int i, int length) {
    return i + 1 == length ? 0 : i + 1;
  }

  /** Returns a live slot that {@link #matches} {@code key}, or null; takes no lock. */
  final Slot find(int hash, Object key) {
    Table table = segment(hash).table;
    Slot[] slots = table.slots;
    int length = slots.length;
    for (int i = home(hash, length), n = 0; n < length; i = next(i, length), n++) {
      Slot s = (Slot) ELEMENTS.getAcquire(slots, i);
      if (s == null) {
        return null;
      }
      if (s != TOMBSTONE && table.mayHold(i, hash) && matches(s, key)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Returns a live slot that {@link #matches(Slot, long, long, long, long)} the four words, or
   * null; takes no lock. The same probe as {@link #find(int, Object)}, without a key object.
   */
  final Slot find(int hash, long w0, long w1, long w2, long w3) {
    Table table = segment(hash).table;
    Slot[] slots = table.slots;
    int length = slots.length;
    for (int i = home(hash, length), n = 0; n < length; i = next(i, length), n++) {
      Slot s = (Slot) ELEMENTS.getAcquire(slots, i);
      if (s == null) {
        return null;
      }
      if (s != TOMBSTONE && table.mayHold(i, hash) && matches(s, w0, w1, w2, w3)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Returns every live slot the index holds now, once per position (a scan, for administrative
   * operations only; a slot indexed under two keys appears twice).
   */
  final List<Slot> liveSlots() {
    List<Slot> live = new ArrayList<>();
    for (Segment seg : segments) {
      Slot[] slots = seg.table.slots;
      for (int i = 0; i < slots.length; i++) {
        Slot s = (Slot) ELEMENTS.getAcquire(slots, i);
        if (s != null && s != TOMBSTONE && s.version() != null) {
          live.add(s);
        }
      }
    }
    return live;
  }

  /**
   * Adds {@code slot} under {@code hash} unless it is there already; returns false if another
   * live slot holds {@code key}.
   */
  final boolean add(int hash, Slot slot, Object key) {
    Segment seg = segment(hash);
    synchronized (seg) {
      Table table = seg.table;
      Slot[] slots = table.slots;
      int length = slots.length;
      int free = -1;
      for (int i = home(hash, length), n = 0; n < length; i = next(i, length), n++) {
        Slot s = slots[i];
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
        } else if (table.mayHold(i, hash)) {
          if (s == slot) {
            return true;
          }
          if (matches(s, key)) {
            return false;
          }
        }
      }
      if (free < 0 || slots[free] == null && seg.used + 1 > length / 5 * 4) {
        rebuild(seg);
        return add(hash, slot, key);
      }
      if (slots[free] == null) {
        seg.used++;
      }
      table.record(free, hash); // published by the release write of the slot
      ELEMENTS.setRelease(slots, free, slot);
      return true;
    }
  }

  /** Removes {@code slot} from under {@code hash}, if it is there. */
  final void remove(int hash, Slot slot) {
    Segment seg = segment(hash);
    synchronized (seg) {
      Table table = seg.table;
      Slot[] slots = table.slots;
      int length = slots.length;
      for (int i = home(hash, length), n = 0; n < length; i = next(i, length), n++) {
        Slot s = slots[i];
        if (s == null) {
          return;
        }
        if (s == slot && (!keyed || table.hashes[i] == hash)) {
          ELEMENTS.setRelease(slots, i, TOMBSTONE);
          return;
        }
      }
    }
  }

  /**
   * Replaces the segment's table by one holding its entries of live slots with room to grow; the
   * caller holds the segment's lock. An entry of a deleted slot is dropped: its remover then
   * finds nothing left to do.
   */
  private void rebuild(Segment seg) {
    Table old = seg.table;
    int live = 0;
    for (Slot s : old.slots) {
      if (s != null && s != TOMBSTONE && s.version() != null) {
        live++;
      }
    }
    int capacity = Math.max(INITIAL_CAPACITY, (live + 1) / 3 * 5);
    Table fresh = new Table(capacity, keyed);
    int used = 0;
    for (int j = 0; j < old.slots.length; j++) {
      Slot s = old.slots[j];
      if (s == null || s == TOMBSTONE || s.version() == null) {
        continue;
      }
      int hash = keyed ? old.hashes[j] : hashOf.applyAsInt(s);
      int i = home(hash, capacity);
      while (fresh.slots[i] != null) {
        i = next(i, capacity);
      }
      fresh.slots[i] = s;
      fresh.record(i, hash);
      used++;
    }
    seg.used = used;
    seg.table = fresh;
  }

  /** Returns whether {@code s} is live and holds {@code key}. */
  abstract boolean matches(Slot s, Object key);

  /** Returns whether {@code s} is live and holds the key of four words (an index of such keys). */
  boolean matches(Slot s, long w0, long w1, long w2, long w3) {
    throw new UnsupportedOperationException("this index has no keys of four words");
  }
}
