// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A shop's cart as JSP pages keep it: a session-scoped bean ({@code <jsp:useBean
 * scope="session">}) whose property setter changes it in place ({@code <jsp:setProperty
 * property="add">}), never set again with {@code setAttribute}.
 */
public class CartBean implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> items = new ArrayList<>();

  /** Adds an item (the {@code add} property, write-only). */
  public void setAdd(String item) {
    if (item != null && !item.isEmpty()) {
      items.add(item);
    }
  }

  /** Returns the items, comma-separated. */
  public String getItems() {
    return String.join(",", items);
  }
}
