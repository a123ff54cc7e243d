// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit;

import java.util.Objects;

/**
 * A typed name for a session attribute, so that reads need no casts:
 *
 * <pre>{@code
 * static final AttributeKey<Cart> CART = AttributeKey.of("cart", Cart.class);
 * Cart cart = session.get(CART).orElseGet(Cart::new);
 * }</pre>
 *
 * @param <T> the type of the attribute's value
 */
public final class AttributeKey<T> {

  /** Longest attribute name accepted. */
  public static final int MAX_NAME_LENGTH = 200;

  private final String name;
  private final Class<T> type;

  private AttributeKey(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Returns a key for the attribute {@code name} whose values are of {@code type}.
   *
   * @param <T> the type of the attribute's values
   * @param name the attribute's name
   * @param type the class of its values
   * @return a key for the attribute {@code name} whose values are of {@code type}
   */
  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    checkName(name);
    return new AttributeKey<>(name, Objects.requireNonNull(type, "type"));
  }

  /**
   * Returns the attribute's name.
   *
   * @return the attribute's name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the type of the attribute's value.
   *
   * @return the type of the attribute's value
   */
  public Class<T> type() {
    return type;
  }

  static String checkName(String name) {
    Objects.requireNonNull(name, "attribute name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "attribute name must have 1 to " + MAX_NAME_LENGTH + " characters: " + name.length());
    }
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeKey<?> that && name.equals(that.name) && type.equals(that.type);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return "AttributeKey[" + name + ": " + type.getName() + "]";
  }
}
