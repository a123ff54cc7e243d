// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The slots to look at when purging, grouped by when they are due in buckets of {@value
 * #BUCKET_MILLIS} ms: one reference per session (about 5 bytes with the arrays' spare room) where
 * an ordered set spends an entry object, a node and index nodes (about 50 bytes).
 *
 * <p>A slot is queued in the bucket of a time at or before its expiry. Expiry only moves later
 * (touches), except by a rotation that shortens it, which queues the slot again earlier. {@link
 * #takeDue} hands out the buckets that have started; the caller purges what has expired and
 * queues the rest again at their real expiry. A slot may thus sit in two buckets for a while
 * (after a shortening rotation): the caller's checks make the second visit harmless.
 *
 * <p>A deleted slot (its version {@code null}, for good) is dropped from its bucket before the
 * bucket is due, so that the queue does not keep the slots of ended sessions until their expiry
 * would have come: a bucket that is full drops its deleted slots before it grows (so logins and
 * logouts within the same second leave at most about one array of deleted slots behind), and
 * {@link #sweep} drops them from every bucket once they are a noticeable share of the queue.
 * Dropping only ever removes deleted slots, so a purge still finds every live one.
 */
final class ExpiryBuckets {

  static final int BUCKET_MILLIS = 1024;
  private static final int SHIFT = Integer.numberOfTrailingZeros(BUCKET_MILLIS);

  private final ConcurrentSkipListMap<Long, Bucket> buckets = new ConcurrentSkipListMap<>();
  /**
   * The bucket of the latest add: sessions created or rotated within the same second are due in
   * the same bucket, so most adds go straight to it, without a boxed key or a descent of the
   * ordered map. A bucket a purge took is closed, so an add to it fails and takes the map's path.
   */
  private volatile Bucket recent;

  /** Queues {@code slot} to be looked at from {@code dueMillis} on. */
  void add(Slot slot, long dueMillis) {
    long key = dueMillis >> SHIFT;
    Bucket hint = recent;
    if (hint != null && hint.key == key && hint.add(slot)) {
      return;
    }
    while (true) {
      Bucket bucket = buckets.computeIfAbsent(key, Bucket::new);
      if (bucket.add(slot)) {
        recent = bucket;
        return;
      }
      buckets.remove(key, bucket); // closed by a purge that took it: start a new one
    }
  }

  /**
   * Drops the deleted slots of every bucket if the queue holds at least {@code minDead} more
   * references than {@code liveSlots} (an estimate of the deleted ones: a slot queued twice counts
   * twice), and buckets left empty; returns how many references it dropped. Costs one read of
   * each queued slot when it sweeps, and one read per bucket when it does not.
   *
   * @param liveSlots the number of sessions the store holds
   * @param minDead the least estimated number of deleted slots that is worth a sweep
   */
  int sweep(long liveSlots, long minDead) {
    long queued = 0;
    for (Bucket bucket : buckets.values()) {
      queued += bucket.size();
    }
    if (queued - liveSlots < minDead) {
      return 0;
    }
    int dropped = 0;
    for (Bucket bucket : buckets.values()) {
      dropped += bucket.dropDeleted();
      if (bucket.closeIfEmpty()) {
        buckets.remove(bucket.key, bucket);
      }
    }
    return dropped;
  }

  /** Returns how many slot references the queue holds, deleted ones included (for tests). */
  int queuedSlots() {
    int queued = 0;
    for (Bucket bucket : buckets.values()) {
      queued += bucket.size();
    }
    return queued;
  }

  /**
   * Takes the earliest bucket that started at or before {@code nowMillis}, or returns null if
   * none has. The bucket's slots are the caller's to purge or queue again.
   */
  Slot[] takeDue(long nowMillis) {
    while (true) {
      Map.Entry<Long, Bucket> first = buckets.firstEntry();
      if (first == null || first.getKey() > (nowMillis >> SHIFT)) {
        return null;
      }
      buckets.remove(first.getKey(), first.getValue());
      Slot[] slots = first.getValue().close();
      if (slots != null) {
        return slots;
      }
    }
  }

  /**
   * A growable array of slots, dense (deleted slots are dropped by moving the rest down); closed
   * for good once taken, or once a sweep found it empty.
   */
  private static final class Bucket {
    final long key;
    private Slot[] slots = new Slot[8];
    private int size;
    private boolean closed;

    Bucket(long key) {
      this.key = key;
    }

    synchronized boolean add(Slot slot) {
      if (closed) {
        return false;
      }
      int capacity = slots.length;
      if (size == capacity && dropDeleted() * 2 < capacity) {
        // grow only if at most half were deleted: each drop pass costs a read per slot, paid for
        // by the at least half an array of adds since the last pass
        slots = Arrays.copyOf(slots, size + (size >> 1));
      }
      slots[size++] = slot;
      return true;
    }

    synchronized int size() {
      return size;
    }

    /** Drops the slots whose session is deleted (for good), keeping the others' order. */
    synchronized int dropDeleted() {
      if (closed) {
        return 0;
      }
      int kept = 0;
      for (int i = 0; i < size; i++) {
        Slot slot = slots[i];
        if (slot.version() != null) {
          slots[kept++] = slot;
        }
      }
      int dropped = size - kept;
      Arrays.fill(slots, kept, size, null);
      size = kept;
      if (kept <= slots.length >> 2 && slots.length > 8) {
        slots = Arrays.copyOf(slots, Math.max(8, kept + (kept >> 1)));
      }
      return dropped;
    }

    /** Closes the bucket if it holds no slot; returns whether this call closed it. */
    synchronized boolean closeIfEmpty() {
      if (closed || size > 0) {
        return false;
      }
      closed = true;
      slots = null;
      return true;
    }

    /** Closes the bucket and returns its slots, or null if another caller took them. */
    synchronized Slot[] close() {
      if (closed) {
        return null;
      }
      closed = true;
      Slot[] taken = Arrays.copyOf(slots, size);
      slots = null;
      return taken;
    }
  }
}
