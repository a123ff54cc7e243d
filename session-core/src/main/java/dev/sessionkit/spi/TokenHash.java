// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Base64;
import java.util.Objects;

/**
 * The SHA-256 hash of a session token: the only key under which a {@link SessionStore} ever sees a
 * session.
 *
 * <p>A leaked store cannot be replayed, because the token cannot be recovered from its hash. The
 * 32 bytes are held as four {@code long}s so that the value is compact and cheap to compare as a
 * map key. {@link #toString()} never prints the hash; stores use {@link #toBase64Url()} or {@link
 * #toBytes()} as their key. A hash may carry a {@linkplain #routingTag() routing tag} for stores
 * that shard their records; equality and ordering ignore it.
 */
public final class TokenHash implements Comparable<TokenHash> {

  /** Number of bytes in a hash (SHA-256). */
  public static final int LENGTH = 32;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;
  private final String routingTag;

  private TokenHash(long w0, long w1, long w2, long w3, String routingTag) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
    this.routingTag = routingTag;
  }

  /**
   * Returns the hash held in the first 32 bytes of {@code digest} starting at {@code offset}.
   *
   * @param digest a SHA-256 digest
   * @param offset where the digest starts in {@code digest}
   * @return the hash held in the first 32 bytes of {@code digest} starting at {@code offset}
   */
  public static TokenHash of(byte[] digest, int offset) {
    Objects.requireNonNull(digest, "digest");
    if (offset < 0 || digest.length - offset < LENGTH) {
      throw new IllegalArgumentException("a token hash needs " + LENGTH + " bytes");
    }
    return new TokenHash(
        word(digest, offset), word(digest, offset + 8), word(digest, offset + 16),
        word(digest, offset + 24), RoutingTag.NONE);
  }

  /**
   * Returns the hash whose 32 bytes are {@code digest}.
   *
   * @param digest a SHA-256 digest
   * @return the hash whose 32 bytes are {@code digest}
   */
  public static TokenHash of(byte[] digest) {
    Objects.requireNonNull(digest, "digest");
    if (digest.length != LENGTH) {
      throw new IllegalArgumentException(
          "a token hash has " + LENGTH + " bytes, not " + digest.length);
    }
    return of(digest, 0);
  }

  /**
   * Returns the hash whose 32 bytes are the four big-endian words {@code w0} to {@code w3}: the
   * inverse of {@link #word(int)}, for stores that keep the hash as numbers. It carries no
   * routing tag.
   *
   * @param w0 bytes 0 to 7
   * @param w1 bytes 8 to 15
   * @param w2 bytes 16 to 23
   * @param w3 bytes 24 to 31
   * @return the hash
   */
  public static TokenHash ofWords(long w0, long w1, long w2, long w3) {
    return new TokenHash(w0, w1, w2, w3, RoutingTag.NONE);
  }

  /**
   * Returns bytes {@code 8 * index} to {@code 8 * index + 7} of the hash as a big-endian {@code
   * long}, for stores that keep the hash as four numbers instead of an object.
   *
   * @param index 0 to 3
   * @return the word
   * @throws IndexOutOfBoundsException if {@code index} is not 0 to 3
   */
  public long word(int index) {
    return switch (index) {
      case 0 -> w0;
      case 1 -> w1;
      case 2 -> w2;
      case 3 -> w3;
      default -> throw new IndexOutOfBoundsException("a token hash has words 0 to 3: " + index);
    };
  }

  /**
   * Returns whether this hash is the one whose words are {@code w0} to {@code w3} (the routing
   * tag aside, as in {@link #equals}).
   *
   * @param w0 bytes 0 to 7
   * @param w1 bytes 8 to 15
   * @param w2 bytes 16 to 23
   * @param w3 bytes 24 to 31
   * @return whether the words are this hash's
   */
  public boolean hasWords(long w0, long w1, long w2, long w3) {
    return this.w0 == w0 && this.w1 == w1 && this.w2 == w2 && this.w3 == w3;
  }

  /**
   * Parses the form written by {@link #toBase64Url()}.
   *
   * @param text the 43-character base64url form
   * @return the hash
   * @throws IllegalArgumentException if {@code text} is not 43 base64url characters
   */
  public static TokenHash fromBase64Url(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() != 43) {
      throw new IllegalArgumentException("a token hash is 43 base64url characters");
    }
    return of(DECODER.decode(text));
  }

  /**
   * Returns where a routing store keeps the record of this hash ({@link RoutingTag}), as the
   * client presented it with its cookie; {@link RoutingTag#NONE} when there is none. Not part of
   * the hash's identity: {@link #equals} ignores it.
   *
   * @return where a routing store keeps the record of this hash ({@link RoutingTag}), as the
   *     client presented it with its cookie
   */
  public String routingTag() {
    return routingTag;
  }

  /**
   * Returns this hash with routing tag {@code tag} ({@link RoutingTag#NONE} for none).
   *
   * @param tag the routing tag, or {@link RoutingTag#NONE}
   * @return this hash with routing tag {@code tag} ({@link RoutingTag#NONE} for none)
   * @throws IllegalArgumentException if {@code tag} is not a routing tag
   */
  public TokenHash withRoutingTag(String tag) {
    RoutingTag.require(tag);
    return tag.equals(routingTag) ? this : new TokenHash(w0, w1, w2, w3, tag);
  }

  /**
   * Returns the 32 bytes of the hash (a new array each call).
   *
   * @return the 32 bytes of the hash (a new array each call)
   */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    put(out, 0, w0);
    put(out, 8, w1);
    put(out, 16, w2);
    put(out, 24, w3);
    return out;
  }

  /**
   * Returns the hash as 43 base64url characters without padding, the form stores use as a key.
   *
   * @return the hash as 43 base64url characters without padding, the form stores use as a key
   */
  public String toBase64Url() {
    return ENCODER.encodeToString(toBytes());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TokenHash that
        && w0 == that.w0 && w1 == that.w1 && w2 == that.w2 && w3 == that.w3;
  }

  @Override
  public int hashCode() {
    // The bytes are uniformly random already: any 32 of them make a good hash code.
    return (int) w0;
  }

  /**
   * Compares two hashes in time that does not depend on where they differ. Use it whenever the
   * hash is of a secret presented by a client (a remember-me validator).
   *
   * @param other the other hash
   * @return whether both hashes have the same bytes
   */
  public boolean constantTimeEquals(TokenHash other) {
    Objects.requireNonNull(other, "other");
    long diff = (w0 ^ other.w0) | (w1 ^ other.w1) | (w2 ^ other.w2) | (w3 ^ other.w3);
    return diff == 0;
  }

  /** Orders hashes by their bytes, unsigned (a stable order for queues and indexes). */
  @Override
  public int compareTo(TokenHash other) {
    int c = Long.compareUnsigned(w0, other.w0);
    if (c == 0) {
      c = Long.compareUnsigned(w1, other.w1);
    }
    if (c == 0) {
      c = Long.compareUnsigned(w2, other.w2);
    }
    return c != 0 ? c : Long.compareUnsigned(w3, other.w3);
  }

  /** Never prints the hash. */
  @Override
  public String toString() {
    return "TokenHash[redacted]";
  }

  private static long word(byte[] b, int i) {
    return ((b[i] & 0xFFL) << 56) | ((b[i + 1] & 0xFFL) << 48) | ((b[i + 2] & 0xFFL) << 40)
        | ((b[i + 3] & 0xFFL) << 32) | ((b[i + 4] & 0xFFL) << 24) | ((b[i + 5] & 0xFFL) << 16)
        | ((b[i + 6] & 0xFFL) << 8) | (b[i + 7] & 0xFFL);
  }

  private static void put(byte[] b, int i, long w) {
    for (int k = 7; k >= 0; k--) {
      b[i + k] = (byte) w;
      w >>>= 8;
    }
  }
}
