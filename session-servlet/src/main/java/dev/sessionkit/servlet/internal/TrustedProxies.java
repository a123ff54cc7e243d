// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;

/*
 * Who the client is behind reverse proxies.
 *
 * A proxy appends the address it received the request from to X-Forwarded-For (the default of
 * nginx's $proxy_add_x_forwarded_for, HAProxy's option forwardfor, cloud load balancers). So the
 * header reads, from left to right: whatever the client wrote, then one entry per proxy that
 * handled the request, the nearest last. Only the entries that trusted proxies appended can be
 * believed, and they are the rightmost ones: the walk starts at the right and skips entries that
 * are themselves trusted proxies; the first one that is not is the client (the address the
 * outermost trusted proxy saw). Everything to its left was written by the client or by proxies
 * nobody vouches for, and is never read. This is Tomcat's RemoteIpValve with internalProxies;
 * Jetty's ForwardedRequestCustomizer instead takes the leftmost entry, the one the client wrote.
 *
 * The walk starts only when the direct peer (getRemoteAddr()) is trusted: a client that reaches
 * the server directly cannot claim any address. An entry that is not an IP literal ("unknown", a
 * host name, an obfuscated RFC 7239 identifier, garbage) stops the walk, and the last trusted hop
 * is the client: the filter never guesses past something it cannot read. Nothing is resolved
 * (no DNS): the literals are parsed here, in ASCII only.
 *
 * Work per request is bounded whatever the header: at most MAX_ENTRIES entries (empty ones
 * included) and MAX_CHARS characters are examined, from the right; reaching either bound stops
 * the walk like garbage does. Of the header lines only the last MAX_ENTRIES are kept while the
 * container's enumeration is read (each line holds at least one entry).
 *
 * The address returned from the header is canonical (IPv4 dotted decimal; IPv6 as RFC 5952
 * writes it; IPv4-mapped IPv6 as IPv4), so it is short and safe to log; the peer's address is
 * returned as the container reports it.
 */

/**
 * The proxies whose {@code X-Forwarded-For} a filter believes (init-param {@value
 * FilterSecurity#TRUSTED_PROXIES}), and the client address of a request behind them. Immutable and
 * thread-safe.
 */
public final class TrustedProxies {

  /** The header read. */
  public static final String HEADER = "X-Forwarded-For";
  /** Most header entries examined, empty ones included. */
  static final int MAX_ENTRIES = 32;
  /** Most header characters examined. */
  static final int MAX_CHARS = 4096;
  /** Longest entry that can be an address: {@code [} IPv6 with a dotted tail {@code ]:65535}. */
  private static final int MAX_LITERAL = 64;

