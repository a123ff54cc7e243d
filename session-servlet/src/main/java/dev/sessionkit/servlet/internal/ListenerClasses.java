// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import dev.sessionkit.SessionListener;
import dev.sessionkit.SessionManagerCustomizer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Instantiates the listener classes that an init-param names: each a public class with a public
 * no-argument constructor that implements at least one of the accepted types. Any other class is
 * an {@link IllegalArgumentException} that names the init-param, the class and what is wrong.
 */
public final class ListenerClasses {

  private ListenerClasses() {}

  /**
   * Instantiates the {@link SessionListener}s that {@code param} names, for the manager.
   *
   * @throws IllegalArgumentException if a class is missing, is no {@link SessionListener}, or
   *     cannot be instantiated with a public no-argument constructor
   */
  public static List<SessionListener> sessionListeners(String param, List<String> classNames,
      ClassLoader loader) {
    return instances(param, classNames, loader, SessionListener.class);
  }

  /**
   * Instantiates the {@link SessionManagerCustomizer}s that {@code param} names.
   *
   * @throws IllegalArgumentException if a class is missing, is no {@link
   *     SessionManagerCustomizer}, or cannot be instantiated with a public no-argument constructor
   */
  public static List<SessionManagerCustomizer> customizers(String param, List<String> classNames,
      ClassLoader loader) {
    return instances(param, classNames, loader, SessionManagerCustomizer.class);
  }

  private static <T> List<T> instances(String param, List<String> classNames, ClassLoader loader,
      Class<T> type) {
    List<T> instances = new ArrayList<>();
    for (String name : classNames) {
      instances.add(type.cast(instantiate(param, name, loader, List.of(type))));
    }
    return List.copyOf(instances);
  }

  /**
   * Splits a comma-separated list of class names (blank entries are an error).
   *
   * @param param the init-param, for messages
   */
  static List<String> names(String param, String value) {
    List<String> names = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(param + " accepts a comma-separated list of class"
            + " names without empty entries: " + CookieSettings.printable(value));
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  /**
   * Returns a new instance of {@code className}, loaded by {@code loader}.
   *
   * @param param the init-param, for messages
   * @param accepted the types of which the class must implement at least one
   * @throws IllegalArgumentException if the class is missing, of none of the accepted types, not
   *     public, abstract, without a public no-argument constructor, or its constructor throws
   */
  static Object instantiate(String param, String className, ClassLoader loader,
      List<Class<?>> accepted) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(param + ": class " + className + " was not found by the"
          + " web application's class loader (" + e + ")", e);
    }
    if (accepted.stream().noneMatch(t -> t.isAssignableFrom(type))) {
      throw new IllegalArgumentException(param + ": class " + className + " implements none of "
          + accepted.stream().map(Class::getName).toList());
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException(param + ": class " + className
          + " must be public and not abstract");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(param + ": class " + className
          + " has no public no-argument constructor", e);
    }
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(param + ": the constructor of " + className + " threw "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(param + ": cannot instantiate " + className + " ("
          + e + ")", e);
    }
  }
}
