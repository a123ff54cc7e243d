// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.redis.internal;

import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.TokenHash;

/**
 * Turns a {@link RememberMeSeries} into the fields of its Redis hash and back. The selector hash is
 * the key ({@code {root}r:{selectorHash}}), not a field.
 *
 * <pre>
 * p   principal                         rc  last rotation confirmed: 1|0
 * vh  validator hash                    c   created
 * pvh previous validator hash (opt.)    e   expires
 * pvu end of its grace period           lu  last used
 * ls  latest session id (optional)      g   generation
 * </pre>
 *
 * <p>Only SHA-256 hashes of selectors and validators are stored (base64url), never a selector or
 * a validator. Times are epoch milliseconds in decimal.
 */
final class SeriesHash {

  private SeriesHash() {}

  static Fields.Pairs all(RememberMeSeries s) {
    return new Fields.Pairs().put("p", s.principal())
        .put("vh", s.validatorHash().toBase64Url())
        .put("pvh", s.previousValidatorHash() == null ? null
            : s.previousValidatorHash().toBase64Url())
        .put("pvu", s.previousValidUntil())
        .put("rc", s.rotationConfirmed() ? "1" : "0")
        .put("c", s.createdAt()).put("e", s.expiresAt()).put("lu", s.lastUsedAt())
        .put("ls", s.latestSessionId())
        .put("g", s.generation());
  }

  /**
   * Reads back the series stored under {@code selectorHash}.
   *
   * @throws CorruptEntryException if a field is missing or malformed
   */
  static RememberMeSeries read(TokenHash selectorHash, Fields f) {
    String confirmed = f.required("rc");
    if (!confirmed.equals("1") && !confirmed.equals("0")) {
      throw new CorruptEntryException("field 'rc' is not 1 or 0");
    }
    return new RememberMeSeries(selectorHash, f.required("p"), f.hash("vh"),
        f.text("pvh") == null ? null : f.hash("pvh"), f.number("pvu"), confirmed.equals("1"),
        f.number("c"), f.number("e"), f.number("lu"), f.text("ls"), f.number("g"));
  }
}
