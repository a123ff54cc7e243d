// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.jdbc;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;

/**
 * The JNDI provider of the tests (named in {@code jndi.properties}): a flat map of names to
 * objects, standing in for a servlet container's {@code java:comp/env}.
 */
public final class TestNaming implements InitialContextFactory {

  /** What the tests bound. */
  static final Map<String, Object> BINDINGS = new ConcurrentHashMap<>();

  @Override
  public Context getInitialContext(Hashtable<?, ?> environment) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "lookup": {
              String name = String.valueOf(args[0]);
              Object bound = BINDINGS.get(name);
              if (bound == null) {
                throw new NameNotFoundException(name);
              }
              return bound;
            }
            case "close":
              return null;
            case "getEnvironment":
              return new Hashtable<>(environment);
            default:
              throw new OperationNotSupportedException(method.getName());
          }
        });
  }
}
