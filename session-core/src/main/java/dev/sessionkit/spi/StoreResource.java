// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.spi;

/**
 * What a store holds that must be released: connections, threads. The common parent of {@link
 * SessionStore} and {@link RememberMeStore}, so that one class can implement both with one {@link
 * #close()}.
 */
public interface StoreResource extends AutoCloseable {

  /**
   * Releases what the store holds. The default does nothing. A store created by a {@link
   * SessionStoreFactory} is closed by whoever created it; closing twice is harmless.
   */
  @Override
  default void close() {}
}
