// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.servlet.testapp;

import dev.sessionkit.SessionManager;
import dev.sessionkit.SessionManagerCustomizer;
import dev.sessionkit.spi.Stores;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A customizer named by the manager-customizer init-param: records the stores it wraps. */
public class WrappingCustomizer implements SessionManagerCustomizer {

  /** Every pair of stores a manager built with this customizer was given. */
  public static final List<Stores> WRAPPED = new CopyOnWriteArrayList<>();

  @Override
  public void customize(SessionManager.Builder builder) {
    builder.wrapStores(stores -> {
      WRAPPED.add(stores);
      return stores;
    });
  }
}
