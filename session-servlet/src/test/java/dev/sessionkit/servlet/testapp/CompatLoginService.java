// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.testapp;

import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.util.security.Credential;

/**
 * The compatibility app's Jetty login service (WEB-INF/jetty-web.xml): user tom, password secret,
 * role user.
 */
public class CompatLoginService extends HashLoginService {

  public CompatLoginService() {
    super("sessionkit");
    UserStore users = new UserStore();
    users.addUser("tom", Credential.getCredential("secret"), new String[] {"user"});
    setUserStore(users);
  }
}
