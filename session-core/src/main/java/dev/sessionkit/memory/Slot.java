// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.memory;

import dev.sessionkit.spi.Authentication;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.PreviousToken;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionView;
import dev.sessionkit.spi.TokenHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The mutable cell of one stored session, and the only object the store keeps per session besides
 * its {@link Version}: 40 bytes with compressed references. Its version is the {@link SessionView}
 * that the per-request path returns, so a request builds no record.
 *
 * <ul>
 *   <li>the public id, fixed for the session's life: a canonical 16-character base64url id (every
 *       id the manager issues) is packed into 96 bits ({@code id0}, {@code id1}) instead of a
 *       {@code String} and its array; any other id is kept as text in {@code idText};
 *   <li>{@link #version}: everything else but the last access, immutable, replaced by
 *       compare-and-set; {@code null} once the session is deleted, for good, which is why a touch
 *       or update that races with a delete can never bring the session back;
 *   <li>{@link #lastAccess}: raised in place by touches (the one write of the request path), so a
 *       touch allocates nothing and leaves no young object referenced from a long-lived one.
 * </ul>
 */
final class Slot {

  private static final VarHandle VERSION;
  private static final VarHandle LAST_ACCESS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      VERSION = lookup.findVarHandle(Slot.class, "version", Version.class);
      LAST_ACCESS = lookup.findVarHandle(Slot.class, "lastAccess", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final byte[] ALPHABET = BASE64URL.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = (byte) i;
    }
  }

  /**
   * Per-thread buffer for spelling out a packed id; a JDK type only, so that a web application's
   * redeploy leaves no class of ours pinned by a container thread.
   */
  private static final ThreadLocal<byte[]> ID_CHARS =
      ThreadLocal.withInitial(() -> new byte[Slot.PACKED_ID_LENGTH]);

  /** Length of a packed id: 16 base64url characters, 96 bits. */
  static final int PACKED_ID_LENGTH = 16;

  final long id0;
  final int id1;
  final String idText;
  private volatile Version version;
  private volatile long lastAccess;

  /** A slot holding {@code record} (its last access in place); {@code null}: a marker, never live. */
  Slot(String id, SessionRecord record) {
    if (isPackable(id)) {
      this.id0 = high(id);
      this.id1 = low(id);
      this.idText = null;
    } else {
      this.id0 = 0;
      this.id1 = 0;
      this.idText = id;
    }
    this.version = record == null ? null : Version.of(this, record);
    this.lastAccess = record == null ? 0 : record.lifetime().lastAccessedAt();
  }

  /** Returns the current version, or {@code null} once the session is deleted. */
  Version version() {
    return version;
  }

  boolean compareAndSet(Version expected, Version next) {
    return VERSION.compareAndSet(this, expected, next);
  }

  /** Deletes the session for good; returns the version it had, or {@code null} if already gone. */
  Version delete() {
    return (Version) VERSION.getAndSet(this, (Version) null);
  }

  /**
   * Deletes the session for good if its version is still {@code expected}; returns whether this
   * call deleted it.
   */
  boolean compareAndDelete(Version expected) {
    return VERSION.compareAndSet(this, expected, (Version) null);
  }

  long lastAccess() {
    return lastAccess;
  }

  /** Records an access at {@code time} unless a later one is recorded; false once deleted. */
  boolean touch(long time) {
    if (version == null) {
      return false;
    }
    long last = lastAccess;
    while (last < time && !LAST_ACCESS.compareAndSet(this, last, time)) {
      last = lastAccess;
    }
    return version != null;
  }

  /** Returns the public id (a new string for a packed id). */
  String id() {
    return idText != null ? idText : unpack(id0, id1);
  }

  /** Returns whether this slot's id is {@code id}, without building a string. */
  boolean hasId(String id) {
    if (idText != null) {
      return idText.equals(id);
    }
    return isPackable(id) && high(id) == id0 && low(id) == id1;
  }

  /** Returns a hash code of the id that {@link #idHash(String)} also gives for the id's text. */
  int idHash() {
    return idText != null ? mix(idText.hashCode()) : mix(id0 ^ ((long) id1 << 17));
  }

  static int idHash(String id) {
    return isPackable(id) ? mix(high(id) ^ ((long) low(id) << 17)) : mix(id.hashCode());
  }

  /**
   * Returns the record this slot holds with {@code version} and last access {@code lastAccessed};
   * {@code knownHash} is used as the record's token hash object if it is the current one, so that
   * the request path does not build a second one.
   */
  SessionRecord record(Version v, long lastAccessed, TokenHash knownHash) {
    TokenHash hash = knownHash != null && v.isCurrent(knownHash) ? knownHash : v.tokenHash();
    return new SessionRecord(id(), hash, v.previous, v.authentication,
        new Lifetime(v.createdAt, lastAccessed, v.idleTimeout, v.absoluteDeadline), v.client,
        v.attributes);
  }

  /** Returns the record, or {@code null} once deleted. */
  SessionRecord record() {
    Version v = version;
    return v == null ? null : record(v, lastAccess, null);
  }

  // ------------------------------------------------------------------ ids

  private static boolean isPackable(String id) {
    if (id.length() != PACKED_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < PACKED_ID_LENGTH; i++) {
      char c = id.charAt(i);
      if (c >= 128 || VALUES[c] < 0) {
        return false;
      }
    }
    return true;
  }

  /** Bits 95..32 of the 96 bits of a packable id (characters 0 to 9, and 4 bits of 10). */
  private static long high(String id) {
    long bits = 0;
    for (int i = 0; i < 10; i++) {
      bits = (bits << 6) | VALUES[id.charAt(i)];
    }
    return (bits << 4) | (VALUES[id.charAt(10)] >>> 2);
  }

  /** Bits 31..0 of the 96 bits of a packable id. */
  private static int low(String id) {
    int bits = VALUES[id.charAt(10)] & 0x3;
    for (int i = 11; i < PACKED_ID_LENGTH; i++) {
      bits = (bits << 6) | VALUES[id.charAt(i)];
    }
    return bits;
  }

  private static String unpack(long high, int low) {
    byte[] chars = ID_CHARS.get();
    long h = high >>> 4;
    for (int i = 9; i >= 0; i--) {
      chars[i] = ALPHABET[(int) (h & 0x3F)];
      h >>>= 6;
    }
    chars[10] = ALPHABET[(int) ((high & 0xF) << 2) | ((low >>> 30) & 0x3)];
    int l = low;
    for (int i = 15; i >= 11; i--) {
      chars[i] = ALPHABET[l & 0x3F];
      l >>>= 6;
    }
    return new String(chars, StandardCharsets.ISO_8859_1);
  }

  static int mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return (int) x;
  }

  // ------------------------------------------------------------------ versions

  /**
   * Everything of a session but its id and last access, immutable: 88 bytes (the reference back
   * to its slot fills what was padding). The token hash is held as four numbers; an anonymous
   * session without attributes shares its client and its attribute map with every other one.
   *
   * <p>It is also the session's {@link SessionView}: the id and the last access are read from the
   * slot, everything else is this version's, so {@code findAndTouch} answers without allocating.
   */
  static final class Version implements SessionView {
    final Slot slot;
    final long h0;
    final long h1;
    final long h2;
    final long h3;
    final long createdAt;
    final long idleTimeout;
    final long absoluteDeadline;
    final PreviousToken previous;
    final Authentication authentication;
    final ClientInfo client;
    final Map<String, Object> attributes;

    private Version(Slot slot, TokenHash hash, long createdAt, long idleTimeout, long absoluteDeadline,
        PreviousToken previous, Authentication authentication, ClientInfo client,
        Map<String, Object> attributes) {
      this.slot = slot;
      this.h0 = hash.word(0);
      this.h1 = hash.word(1);
      this.h2 = hash.word(2);
      this.h3 = hash.word(3);
      this.createdAt = createdAt;
      this.idleTimeout = idleTimeout;
      this.absoluteDeadline = absoluteDeadline;
      this.previous = previous;
      this.authentication = authentication;
      this.client = client;
      this.attributes = attributes;
    }

    /** Returns the version of {@code record} (its last access is the slot's). */
    static Version of(Slot slot, SessionRecord record) {
      Lifetime l = record.lifetime();
      return new Version(slot, record.tokenHash(), l.createdAt(), l.idleTimeout(),
          l.absoluteDeadline(), record.previousToken(), record.authentication(), record.client(),
          record.attributes());
    }

    /**
     * Returns this version with the token, previous token, authentication, absolute deadline and
     * client of {@code replacement}; creation time, idle timeout and attributes stay.
     */
    Version rotatedTo(SessionRecord replacement) {
      return new Version(slot, replacement.tokenHash(), createdAt, idleTimeout,
          replacement.lifetime().absoluteDeadline(), replacement.previousToken(),
          replacement.authentication(), replacement.client(), attributes);
    }

    Version withAttributes(Map<String, Object> next) {
      return new Version(slot, tokenHash(), createdAt, idleTimeout, absoluteDeadline, previous,
          authentication, client, Map.copyOf(next));
    }

    Version withIdleTimeout(long idleTimeoutMillis) {
      return new Version(slot, tokenHash(), createdAt, idleTimeoutMillis, absoluteDeadline, previous,
          authentication, client, attributes);
    }

    TokenHash tokenHash() {
      return TokenHash.ofWords(h0, h1, h2, h3);
    }

    boolean isCurrent(TokenHash hash) {
      return hash.hasWords(h0, h1, h2, h3);
    }

    /** Returns whether {@code hash} is the current token's hash or the previous one's. */
    boolean hasToken(TokenHash hash) {
      return isCurrent(hash) || (previous != null && previous.hash().equals(hash));
    }

    /** Returns whether the words are the current token hash's or the previous one's. */
    boolean hasToken(long w0, long w1, long w2, long w3) {
      return hasCurrentToken(w0, w1, w2, w3)
          || (previous != null && previous.hash().hasWords(w0, w1, w2, w3));
    }

    // ---------------------------------------------------------------- SessionView

    @Override
    public String id() {
      return slot.id();
    }

    @Override
    public boolean hasCurrentToken(long w0, long w1, long w2, long w3) {
      return h0 == w0 && h1 == w1 && h2 == w2 && h3 == w3;
    }

    @Override
    public PreviousToken previousToken() {
      return previous;
    }

    @Override
    public Authentication authentication() {
      return authentication;
    }

    @Override
    public long createdAt() {
      return createdAt;
    }

    /** The slot's last access: the one recorded when this view was returned, or a later one. */
    @Override
    public long lastAccessedAt() {
      return slot.lastAccess();
    }

    @Override
    public long idleTimeout() {
      return idleTimeout;
    }

    @Override
    public long absoluteDeadline() {
      return absoluteDeadline;
    }

    @Override
    public ClientInfo client() {
      return client;
    }

    @Override
    public Map<String, Object> attributes() {
      return attributes;
    }

    @Override
    public SessionRecord toRecord() {
      return slot.record(this, slot.lastAccess(), null);
    }

    /** Never prints the token hash. */
    @Override
    public String toString() {
      return "SessionView[id=" + id() + ", " + authentication + "]";
    }

    /** See {@link SessionRecord#resolvesBy}. */
    boolean resolvesBy(TokenHash hash, long nowMillis) {
      return isCurrent(hash) || (previous != null && previous.hash().equals(hash)
          && previous.resolvesAt(nowMillis));
    }

    @Override
    public String principal() {
      return authentication == null ? null : authentication.principal();
    }

    /** See {@link Lifetime#expiresAt()}. */
    long expiresAt(long lastAccessed) {
      return Math.min(Lifetime.saturatedAdd(lastAccessed, idleTimeout), absoluteDeadline);
    }
  }
}
