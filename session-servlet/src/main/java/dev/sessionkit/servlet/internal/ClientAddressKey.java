// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The key guessing detection counts a client under: an IPv4 address as it is (also when written
 * IPv4-mapped, {@code ::ffff:192.0.2.1}), an IPv6 address reduced to its {@code /64} prefix (one host or customer commonly holds a whole {@code /64}, so
 * counting single IPv6 addresses would let it evade the count), anything else (a host name, if the
 * container resolves them) as it is. Never longer than 64 characters; never throws.
 */
final class ClientAddressKey {

  private static final int MAX_LENGTH = 64;

  private ClientAddressKey() {}

  /** Returns the key of {@code remoteAddr} ({@code "?"} when unknown). */
  static String of(String remoteAddr) {
    if (remoteAddr == null || remoteAddr.isEmpty()) {
      return "?";
    }
    String a = remoteAddr.length() > 2 * MAX_LENGTH ? remoteAddr.substring(0, 2 * MAX_LENGTH)
        : remoteAddr;
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    int lastColon = a.lastIndexOf(':');
    if (lastColon >= 0 && a.indexOf('.', lastColon) > lastColon) {
      return of(a.substring(lastColon + 1)); // IPv4-mapped (::ffff:192.0.2.1): the IPv4 client
    }
    if (lastColon >= 0) {
      String prefix = ipv6Prefix(a);
      if (prefix != null) {
        return prefix;
      }
    }
    return a.length() > MAX_LENGTH ? a.substring(0, MAX_LENGTH) : a;
  }

  /**
   * Returns {@code "x:x:x:x::/64"} (lower-case hexadecimal without leading zeros) for an IPv6
   * literal, optionally with a zone, or {@code null} if it is not one.
   */
  private static String ipv6Prefix(String address) {
    String a = address;
    int zone = a.indexOf('%');
    if (zone >= 0) {
      a = a.substring(0, zone);
    }
    int gap = a.indexOf("::");
    if (gap >= 0 && a.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<String> head = groups(gap >= 0 ? a.substring(0, gap) : a);
    List<String> tail = gap >= 0 ? groups(a.substring(gap + 2)) : List.of();
    if (head == null || tail == null) {
      return null;
    }
    int written = width(head) + width(tail);
    if (gap < 0 ? written != 8 : written > 7) {
      return null;
    }
    List<String> all = new ArrayList<>(head);
    for (int i = written; i < 8 && gap >= 0; i++) {
      all.add("0");
    }
    all.addAll(tail);
    int[] first = new int[4];
    for (int i = 0; i < 4; i++) {
      Integer v = group(all.get(i));
      if (v == null) {
        return null;
      }
      first[i] = v;
    }
    return String.format(Locale.ROOT, "%x:%x:%x:%x::/64", first[0], first[1], first[2], first[3]);
  }

  /** Splits a run of groups ("" is none); {@code null} if a group is empty. */
  private static List<String> groups(String run) {
    if (run.isEmpty()) {
      return List.of();
    }
    List<String> groups = List.of(run.split(":", -1));
    return groups.contains("") ? null : groups;
  }

  /** Returns how many 16-bit groups a run stands for (a dotted IPv4 tail stands for two). */
  private static int width(List<String> groups) {
    return groups.isEmpty() ? 0
        : groups.size() + (groups.get(groups.size() - 1).contains(".") ? 1 : 0);
  }

  private static Integer group(String g) {
    if (g.isEmpty() || g.length() > 4) {
      return null;
    }
    int v = 0;
    for (int i = 0; i < g.length(); i++) {
      int d = Character.digit(g.charAt(i), 16);
      if (d < 0) {
        return null;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
