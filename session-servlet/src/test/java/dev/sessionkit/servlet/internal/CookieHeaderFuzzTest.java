// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile {@code Cookie} headers, 100 000 per run, parsed by {@link RequestCookies} and resolved by
 * a real manager on the in-memory store, as the filter does. The shapes are the ones that broke
 * other parsers: quoted values holding {@code ;} (Jetty CVE-2023-26049), nameless pairs such as
 * {@code =__Host-sid=x} (Werkzeug CVE-2023-23934), {@code $Version=1} (RFC 2109 modes), duplicates
 * and case variants of our names, control and non-ASCII characters, 8 KB runs of backslashes and
 * quotes (CPython CVE-2024-7592, quadratic parsing), traversal-like values (Tomcat CVE-2020-9484),
 * spread over one to three {@code Cookie} headers. Half the requests also carry the real cookies
 * as proper pairs somewhere among the hostile ones.
 *
 * <p>Properties: parsing and resolving never throw; no session comes from a value that was not
 * issued; the issued cookie is never shadowed by a value we did not issue (planted duplicates of
 * our exact name, at most three, are tried after or before it and the issued one still wins; near
 * misses are never ours); remember-me resumes only from the issued value.
 *
 * <p>Generation is plain Java from jqwik's random source (no combinator tree, no shrinking), so the
 * 100 000 headers take seconds; a failure prints jqwik's seed to reproduce it.
 */
class CookieHeaderFuzzTest {

  static final String SID = "__Host-sid";
  static final String REM = "__Host-remember";
  static final int HEADERS_PER_RUN = 100_000;

  private static final String TOKEN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final String[] NAME_VARIANTS = {SID, SID.toLowerCase(), SID.toUpperCase(),
      " " + SID, "\"" + SID, "$" + SID, "=" + SID, SID.substring(1), SID + "x", "__Secure-sid",
      "__host-sid", "__HOST-sid", REM, REM.toLowerCase(), "=" + REM, "sid", "JSESSIONID", "a",
      "$Version", "$Path", "$Domain", ""};
  private static final String[] ODD_VALUES = {"../../etc/passwd", "..%2f..%2fx", "%2e%2e%2f",
      "%00", "\u0000", "null", "undefined", "deleted", "\"\"", "a b", "a,b", "\\\"", "=",
      "x\"; " + SID + "=", "1", "$Version=1"};

  static SessionManager manager;
  static String issuedToken;
  static String issuedRememberMe;
  static String issuedSessionId;

  @BeforeContainer
  static void issueTheRealCookies() {
    manager = SessionManager.builder().store(InMemorySessionStore.create()).build();
    IssuedSession login = manager.authenticate("alice", ClientInfo.NONE, true);
    issuedToken = login.token();
    issuedRememberMe = login.rememberMe().orElseThrow().value();
    issuedSessionId = login.session().id();
  }

  /** One request's Cookie headers, and whether the real pairs are among them. */
  record Request(List<String> headers, boolean withRealSession, boolean withRealRememberMe) {
    @Override
    public String toString() {
      return "Request[" + headers.size() + " headers, real session=" + withRealSession
          + ", real remember-me=" + withRealRememberMe + "]";
    }
  }

