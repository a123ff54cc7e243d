// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import dev.sessionkit.spi.RoutingTag;
import dev.sessionkit.spi.TokenHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Token formats: generation, strict validation and hashing.
 *
 * <ul>
 *   <li>session token: 32 random bytes, base64url without padding: 43 characters;
 *   <li>public id (session id, remember-me selector): 12 random bytes: 16 characters;
 *   <li>remember-me token: {@code selector.validator}, a 16-character selector, a dot, and a
 *       43-character validator.
 * </ul>
 *
 * <p>With a store that routes, each of them may end in a dot and a {@link RoutingTag} (a session
 * id {@code id.tag}, a session cookie {@code token.tag}, a remember-me cookie {@code
 * selector.validator.tag}); the tag is checked as strictly as the rest and handed to the store on
 * the {@link TokenHash}, never hashed with the secret.
 *
 * <p>Validation runs before any hashing or store access: anything that is not exactly the
 * canonical encoding of the right number of bytes is rejected in one linear pass over at most 60
 * characters, whatever its length.
 */
final class Tokens {

  /** Length of a session token or remember-me validator. */
  static final int TOKEN_LENGTH = 43;
  /** Length of a session id or remember-me selector. */
  static final int ID_LENGTH = 16;
  /** Length of a remember-me token. */
  static final int REMEMBER_ME_LENGTH = ID_LENGTH + 1 + TOKEN_LENGTH;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  /**
   * Per-thread SHA-256 and scratch buffer (decoded input, then digest). Only JDK types live in
   * these thread locals, so that a web application's redeploy leaves no class of ours pinned by a
   * container thread.
   */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Tokens::sha256);
  /** Where a digest starts in the per-thread buffer (after the decoded input). */
  static final int DIGEST_OFFSET = TokenHash.LENGTH;
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[2 * TokenHash.LENGTH]);
  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < BASE64URL.length(); i++) {
      VALUES[BASE64URL.charAt(i)] = (byte) i;
    }
  }

  private Tokens() {}

  /** Returns a new session token (or remember-me validator). */
  static String newToken(TokenGenerator random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** Returns a new public id (session id or remember-me selector). */
  static String newId(TokenGenerator random) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** Returns whether {@code token} is a canonical 43-character token. */
  static boolean isToken(CharSequence token) {
    return token != null && token.length() == TOKEN_LENGTH && isCanonical(token, 0, TOKEN_LENGTH);
  }

  /** Returns whether {@code id} is a canonical 16-character id. */
  static boolean isId(CharSequence id) {
    return id != null && id.length() == ID_LENGTH && isCanonical(id, 0, ID_LENGTH);
  }

  /** Returns whether {@code id} is a session id: a canonical id, alone or with a routing tag. */
  static boolean isSessionId(String id) {
    return id != null && isCanonicalWithTag(id, ID_LENGTH);
  }

  /**
   * Returns the hash of the session token in a session cookie value ({@code token} or {@code
   * token.tag}), carrying the tag; {@code null} if the value is not of that shape.
   */
  static TokenHash sessionTokenHash(String cookieValue) {
    if (cookieValue == null || !isCanonicalWithTag(cookieValue, TOKEN_LENGTH)) {
      return null;
    }
    return hash(cookieValue, 0, TOKEN_LENGTH).withRoutingTag(tagAfter(cookieValue, TOKEN_LENGTH));
  }

  /**
   * Hashes the session token in a session cookie value ({@code token} or {@code token.tag}) into
   * this thread's buffer and returns the buffer, whose bytes {@link #DIGEST_OFFSET} to {@code
   * DIGEST_OFFSET + 31} then hold the SHA-256 ({@link #digestWord} reads it), until the next hash
   * on this thread; {@code null} if the value is not of that shape. Allocates nothing: the
   * per-request path.
   */
  static byte[] sessionTokenDigest(String cookieValue) {
    if (cookieValue == null) {
      return null;
    }
    int size = cookieValue.length();
    if (size != TOKEN_LENGTH && !(size > TOKEN_LENGTH + 1
        && size <= TOKEN_LENGTH + 1 + RoutingTag.MAX_LENGTH
        && cookieValue.charAt(TOKEN_LENGTH) == RoutingTag.SEPARATOR
        && RoutingTag.isValid(cookieValue.substring(TOKEN_LENGTH + 1)))) {
      return null;
    }
    // the token's characters are checked as they are decoded: one pass, not two
    byte[] scratch = SCRATCH.get();
    if (!decodeCanonical(cookieValue, TOKEN_LENGTH, scratch)) {
      Arrays.fill(scratch, 0, TokenHash.LENGTH, (byte) 0); // what was decoded before the bad char
      return null;
    }
    return hashScratch(scratch, TokenHash.LENGTH);
  }

  /**
   * Decodes the first {@code length} characters of {@code s} into {@code out} if they are
   * canonical base64url (as {@link #isCanonical}: its alphabet only, spare bits zero); returns
   * false, with {@code out} partly written, if they are not.
   */
  private static boolean decodeCanonical(String s, int length, byte[] out) {
    int bits = 0;
    int buffer = 0;
    int o = 0;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      int v = c < 128 ? VALUES[c] : -1;
      if (v < 0) {
        return false;
      }
      buffer = (buffer << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (byte) (buffer >> bits);
      }
    }
    return (buffer & ((1 << bits) - 1)) == 0;
  }

  /** Returns word {@code index} (0 to 3, big-endian) of the digest in {@code buffer}. */
  static long digestWord(byte[] buffer, int index) {
    return (long) BIG_ENDIAN_LONGS.get(buffer, DIGEST_OFFSET + 8 * index);
  }

  /** Returns whether {@code value} is a well-formed remember-me token (with or without tag). */
  static boolean isRememberMeToken(String value) {
    return value != null && value.length() >= REMEMBER_ME_LENGTH
        && value.charAt(ID_LENGTH) == '.'
        && isCanonical(value, 0, ID_LENGTH)
        && isCanonicalWithTag(value.substring(ID_LENGTH + 1), TOKEN_LENGTH);
  }

  /** Returns the routing tag after the first {@code length} characters ({@code ""} if none). */
  static String tagAfter(String value, int length) {
    return value.length() == length ? RoutingTag.NONE : value.substring(length + 1);
  }

  /**
   * Whether {@code value} is a canonical base64url value of {@code length} characters, alone or
   * followed by a dot and a well-formed routing tag. One pass over at most 68 characters (token, dot, longest tag).
   */
  private static boolean isCanonicalWithTag(String value, int length) {
    int size = value.length();
    if (size == length) {
      return isCanonical(value, 0, length);
    }
    return size > length + 1 && size <= length + 1 + RoutingTag.MAX_LENGTH
        && value.charAt(length) == RoutingTag.SEPARATOR && isCanonical(value, 0, length)
        && RoutingTag.isValid(value.substring(length + 1));
  }

  /** Returns the SHA-256 of a token; the caller has checked it with {@link #isToken}. */
  static TokenHash hash(String token) {
    return hash(token, 0, token.length());
  }

  /**
   * Returns the SHA-256 of the base64url text {@code value[from, to)} after decoding it. It
   * decodes into and hashes from per-thread buffers, so that the only object it allocates is the
   * returned hash ({@link #sessionTokenDigest}, the per-request path, allocates none).
   *
   * @throws IllegalArgumentException if the text is not base64url
   */
  static TokenHash hash(String value, int from, int to) {
    return TokenHash.of(digest(value, from, to), DIGEST_OFFSET);
  }

  /**
   * Decodes the base64url text {@code value[from, to)} and hashes it into this thread's buffer,
   * which it returns: the digest is at {@link #DIGEST_OFFSET}.
   */
  private static byte[] digest(String value, int from, int to) {
    int length = (to - from) * 6 / 8;
    byte[] scratch = SCRATCH.get();
    byte[] in = length <= TokenHash.LENGTH ? scratch : new byte[length];
    try {
      decode(value, from, to, in);
    } catch (RuntimeException e) {
      Arrays.fill(in, 0, Math.min(length, in.length), (byte) 0);
      throw e;
    }
    if (in != scratch) {
      MessageDigest sha256 = SHA256.get();
      sha256.update(in, 0, length);
      Arrays.fill(in, (byte) 0);
      return finishDigest(sha256, scratch);
    }
    return hashScratch(scratch, length);
  }

  /**
   * Hashes the first {@code length} bytes of this thread's buffer into its digest part, then
   * zeroes those bytes: the decoded token (a secret) does not stay in the buffer, where a heap dump
   * would show the last token each thread handled, until the thread's next hash.
   */
  private static byte[] hashScratch(byte[] scratch, int length) {
    MessageDigest sha256 = SHA256.get();
    sha256.update(scratch, 0, length);
    finishDigest(sha256, scratch);
    Arrays.fill(scratch, 0, length, (byte) 0);
    return scratch;
  }

  private static byte[] finishDigest(MessageDigest sha256, byte[] scratch) {
    try {
      sha256.digest(scratch, DIGEST_OFFSET, TokenHash.LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 did not fill its 32 bytes", e);
    }
    return scratch;
  }

  private static boolean isCanonical(CharSequence s, int from, int to) {
    int last = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 128 || VALUES[c] < 0) {
        return false;
      }
      last = VALUES[c];
    }
    // The final character carries 2 (16-byte groups: 4) padding bits that must be zero, so that
    // every value has exactly one accepted spelling.
    int bytes = (to - from) * 6 / 8;
    int spareBits = (to - from) * 6 - bytes * 8;
    return (last & ((1 << spareBits) - 1)) == 0;
  }

  /** Decodes base64url without padding (its spare low bits are ignored) into {@code out}. */
  private static void decode(String s, int from, int to, byte[] out) {
    int bits = 0;
    int buffer = 0;
    int o = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int v = c < 128 ? VALUES[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("not base64url at index " + (i - from));
      }
      buffer = (buffer << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (byte) (buffer >> bits);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
