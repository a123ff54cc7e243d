// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.memory.InMemorySessionStore;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.RememberMeSeries;
import dev.sessionkit.spi.RememberMeStore;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import dev.sessionkit.spi.TokenHash;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a store sees (OWASP ASVS 7.2.3, 11.2.4; Tomcat CVE-2020-9484, Jetty CVE-2018-12538): a spy
 * between the manager and the in-memory store records every argument of every call. Keys are only
 * SHA-256 hashes of the secrets; no token, selector or validator appears in any argument; a
 * malformed or traversal-like token never reaches a store at all.
 */
class StoreKeysTest {

  private final List<Object> arguments = new CopyOnWriteArrayList<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private TestClock clock;
  private SessionManager manager;

  @BeforeEach
  void setUp() {
    InMemorySessionStore memory = InMemorySessionStore.create();
    clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    // the spies: proxies of the SPI interfaces that record every argument, then forward
    manager = SessionManager.builder()
        .store(spy(SessionStore.class, memory))
        .rememberMeStore(spy(RememberMeStore.class, memory))
        .clock(clock).build();
  }

  @SuppressWarnings("unchecked")
  private <T> T spy(Class<T> spi, T target) {
    InvocationHandler handler = (proxy, method, args) -> {
      calls.add(method.getName());
      Object[] seen = args == null ? new Object[0] : args;
      if (method.getName().equals("findAndTouch")) {
        // the per-request call takes the token hash as four words: check them as the hash
        arguments.add(TokenHash.ofWords((long) args[0], (long) args[1], (long) args[2],
            (long) args[3]));
        seen = Arrays.copyOfRange(args, 4, args.length);
      }
      for (Object arg : seen) {
        if (arg != null) { // routingTag(null) for an anonymous session
          arguments.add(arg);
        }
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (T) Proxy.newProxyInstance(spi.getClassLoader(), new Class<?>[] {spi}, handler);
  }

  @Test
  void aStoreSeesOnlyHashesOfTokensSelectorsAndValidators() {
    List<String> secrets = new ArrayList<>();
    IssuedSession visit = manager.startAnonymous(ClientInfo.of("203.0.113.5", "Firefox"));
    secrets.add(visit.token());
    visit.session().putAttribute("cart", "apple");
    IssuedSession login = manager.authenticate(visit.token(), "alice", ClientInfo.NONE, true);
    secrets.add(login.token());
    String rememberMe = login.rememberMe().orElseThrow().value();
    secrets.add(rememberMe);
    IssuedSession renewed = manager.renew(login.token()).orElseThrow();
    secrets.add(renewed.token());
    clock.advance(Duration.ofMinutes(1));
    IssuedSession resumed = manager.resumeRememberMe(rememberMe, ClientInfo.NONE).issued()
        .orElseThrow();
    secrets.add(resumed.token());
    secrets.add(resumed.rememberMe().orElseThrow().value());
    IssuedSession changed = manager.credentialsChanged(manager.resolve(resumed.token())
        .orElseThrow());
    secrets.add(changed.token());
    secrets.add(changed.rememberMe().orElseThrow().value());
    manager.logoutOthers(changed.session());
    manager.forgetRememberMe(rememberMe);
    manager.logout(changed.token());
    manager.logoutAll("alice");

    List<String> parts = new ArrayList<>();
    for (String secret : secrets) {
      parts.add(secret);
      int dot = secret.indexOf('.');
      if (dot > 0) {
        parts.add(secret.substring(0, dot)); // the selector
        parts.add(secret.substring(dot + 1)); // the validator
      }
    }
    List<TokenHash> allowedHashes = parts.stream().filter(p -> p.indexOf('.') < 0)
        .map(Tokens::hash).toList();
    assertThat(calls).contains("create", "rotate", "createSeries", "replaceSeries",
        "revokePrincipal", "findAndTouch", "findSeries");
    for (Object argument : arguments) {
      for (TokenHash hash : hashesIn(argument)) {
        assertThat(allowedHashes).as("every key is the SHA-256 of an issued secret")
            .contains(hash);
      }
      String text = describe(argument);
      for (String part : parts) {
        assertThat(text).as("an argument of the store").doesNotContain(part);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd",
      "%2e%2e%2f%2e%2e%2f", "a\u0000b", "\u0000", "....//....//", "/etc/passwd",
      "C:\\Windows\\win.ini", "../AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/.", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%00",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u0000", "AAAAAAAAAAAAAAA%2.AAAAAAAAAAAAAAAAAAAA",
      "abcdefghijklmnop.../../../../../../../../../../../../../../../x"})
  void aTraversalLikeTokenReachesNoStore(String hostile) {
    manager.resolve(hostile);
    manager.renew(hostile);
    manager.logout(hostile);
    manager.forgetRememberMe(hostile);
    manager.resumeRememberMe(hostile, ClientInfo.NONE);
    assertThat(calls).as("store calls for %s", hostile).isEmpty();

    manager.authenticate(hostile, "alice", ClientInfo.NONE, false);
    assertThat(calls).as("a login from it looks nothing up by it")
        .doesNotContain("findByTokenHash", "findByTokenHashAndTouch", "findAndTouch",
            "findSeries");
  }

  private static List<TokenHash> hashesIn(Object argument) {
    List<TokenHash> hashes = new ArrayList<>();
    if (argument instanceof TokenHash h) {
      hashes.add(h);
    } else if (argument instanceof SessionRecord r) {
      hashes.add(r.tokenHash());
      if (r.previousToken() != null) {
        hashes.add(r.previousToken().hash());
      }
      if (r.rememberMeSeries() != null) {
        hashes.add(r.rememberMeSeries());
      }
    } else if (argument instanceof RememberMeSeries s) {
      hashes.add(s.selectorHash());
      hashes.add(s.validatorHash());
      if (s.previousValidatorHash() != null) {
        hashes.add(s.previousValidatorHash());
      }
    } else if (argument instanceof Set<?> set) {
      set.forEach(e -> hashes.addAll(hashesIn(e)));
    }
    return hashes;
  }

  /** Every string a store could keep or log from an argument. */
  private static String describe(Object argument) {
    if (argument instanceof SessionRecord r) {
      return r.id() + " " + r.principal() + " " + r.client() + " " + r.attributes() + " " + r;
    }
    if (argument instanceof RememberMeSeries s) {
      return s.principal() + " " + s.latestSessionId() + " " + s;
    }
    if (argument instanceof Map<?, ?> m) {
      return m.toString();
    }
    return String.valueOf(argument);
  }
}
