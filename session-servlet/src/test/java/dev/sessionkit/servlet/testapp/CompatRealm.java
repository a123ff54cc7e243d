// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import java.security.Principal;
import java.util.List;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.realm.RealmBase;

/**
 * The compatibility app's Tomcat realm (META-INF/context.xml): user tom, password secret, role
 * user.
 */
public class CompatRealm extends RealmBase {

  @Override
  protected String getPassword(String username) {
    return "tom".equals(username) ? "secret" : null;
  }

  @Override
  protected Principal getPrincipal(String username) {
    return "tom".equals(username) ? new GenericPrincipal(username, List.of("user")) : null;
  }
}
