// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the credentials of a store location ({@code --store}) out of what the demo prints: the
 * user-info of a URL ({@code redis://:secret@host}, {@code jdbc:mariadb://user:secret@host/db})
 * and {@code password=} parameters ({@code ?user=u&password=secret}, {@code ;PASSWORD=secret}).
 * Every start-up error and option error passes through here; the secrets found in the location
 * are also removed wherever a driver's message repeats them in another form.
 */
final class Redaction {

  static final String MASK = "***";

  /** {@code scheme://user:password@} or {@code scheme://password@}: everything before the @. */
  private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)((?:password|passwd|pwd)\\s*=\\s*)([^&;\\s)]*)");

  private Redaction() {}

  /** Returns {@code text} without the credentials of {@code location} or any URL in it. */
  static String redact(String text, String location) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secretsIn(location)) {
      out = out.replace(secret, MASK);
    }
    return redactLocations(out);
  }

  /** Returns {@code text} with the user-info of URLs and {@code password=} values masked. */
  static String redactLocations(String text) {
    String out = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    return PASSWORD_PARAM.matcher(out).replaceAll("$1" + MASK);
  }

  /** The user-info and the password parameters of a location, as literal strings. */
  static List<String> secretsIn(String location) {
    List<String> secrets = new ArrayList<>();
    if (location == null) {
      return secrets;
    }
    Matcher userInfo = USER_INFO.matcher(location);
    while (userInfo.find()) {
      String info = userInfo.group().substring(userInfo.group(1).length(),
          userInfo.group().length() - 1);
      int colon = info.indexOf(':');
      addSecret(secrets, colon < 0 ? info : info.substring(colon + 1));
    }
    Matcher param = PASSWORD_PARAM.matcher(location);
    while (param.find()) {
      addSecret(secrets, param.group(2));
    }
    return secrets;
  }

  private static void addSecret(List<String> secrets, String secret) {
    if (secret.isEmpty()) {
      return;
    }
    secrets.add(secret);
    try {
      String decoded = URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8);
      if (!decoded.equals(secret)) {
        secrets.add(decoded); // a driver may print the password decoded
      }
    } catch (IllegalArgumentException e) {
      // not percent-encoded: the literal form is masked already
    }
  }
}
