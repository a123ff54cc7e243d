// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A serializable class whose {@code readObject} leaves a trace: the stand-in for a gadget class
 * that hostile bytes in a database would name. It must never be deserialized unless allowed.
 */
public final class Gadget implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Set when any instance is deserialized, that is when the class's code runs. */
  static volatile boolean ran;

  final String payload;

  Gadget(String payload) {
    this.payload = payload;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    ran = true;
    in.defaultReadObject();
  }
}
