package dev.sessionkit.testing;

import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionStore;

/**
 * One method of the store SPIs ({@link SessionStore} and {@link RememberMeStore}), as the test
 * wrappers {@link FaultInjectingStore} and {@link InterleavingStore} name it. {@code close()} is
 * not an operation: it always passes through.
 */
public enum Operation {
  /** {@link SessionStore#create}. */
  SESSION_CREATE,
  /** {@link SessionStore#findByTokenHash}. */
  SESSION_FIND_BY_TOKEN_HASH,
  /** {@link SessionStore#findByTokenHashAndTouch}, the per-request path. */
  SESSION_FIND_AND_TOUCH,
  /** {@link SessionStore#findById}. */
  SESSION_FIND_BY_ID,
  /** {@link SessionStore#touch}. */
  SESSION_TOUCH,
  /** {@link SessionStore#rotate}. */
  SESSION_ROTATE,
  /** {@link SessionStore#updateAttributes}. */
  SESSION_UPDATE_ATTRIBUTES,
  /** {@link SessionStore#delete}. */
  SESSION_DELETE,
  /** {@link SessionStore#findByPrincipal}. */
  SESSION_FIND_BY_PRINCIPAL,
  /** {@link SessionStore#principalGeneration}. */
  PRINCIPAL_GENERATION,
  /** {@link SessionStore#revokePrincipal}. */
  SESSION_REVOKE_PRINCIPAL,
  /** {@link SessionStore#purgeExpired}. */
  SESSION_PURGE,
  /** {@link RememberMeStore#createSeries}. */
  SERIES_CREATE,
  /** {@link RememberMeStore#findSeries}. */
  SERIES_FIND,
  /** {@link RememberMeStore#replaceSeries}. */
  SERIES_REPLACE,
  /** {@link RememberMeStore#deleteSeries}. */
  SERIES_DELETE,
  /** {@link RememberMeStore#deleteSeriesIfLatest}. */
  SERIES_DELETE_IF_LATEST,
  /** {@link RememberMeStore#revokeSeries}. */
  SERIES_REVOKE_PRINCIPAL,
  /** {@link RememberMeStore#purgeExpiredSeries}. */
  SERIES_PURGE
}
