// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

import java.util.Optional;
import java.util.Set;

/**
 * Where remember-me series live: one {@link RememberMeSeries} per device that asked to stay signed
 * in. The {@code SessionManager} decides what a presented token means (resume, parallel request,
 * theft); a store keeps series, atomically per series.
 *
 * <h2>Rules every implementation keeps</h2>
 *
 * <p>The contract suite {@code RememberMeStoreContract} in the {@code session-testing} artifact
 * checks each of them.
 *
 * <ul>
 *   <li>Series are keyed by {@link RememberMeSeries#selectorHash()}; a store never sees a selector
 *       or a validator.
 *   <li>{@link #replaceSeries} is a compare-and-set on the validator hash: of two racing uses of one
 *       validator exactly one wins. It never lowers the stored {@link RememberMeSeries#generation()
 *       generation}.
 *   <li>Cost follows the work: {@link #revokeSeries} costs O(series of that principal), a purge
 *       O(expired series).
 *   <li>Failures surface as {@link SessionStoreException}; a call that throws may or may not have
 *       been applied.
 * </ul>
 *
 * <p>Method names say "series" so that one class can implement this and {@link SessionStore}.
 * Times are epoch milliseconds from the manager's clock. Implementations must be safe for
 * concurrent use. {@link ForwardingRememberMeStore} is a base for wrappers.
 */
public interface RememberMeStore extends StoreResource {

  /**
   * Returns the {@linkplain RoutingTag routing tag} under which this store keeps new series of
   * {@code principal}, or {@link RoutingTag#NONE}, the default, for a store that does not route.
   * The manager appends it to the remember-me cookie's value and hands it back on the {@link
   * TokenHash#routingTag() selector hash} it parses from that cookie. Same rules as {@link
   * SessionStore#routingTag}.
   *
   * @param principal the principal (the user's id)
   * @return the {@linkplain RoutingTag routing tag} under which this store keeps new series of
   *     {@code principal}, or {@link RoutingTag#NONE}, the default, for a store that does not route
   */
  default String seriesRoutingTag(String principal) {
    return RoutingTag.NONE;
  }

  /**
   * Stores a new series.
   *
   * @param series the new series
   * @throws SessionStoreException if a series with the same selector hash exists or the store fails
   */
  void createSeries(RememberMeSeries series);

  /**
   * Returns the series keyed by {@code selectorHash}; it may have expired (the caller checks).
   *
   * @param selectorHash the SHA-256 hash of the remember-me selector
   * @return the series keyed by {@code selectorHash}
   */
  Optional<RememberMeSeries> findSeries(TokenHash selectorHash);

  /**
   * Atomically replaces the series with {@code replacement} (same selector hash and principal) if
   * its stored
   * validator hash is still {@code expectedValidatorHash}; the stored generation stays if it is
   * higher than the replacement's (a force logout that kept the series raised it meanwhile).
   *
   * @param replacement the record with the new values
   * @param expectedValidatorHash the validator hash the series must still have (compare-and-set)
   * @return {@code false} if the series is gone or its validator changed (nothing changed)
   */
  boolean replaceSeries(RememberMeSeries replacement, TokenHash expectedValidatorHash);

  /**
   * Deletes a series; returns whether this call removed it.
   *
   * @param selectorHash the SHA-256 hash of the remember-me selector
   * @return whether this call removed the series
   */
  boolean deleteSeries(TokenHash selectorHash);

  /**
   * Deletes the series only if {@code sessionId} is its {@link RememberMeSeries#latestSessionId()
   * latest session}: ending an older session of the device leaves the device signed in.
   *
   * @param selectorHash the SHA-256 hash of the remember-me selector
   * @param sessionId the public session id
   * @return whether this call removed it
   */
  boolean deleteSeriesIfLatest(TokenHash selectorHash, String sessionId);

  /**
   * Deletes every series of {@code principal} except those in {@code keepSelectorHashes}, and
   * raises the generation of the kept ones to at least {@code keptGeneration}.
   *
   * @param principal the principal (the user's id)
   * @param keepSelectorHashes selector hashes of the series to keep
   * @param keptGeneration the revocation generation to give the kept series
   * @return how many series this call deleted
   */
  int revokeSeries(String principal, Set<TokenHash> keepSelectorHashes, long keptGeneration);

  /**
   * Deletes every series in the store (after a breach, with {@link SessionStore#revokeAll}, which
   * runs first and raises every principal's generation, so that a series not yet deleted grants
   * nothing). Cost: O(series in the store).
   *
   * @return how many series this call deleted
   */
  long revokeAllSeries();

  /**
   * Removes up to {@code limit} series that have expired at {@code nowMillis}.
   *
   * @param nowMillis the current time, epoch milliseconds by the manager's clock
   * @param limit the most entries to handle in this call; at least 1
   * @return how many were removed; fewer than {@code limit} means no more are due
   */
  int purgeExpiredSeries(long nowMillis, int limit);
}