  @Property(tries = HEADERS_PER_RUN, shrinking = ShrinkingMode.OFF)
  void hostileCookieHeadersNeverThrowNeverGrantAndNeverShadowTheIssuedCookie(
      @ForAll("requests") Request request) {
    RequestCookies cookies = RequestCookies.parse(Collections.enumeration(request.headers()),
        SID, REM);

    Optional<Session> found = Optional.empty();
    for (String value : cookies.sessionValues()) {
      found = manager.resolve(value); // as the filter does: the first that resolves wins
      if (found.isPresent()) {
        assertThat(value).as("a session only from the issued token").isEqualTo(issuedToken);
        break;
      }
    }
    if (request.withRealSession()) {
      assertThat(found).as("the issued cookie is never shadowed").isPresent();
      assertThat(found.get().id()).isEqualTo(issuedSessionId);
    } else {
      assertThat(found).isEmpty();
    }
    for (String value : cookies.rememberMeValues()) {
      if (!value.equals(issuedRememberMe)) {
        assertThat(value.length() != issuedRememberMe.length()
            || !value.substring(0, 16).equals(issuedRememberMe.substring(0, 16)))
            .as("the generator never forges the issued selector (that would be a theft alarm)")
            .isTrue();
        RememberMeResult result = manager.resumeRememberMe(value, ClientInfo.NONE);
        assertThat(result.issued()).as("no resume from a value we did not issue").isEmpty();
      }
    }
    if (request.withRealRememberMe()) {
      assertThat(cookies.rememberMeValues()).as("never shadowed").contains(issuedRememberMe);
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    return Arbitraries.randomValue(CookieHeaderFuzzTest::request);
  }

  static Request request(Random random) {
    boolean realSession = random.nextBoolean();
    boolean realRememberMe = random.nextInt(4) == 0;
    List<String> segments = new ArrayList<>();
    int plantedSessions = 0;
    int plantedRememberMes = 0;
    int pieces = random.nextInt(9);
    for (int i = 0; i < pieces; i++) {
      String piece = piece(random);
      // The parser keeps at most four values of each of our names; keep room for the real one.
      // (Only a script on our own host can set __Host- cookies, so more duplicates than that are
      // not an attack the prefix leaves open.)
      String pair = piece.stripLeading(); // the parser trims whitespace around a pair
      if (pair.startsWith(SID + "=") && ++plantedSessions > 3
          || pair.startsWith(REM + "=") && ++plantedRememberMes > 3) {
        continue;
      }
      segments.add(piece);
    }
    if (realSession) {
      segments.add(random.nextInt(segments.size() + 1), SID + "=" + issuedToken);
    }
    if (realRememberMe) {
      segments.add(random.nextInt(segments.size() + 1), REM + "=" + issuedRememberMe);
    }
    return new Request(headers(random, segments), realSession, realRememberMe);
  }

  /**
   * Splits the ;-separated segments over one to three headers. A hostile segment may hold
   * anything (commas, quotes, spaces) except a {@code ;}, which would split it.
   */
  private static List<String> headers(Random random, List<String> segments) {
    int count = 1 + random.nextInt(3);
    List<StringBuilder> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      headers.add(new StringBuilder());
    }
    for (String segment : segments) {
      StringBuilder h = headers.get(random.nextInt(count));
      if (h.length() > 0) {
        h.append(random.nextBoolean() ? "; " : ";");
      }
      h.append(segment);
    }
    List<String> out = new ArrayList<>(count);
    for (StringBuilder h : headers) {
      out.add(h.toString());
    }
    return out;
  }

  private static String piece(Random random) {
    switch (random.nextInt(10)) {
      case 0:
        return SID + "=" + bogusToken(random); // a planted duplicate of our exact name
      case 1:
        return NAME_VARIANTS[random.nextInt(NAME_VARIANTS.length)] + "=" + value(random);
      case 2:
        return "x=\"" + bogusToken(random) + (random.nextBoolean() ? "" : "\""); // open quote
      case 3:
        return "=" + SID + "=" + bogusToken(random); // nameless
      case 4:
        return "$Version=1" + (random.nextBoolean() ? ", " + SID + "=" + bogusToken(random) : "");
      case 5:
        return run(random); // 8 KB of backslashes and quotes
      case 6:
        return REM + "=" + bogusToken(random).substring(0, 16) + "." + bogusToken(random);
      case 7:
        return noise(random);
      case 8:
        return NAME_VARIANTS[random.nextInt(NAME_VARIANTS.length)] + "=\"" + value(random) + "\"";
      default:
        return "a" + random.nextInt(100) + "=" + noise(random);
    }
  }

  private static String value(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> bogusToken(random);
      case 1 -> ODD_VALUES[random.nextInt(ODD_VALUES.length)];
      case 2 -> noise(random);
      default -> bogusToken(random).substring(0, 1 + random.nextInt(42));
    };
  }

  /** 43 characters of the token alphabet: well-formed, never issued. */
  private static String bogusToken(Random random) {
    char[] c = new char[43];
    for (int i = 0; i < c.length; i++) {
      c[i] = TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length()));
    }
    return new String(c);
  }

  /** Up to 60 characters of anything but {@code ;}: controls, DEL, Latin-1, BMP, quotes. */
  private static String noise(Random random) {
    int n = random.nextInt(61);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = switch (random.nextInt(6)) {
        case 0 -> (char) random.nextInt(0x20);
        case 1 -> (char) (0x7f + random.nextInt(0x81));
        case 2 -> (char) (0x100 + random.nextInt(0xd700));
        case 3 -> "\"\\,= \t$".charAt(random.nextInt(7));
        default -> (char) (0x20 + random.nextInt(0x5f));
      };
      sb.append(c == ';' ? ',' : c);
    }
    return sb.toString();
  }

  private static String run(Random random) {
    String unit = switch (random.nextInt(3)) {
      case 0 -> "\\\"";
      case 1 -> "\\";
      default -> "\"";
    };
    return SID + "=" + unit.repeat(8192 / unit.length());
  }
}
