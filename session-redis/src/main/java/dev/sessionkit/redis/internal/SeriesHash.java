package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.TokenHash;

/**
 * Turns a {@link RememberMeSeries} into the fields of its Redis hash and back.
 *
 * <pre>
 * s   selector               pvh previous validator hash (optional)   c   created
 * p   principal              pvu end of its grace window              e   expires
 * vh  validator hash         lu  last used
 * </pre>
 *
 * <p>Only SHA-256 hashes of validators are stored (base64url), never a validator.
 */
final class SeriesHash {

  private SeriesHash() {}

  static Fields.Pairs all(RememberMeSeries s) {
    return new Fields.Pairs().put("s", s.selector()).put("p", s.principal())
        .put("vh", s.validatorHash().toBase64Url())
        .put("pvh", s.previousValidatorHash() == null ? null
            : s.previousValidatorHash().toBase64Url())
        .put("pvu", s.previousValidUntil()).put("c", s.createdAt()).put("e", s.expiresAt())
        .put("lu", s.lastUsedAt());
  }

  /**
   * Reads a series back.
   *
   * @throws CorruptEntryException if a field is missing or malformed
   */
  static RememberMeSeries read(Fields f) {
    String previous = f.text("pvh");
    try {
      return new RememberMeSeries(f.required("s"), f.required("p"),
          TokenHash.fromBase64Url(f.required("vh")),
          previous == null ? null : TokenHash.fromBase64Url(previous), f.number("pvu"),
          f.number("c"), f.number("e"), f.number("lu"));
    } catch (IllegalArgumentException e) {
      throw new CorruptEntryException("the stored fields do not form a remember-me series");
    }
  }
}
