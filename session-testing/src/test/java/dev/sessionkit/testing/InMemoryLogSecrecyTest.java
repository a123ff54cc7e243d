// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.testing;

import java.util.Map;

/** No secret in any log line at TRACE, on the in-memory store. */
class InMemoryLogSecrecyTest extends LogSecrecyContract {

  @Override
  protected Map<String, String> storeSettings() {
    return Map.of("store", "memory");
  }
}
