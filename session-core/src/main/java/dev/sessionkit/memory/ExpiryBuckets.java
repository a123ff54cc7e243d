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

  /** A growable array of slots; closed for good once taken. */
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
      if (size == slots.length) {
        slots = Arrays.copyOf(slots, size + (size >> 1));
      }
      slots[size++] = slot;
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
