package dev.sessionkit.internal;

import dev.sessionkit.TokenGenerator;
import dev.sessionkit.spi.TokenHash;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * <p>Validation runs before any hashing or store access: anything that is not exactly the
 * canonical encoding of the right number of bytes is rejected in one linear pass over at most 60
 * characters, whatever its length.
 */
public final class Tokens {

  /** Length of a session token or remember-me validator. */
  public static final int TOKEN_LENGTH = 43;
  /** Length of a session id or remember-me selector. */
  public static final int ID_LENGTH = 16;
  /** Length of a remember-me token. */
  public static final int REMEMBER_ME_LENGTH = ID_LENGTH + 1 + TOKEN_LENGTH;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);
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
  public static String newToken(TokenGenerator random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** Returns a new public id (session id or remember-me selector). */
  public static String newId(TokenGenerator random) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** Returns whether {@code token} is a canonical 43-character token. */
  public static boolean isToken(CharSequence token) {
    return token != null && token.length() == TOKEN_LENGTH && isCanonical(token, 0, TOKEN_LENGTH);
  }

  /** Returns whether {@code id} is a canonical 16-character id. */
  public static boolean isId(CharSequence id) {
    return id != null && id.length() == ID_LENGTH && isCanonical(id, 0, ID_LENGTH);
  }

  /** Returns whether {@code value} is a well-formed remember-me token. */
  public static boolean isRememberMeToken(CharSequence value) {
    return value != null && value.length() == REMEMBER_ME_LENGTH
        && value.charAt(ID_LENGTH) == '.'
        && isCanonical(value, 0, ID_LENGTH)
        && isCanonical(value, ID_LENGTH + 1, REMEMBER_ME_LENGTH);
  }

  /** Returns the SHA-256 of a token; the caller has checked it with {@link #isToken}. */
  public static TokenHash hash(String token) {
    return hash(token, 0, token.length());
  }

  /**
   * Returns the SHA-256 of the base64url text {@code value[from, to)} after decoding it. This is
   * the per-request path: it decodes into and hashes from per-thread buffers, so that the only
   * object it allocates is the returned hash.
   *
   * @throws IllegalArgumentException if the text is not base64url
   */
  public static TokenHash hash(String value, int from, int to) {
    return HASHER.get().hash(value, from, to);
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

  /** A thread's SHA-256 and its buffers for the decoded input and the digest. */
  private static final class Hasher {
    private final MessageDigest sha256 = sha256();
    private final byte[] raw = new byte[TOKEN_LENGTH * 6 / 8];
    private final byte[] digest = new byte[TokenHash.LENGTH];

    TokenHash hash(String value, int from, int to) {
      int length = (to - from) * 6 / 8;
      byte[] in = length <= raw.length ? raw : new byte[length];
      decode(value, from, to, in);
      sha256.update(in, 0, length);
      try {
        sha256.digest(digest, 0, digest.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 did not fill its 32 bytes", e);
      }
      return TokenHash.of(digest);
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
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