  private static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** Returns the empty list: the client address is always {@code getRemoteAddr()}. */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Parses a comma-separated list of IP addresses and CIDR ranges ({@code 127.0.0.1, 10.0.0.0/8,
   * ::1, fd00::/8}). IPv6 may be bracketed; an IPv4-mapped IPv6 address or range stands for its
   * IPv4 form.
   *
   * @param value the list
   * @return the trusted proxies
   * @throws IllegalArgumentException naming the first item that is not an IP literal (host names
   *     are refused: nothing is resolved), that has a prefix out of range, {@code /0}, or bits set
   *     beyond its prefix, or that is empty (or if there is none)
   */
  public static TrustedProxies parse(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("no address given; omit it to trust no proxy");
    }
    List<Range> ranges = new ArrayList<>();
    for (String raw : value.split(",", -1)) {
      String item = raw.strip();
      if (item.isEmpty()) {
        throw new IllegalArgumentException("an empty entry in " + CookieSettings.printable(value));
      }
      ranges.add(Range.parse(item));
    }
    return new TrustedProxies(ranges);
  }

  /** Returns whether no proxy is trusted. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * Returns the address of the client of {@code request}: its {@code getRemoteAddr()} unless
   * that is a trusted proxy, else what the {@code X-Forwarded-For} headers say (see the class
   * comment).
   */
  public String clientAddress(HttpServletRequest request) {
    String peer = request.getRemoteAddr();
    return ranges.isEmpty() ? peer : clientAddress(peer, request.getHeaders(HEADER));
  }

  /**
   * Returns the client address of a request from {@code peer} (the direct peer, as the container
   * reports it) that carries the {@code X-Forwarded-For} header lines {@code forwardedFor} (in
   * the order they came; {@code null}: none).
   */
  String clientAddress(String peer, Enumeration<String> forwardedFor) {
    byte[] hop = peer == null ? null : Literal.parse(peer, Literal.Form.PEER);
    if (hop == null || !trusted(hop) || forwardedFor == null) {
      return peer;
    }
    ArrayDeque<String> lines = new ArrayDeque<>();
    while (forwardedFor.hasMoreElements()) {
      String line = forwardedFor.nextElement();
      if (line != null) {
        lines.addLast(line);
        if (lines.size() > MAX_ENTRIES) {
          lines.removeFirst();
        }
      }
    }
    String client = peer;
    int entries = 0;
    int budget = MAX_CHARS;
    for (Iterator<String> it = lines.descendingIterator(); it.hasNext(); ) {
      String line = it.next();
      int end = line.length();
      while (end >= 0) {
        int start = end;
        while (start > 0 && line.charAt(start - 1) != ',') {
          start--;
          if (--budget < 0) {
            return client;
          }
        }
        if (++entries > MAX_ENTRIES || --budget < 0) {
          return client;
        }
        int from = start;
        int to = end;
        while (from < to && isSpace(line.charAt(from))) {
          from++;
        }
        while (to > from && isSpace(line.charAt(to - 1))) {
          to--;
        }
        if (from < to) {
          byte[] address = to - from > MAX_LITERAL ? null
              : Literal.parse(line.substring(from, to), Literal.Form.ENTRY);
          if (address == null) {
            return client; // not an address: the last trusted hop
          }
          client = Literal.format(address);
          if (!trusted(address)) {
            return client;
          }
        }
        end = start - 1;
      }
    }
    return client; // every entry was a trusted proxy: the leftmost is the client
  }

  private boolean trusted(byte[] address) {
    for (Range r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  @Override
  public String toString() {
    return ranges.toString();
  }

  /** An address and prefix length; the bits past the prefix are zero. */
  private record Range(byte[] network, int prefix) {

    static Range parse(String item) {
      int slash = item.indexOf('/');
      String address = slash < 0 ? item : item.substring(0, slash);
      byte[] bytes = address.length() > MAX_LITERAL ? null
          : Literal.parse(address, Literal.Form.CONFIG);
      if (bytes == null) {
        throw new IllegalArgumentException("not an IP address or CIDR range (host names are not"
            + " resolved): " + CookieSettings.printable(item));
      }
      int bits = bytes.length * 8;
      boolean mapped = bytes.length == 4 && address.indexOf(':') >= 0;
      if (slash < 0) {
        return new Range(bytes, bits);
      }
      String digits = item.substring(slash + 1);
      int prefix = -1;
      if (!digits.isEmpty() && digits.length() <= 3 && digits.chars().allMatch(Literal::digit)) {
        prefix = Integer.parseInt(digits);
      }
      int max = mapped ? 128 : bits;
      if (prefix < 1 || prefix > max) {
        throw new IllegalArgumentException("the prefix of " + CookieSettings.printable(item)
            + " must be 1 to " + max + " (/0 would trust every address)");
      }
      if (mapped) {
        if (prefix < 96) {
          throw new IllegalArgumentException(CookieSettings.printable(item) + " is wider than"
              + " the IPv4-mapped addresses; write IPv4 ranges as IPv4");
        }
        prefix -= 96;
        if (prefix == 0) {
          throw new IllegalArgumentException("the prefix of " + CookieSettings.printable(item)
              + " would trust every IPv4 address");
        }
      }
      byte[] network = mask(bytes, prefix);
      if (!Arrays.equals(network, bytes)) {
        throw new IllegalArgumentException(CookieSettings.printable(item) + " has bits set past"
            + " its prefix; write " + Literal.format(network) + "/" + prefix);
      }
      return new Range(network, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int m = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & m) == (network[whole] & 0xff);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
      byte[] out = bytes.clone();
      for (int i = 0; i < out.length; i++) {
        int keep = Math.max(0, Math.min(8, prefix - 8 * i));
        out[i] = (byte) (out[i] & ((0xff << (8 - keep)) & 0xff));
      }
      return out;
    }

    @Override
    public String toString() {
      return Literal.format(network) + "/" + prefix;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Range r && prefix == r.prefix
          && Arrays.equals(network, r.network);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(network) + prefix;
    }
  }

  /** IP literals in ASCII, parsed without any name lookup. */
  static final class Literal {

    private Literal() {}

    /** Where a literal comes from, which decides what may surround the address. */
    enum Form {
      /** {@code getRemoteAddr()}: an IPv6 zone ({@code %eth0}) is accepted and ignored. */
      PEER,
      /** An {@code X-Forwarded-For} entry: a port is accepted and ignored. */
      ENTRY,
      /** An item of the init-param: the address alone. */
      CONFIG
    }

    /**
     * Returns the 4 (IPv4, also for IPv4-mapped IPv6) or 16 bytes of {@code s}, or {@code null}
     * if it is not an IP literal. Accepted: {@code a.b.c.d} (ASCII decimal, no leading zeros);
     * IPv6 in any RFC 4291 text form (also with a dotted IPv4 tail), optionally in brackets;
     * {@link Form#ENTRY} also {@code a.b.c.d:port} and {@code [v6]:port}; {@link Form#PEER} an
     * IPv6 zone.
     */
    static byte[] parse(String s, Form form) {
      if (s.isEmpty()) {
        return null;
      }
      boolean zone = form == Form.PEER;
      if (s.charAt(0) == '[') {
        int close = s.indexOf(']');
        if (close < 0 || (close != s.length() - 1
            && (form != Form.ENTRY || !port(s, close + 1)))) {
          return null;
        }
        return ipv6(s.substring(1, close), zone);
      }
      int colon = s.indexOf(':');
      if (colon < 0) {
        return ipv4(s, 0, s.length());
      }
      if (colon == s.lastIndexOf(':') && s.lastIndexOf('.', colon) >= 0) {
        return form == Form.ENTRY && port(s, colon) ? ipv4(s, 0, colon) : null;
      }
      return ipv6(s, zone);
    }

    /** Whether {@code s} from {@code at} is {@code :} and a port number 1 to 65535. */
    private static boolean port(String s, int at) {
      int n = s.length() - at - 1;
      if (n < 1 || n > 5 || s.charAt(at) != ':') {
        return false;
      }
      int v = 0;
      for (int i = at + 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!digit(c)) {
          return false;
        }
        v = v * 10 + (c - '0');
      }
      return v >= 1 && v <= 65535;
    }

    private static byte[] ipv4(String s, int from, int to) {
      byte[] out = new byte[4];
      int part = 0;
      int i = from;
      while (part < 4) {
        int start = i;
        int v = 0;
        while (i < to && digit(s.charAt(i)) && i - start < 3) {
          v = v * 10 + (s.charAt(i) - '0');
          i++;
        }
        int len = i - start;
        if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
          return null;
        }
        out[part++] = (byte) v;
        if (part < 4) {
          if (i >= to || s.charAt(i) != '.') {
            return null;
          }
          i++;
        }
      }
      return i == to ? out : null;
    }

    private static byte[] ipv6(String text, boolean zoneAllowed) {
      String s = text;
      int zone = s.indexOf('%');
      if (zone >= 0) {
        if (!zoneAllowed || zone == s.length() - 1) {
          return null;
        }
        s = s.substring(0, zone);
      }
      int gap = s.indexOf("::");
      if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
        return null;
      }
      int[] head = words(gap >= 0 ? s.substring(0, gap) : s, gap < 0);
      int[] tail = gap >= 0 ? words(s.substring(gap + 2), true) : new int[0];
      if (head == null || tail == null) {
        return null;
      }
      int written = head.length + tail.length;
      if (gap < 0 ? written != 8 : written > 7) {
        return null;
      }
      byte[] out = new byte[16];
      for (int i = 0; i < head.length; i++) {
        out[2 * i] = (byte) (head[i] >> 8);
        out[2 * i + 1] = (byte) head[i];
      }
      for (int i = 0; i < tail.length; i++) {
        int w = 8 - tail.length + i;
        out[2 * w] = (byte) (tail[i] >> 8);
        out[2 * w + 1] = (byte) tail[i];
      }
      for (int i = 0; i < 10; i++) {
        if (out[i] != 0) {
          return out;
        }
      }
      if (out[10] == (byte) 0xff && out[11] == (byte) 0xff) {
        return Arrays.copyOfRange(out, 12, 16); // IPv4-mapped: the IPv4 client
      }
      return out;
    }

    /**
     * Returns the 16-bit words of a run of colon-separated groups ({@code ""}: none), a dotted
     * IPv4 tail counting as two if {@code last} allows it; {@code null} if malformed.
     */
    private static int[] words(String run, boolean last) {
      if (run.isEmpty()) {
        return new int[0];
      }
      List<Integer> out = new ArrayList<>();
      int start = 0;
      while (true) {
        int colon = run.indexOf(':', start);
        int end = colon < 0 ? run.length() : colon;
        if (colon < 0 && last && run.indexOf('.', start) >= 0) {
          byte[] v4 = ipv4(run, start, end);
          if (v4 == null) {
            return null;
          }
          out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
          out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
        } else {
          int len = end - start;
          if (len < 1 || len > 4 || out.size() >= 8) {
            return null;
          }
          int v = 0;
          for (int i = start; i < end; i++) {
            int d = hex(run.charAt(i));
            if (d < 0) {
              return null;
            }
            v = v * 16 + d;
          }
          out.add(v);
        }
        if (colon < 0) {
          break;
        }
        start = colon + 1;
      }
      return out.size() > 8 ? null : out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Returns IPv4 dotted decimal, or IPv6 as RFC 5952 writes it. */
    static String format(byte[] a) {
      if (a.length == 4) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
      }
      int[] w = new int[8];
      for (int i = 0; i < 8; i++) {
        w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
      }
      int bestStart = -1;
      int bestLen = 1;
      for (int i = 0; i < 8; ) {
        if (w[i] != 0) {
          i++;
          continue;
        }
        int j = i;
        while (j < 8 && w[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      }
      StringBuilder sb = new StringBuilder(39);
      for (int i = 0; i < 8; i++) {
        if (i == bestStart) {
          sb.append("::");
          i += bestLen - 1;
          continue;
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
          sb.append(':');
        }
        sb.append(Integer.toHexString(w[i]));
      }
      return sb.toString();
    }

    static boolean digit(int c) {
      return c >= '0' && c <= '9';
    }

    private static int hex(char c) {
      if (digit(c)) {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return -1;
    }
  }
}
