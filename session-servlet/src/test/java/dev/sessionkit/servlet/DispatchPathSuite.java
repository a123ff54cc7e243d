// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.Session;
import dev.sessionkit.servlet.internal.StoreFailureResponse;
import dev.sessionkit.servlet.support.Browser;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.testapp.CompatEvents;
import dev.sessionkit.servlet.testapp.PathServlet;
import dev.sessionkit.servlet.testapp.RaceServlet;
import dev.sessionkit.servlet.testapp.TestBackends;
import dev.sessionkit.testing.FaultInjectingStore;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import dev.sessionkit.testing.InterleavingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every session change reaches the browser on every way a response can end: each change (a new
 * session, a login, a remember-me login, a renewal, a logout, a remember-me resume) on each ending
 * (return, flush, redirect, sendError, forward, include, an error page, an exception, async with
 * and without arguments, async dispatch, async timeout), on a real container with its default
 * settings, from src/test/webapp-dispatch. Subclasses supply the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DispatchPathSuite {

  static final String SID = ContainerSuite.SID;
  static final String REMEMBER = ContainerSuite.REMEMBER;
  static final String TOKEN = ContainerSuite.TOKEN;

  /** The ways a response can end, with the status each one answers. */
  static final List<Ending> ENDINGS = List.of(
      new Ending("return", 200), new Ending("flush", 200), new Ending("redirect", 302),
      new Ending("send-error", 409), new Ending("forward", 200), new Ending("forward-after", 200),
      new Ending("include", 200), new Ending("outer-reset", 200), new Ending("error-page", 418), new Ending("throw", 500),
      new Ending("throw-to-page", 500), new Ending("async", 200), new Ending("async-noarg", 200),
      new Ending("async-dispatch", 200), new Ending("async-redispatch", 200),
      new Ending("async-timeout", 200), new Ending("async-abandoned", 500));

  /** The session changes. */
  static final List<String> CHANGES =
      List.of("create", "login", "remember", "renew", "logout", "resume");

  record Ending(String path, int status) {
    @Override
    public String toString() {
      return path;
    }
  }

  private final AtomicInteger users = new AtomicInteger();
  private ServletContainer container;
  private Http http;
  private TestBackends backends;

  /** Returns a new, stopped container with its default settings. */
  abstract ServletContainer newContainer();

  @BeforeAll
  void startContainer() throws Exception {
    backends = TestBackends.install();
    container = newContainer();
    http = new Http(container.start(Path.of("src/test/webapp-dispatch")));
  }

  @AfterAll
  void stopContainer() {
    container.close();
    backends.raceInterleaving.close();
  }

  static Stream<Arguments> everyChangeOnEveryEnding() {
    List<Arguments> all = new ArrayList<>();
    for (Ending ending : ENDINGS) {
      for (String change : CHANGES) {
        all.add(Arguments.of(ending, change));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("everyChangeOnEveryEnding")
  void everySessionChangeReachesTheBrowser(Ending ending, String change) {
    String user = "u" + users.incrementAndGet();
    Browser b = new Browser(http, "PathBrowser/" + user);
    switch (change) {
      case "login", "remember" -> b.get("/app/path/return?change=create");
      case "renew", "logout" -> b.get("/app/do/login?user=" + user);
      case "resume" -> {
        b.get("/app/do/login?remember=true&user=" + user);
        b.cookie(SID, null); // the browser restarted: only the remember-me cookie is left
      }
      default -> { }
    }
    String oldSid = b.cookie(SID);
    String oldRemember = b.cookie(REMEMBER);
    Reply r = b.get("/app/path/" + ending.path() + "?change="
        + ("resume".equals(change) ? "none" : change) + "&user=" + user);

    String what = change + " on " + ending + ": " + r;
    assertThat(r.status()).as(what).isEqualTo(ending.status());
    assertThat(r.setCookies()).as("only our cookies, never the container's: " + what)
        .allMatch(h -> h.startsWith(SID + "=") || h.startsWith(REMEMBER + "="));
    r.setCookie(SID); // fails on two headers for one name
    r.setCookie(REMEMBER);
    switch (change) {
      case "create" -> {
        assertThat(r.setCookie(SID)).as(what).isPresent();
        assertThat(b.cookie(SID)).as(what).matches(TOKEN);
        assertThat(b.get("/app/do/get?name=flash").body()).as(what).isEqualTo("value=hello\n");
      }
      case "login", "remember", "renew", "resume" -> {
        assertThat(r.setCookie(SID)).as(what).isPresent();
        assertThat(b.cookie(SID)).as(what).matches(TOKEN).isNotEqualTo(oldSid);
        assertThat(b.get("/app/do/whoami").line("user")).as(what).isEqualTo(user);
        assertNotCacheable(r, what);
        if (!"renew".equals(change) && oldSid != null) {
          assertThat(http.get("/app/do/whoami", SID + "=" + oldSid).line("user"))
              .as("the old token is dead: " + what).isEqualTo("-");
        }
        if ("remember".equals(change) || "resume".equals(change)) {
          assertThat(b.cookie(REMEMBER)).as(what).isNotNull().isNotEqualTo(oldRemember);
          Reply resumed = http.get("/app/do/whoami", REMEMBER + "=" + b.cookie(REMEMBER));
          assertThat(resumed.line("user")).as("the delivered remember-me cookie works: " + what)
              .isEqualTo(user);
        }
      }
      case "logout" -> {
        assertThat(r.setCookie(SID)).as(what).contains(ContainerSuite.CLEARED_SID);
        assertThat(b.cookie(SID)).as(what).isNull();
        assertThat(http.get("/app/do/whoami", SID + "=" + oldSid).line("user")).as(what)
            .isEqualTo("-");
        assertNotCacheable(r, what);
      }
      default -> throw new AssertionError(change);
    }
  }

  /**
   * An async thread that commits the response before it changes the session gets a clear
   * IllegalStateException; the browser keeps a working session (a login that could not be
   * delivered does not end the one it has), and no cookie header is half-sent.
   */
  @ParameterizedTest
  @ValueSource(strings = {"create", "login", "remember", "renew"})
  void aChangeAfterTheAsyncResponseCommittedIsRefusedAndTheBrowserKeepsItsSession(String change) {
    String user = "late" + users.incrementAndGet();
    Browser b = new Browser(http, "LateBrowser/" + user);
    if (!"create".equals(change)) {
      b.get("/app/do/login?user=" + user);
    }
    String before = b.cookie(SID);
    Reply r = b.get("/app/path/async-committed?change=" + change + "&user=" + user);
    assertThat(r.body()).as(r.toString())
        .startsWith("committed\nrefused: Cannot ").contains("after the response has been committed");
    assertThat(r.setCookies()).isEmpty();
    assertThat(b.cookie(SID)).isEqualTo(before);
    if (before != null) {
      assertThat(b.get("/app/do/whoami").line("user")).isEqualTo(user);
    }
  }

  /**
   * Ordering: a login on one thread is parked in the store (old token already dead) while another
   * thread flushes through the response wrapper. The flush waits for the login, so the new cookie
   * goes out with the headers: the user is never left signed out.
   */
  @Test
  void aFlushThroughTheWrapperWaitsForALoginUnderWayOnAnotherThread() {
    String user = "racer" + users.incrementAndGet();
    Browser b = new Browser(http, "RaceBrowser/" + user);
    b.get("/race/setup?change=create");
    String anonymous = b.cookie(SID);
    Reply r = b.get("/race/change-while-committing?change=login&via=wrapper&user=" + user);
    assertThat(r.body()).as(r.toString()).contains("outcome=changed");
    assertThat(r.setCookie(SID)).as(r.toString()).isPresent();
    assertThat(b.cookie(SID)).isNotEqualTo(anonymous);
    assertThat(backends.raceManager.resolve(b.cookie(SID)).orElseThrow().principal()).contains(user);
    assertThat(backends.raceManager.resolve(anonymous)).isEmpty();
  }

  /**
   * Bounded stress: a login on one thread and a flush through the wrapper on another, released
   * together, 40 times. Whichever comes first, the browser is never signed out: either the login
   * went out with its cookie, or it was refused before it touched the store and the old token
   * still works.
   */
  @Test
  void aLoginAndAFlushRacingEachOtherNeverSignTheUserOut() {
    // No assertion on how often each side wins (that is timing): both outcomes are right.
    for (int i = 0; i < 40; i++) {
      String user = "stress" + users.incrementAndGet();
      Browser b = new Browser(http, "StressBrowser/" + user);
      b.get("/race/setup?change=create");
      String anonymous = b.cookie(SID);
      Reply r = b.get("/race/change-and-flush?change=login&user=" + user);
      if (r.body().contains("outcome=changed")) {
        assertThat(r.setCookie(SID)).as(r.toString()).isPresent();
        assertThat(backends.raceManager.resolve(b.cookie(SID)).orElseThrow().principal())
            .as(r.toString()).contains(user);
      } else {
        assertRefusedWithTheOldTokenAlive(r, b, anonymous);
      }
    }
  }

  /** Asserts that a login was refused before it touched the store: the old token still works. */
  private void assertRefusedWithTheOldTokenAlive(Reply r, Browser b, String oldToken) {
    assertThat(r.body()).as(r.toString())
        .contains("outcome=refused: Cannot log in after the response has been committed");
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertThat(b.cookie(SID)).isEqualTo(oldToken);
    assertThat(backends.raceManager.resolve(oldToken)).as("the old token still works")
        .isPresent();
  }

  /**
   * Ordering the other way round: a flush through the wrapper is already on its way to the
   * container (parked in an outer application filter's response wrapper) when a login starts on
   * another thread. The login waits for the flush and is refused before it touches the store, so
   * the browser keeps its session: never the old token dead and the new one lost.
   */
  @Test
  void aLoginStartedWhileAFlushIsOnItsWayToTheContainerNeverSignsTheUserOut() {
    String user = "inflight" + users.incrementAndGet();
    Browser b = new Browser(http, "RaceBrowser/" + user);
    b.get("/race/setup?change=create");
    String anonymous = b.cookie(SID);
    Reply r = b.get("/race/change-during-flush?change=login&user=" + user);
    assertRefusedWithTheOldTokenAlive(r, b, anonymous);
    assertThat(backends.raceManager.sessionsOf(user)).isEmpty();
  }

  /**
   * Two parallel logins of one browser from its anonymous session (a double-clicked sign-in): the
   * first is held in the store before its rotation while the second rotates the session. The
   * browser keeps the cookie of the response that arrives last (the first's), which must be a
   * signed-in token of the same session, cart included; the application never hears that the
   * session or its cart ended.
   */
  @Test
  void twoParallelLoginsOfOneBrowserKeepItsSessionAndItsCart() throws Exception {
    String user = "twin" + users.incrementAndGet();
    String login = "/race/setup?change=login&user=" + user;
    HeldRace race = holdFirstRotation("TwinBrowser/" + user, login, login);
    Session kept = backends.raceManager.resolve(race.first().cookieValue(SID)).orElseThrow();
    assertThat(kept.id()).isEqualTo(race.sessionId());
    assertThat(kept.principal()).contains(user);
    assertThat(kept.attributeNames()).contains("cart");
    assertThat(CompatEvents.of(race.sessionId())).as("events of the live session")
        .noneMatch(e -> e.startsWith("unbound cart") || e.startsWith("destroyed"));
  }

  /**
   * A login held in the store while a parallel request of the same browser logs out (another
   * tab): the login starts a fresh session, and the ended one's cart hears {@code valueUnbound}
   * once, from the logout that ended it, not a second time from the login that found it gone.
   */
  @Test
  void aLoginRacingALogoutOfTheSameSessionUnbindsItsCartOnce() throws Exception {
    String user = "tabs" + users.incrementAndGet();
    HeldRace race = holdFirstRotation("TabsBrowser/" + user,
        "/race/setup?change=login&user=" + user, "/race/setup?change=logout");
    assertThat(backends.raceManager.resolve(race.first().cookieValue(SID)).orElseThrow()
        .principal()).contains(user);
    assertThat(CompatEvents.of(race.sessionId())).as("events of the ended session")
        .filteredOn(e -> e.startsWith("unbound cart")).hasSize(1);
  }

  /** The session both requests presented, and their replies (both said "changed"). */
  private record HeldRace(String sessionId, Reply first, Reply second) {}

  /**
   * Starts an anonymous session with a cart ({@code CompatEvents.BoundValue}), then sends {@code
   * first} with its cookie, holds it in the store before its rotation, sends {@code second} with
   * the same cookie, and lets the first go on.
   */
  private HeldRace holdFirstRotation(String agent, String first, String second) throws Exception {
    Browser b = new Browser(http, agent);
    b.get("/race/setup?change=bind");
    String cookie = SID + "=" + b.cookie(SID);
    String sessionId = backends.raceManager.resolve(b.cookie(SID)).orElseThrow().id();
    InterleavingStore.Pause held = backends.raceInterleaving.pauseBefore(Operation.SESSION_ROTATE);
    CompletableFuture<Reply> firstReply = CompletableFuture.supplyAsync(
        () -> http.get(first, cookie));
    Reply secondReply;
    try {
      held.awaitParked(Duration.ofSeconds(10));
      secondReply = http.get(second, cookie);
    } finally {
      held.release();
    }
    HeldRace race = new HeldRace(sessionId, firstReply.get(20, TimeUnit.SECONDS), secondReply);
    assertThat(race.first().body()).as(race.first().toString()).isEqualTo("changed\n");
    assertThat(race.second().body()).as(race.second().toString()).isEqualTo("changed\n");
    return race;
  }

  /**
   * A commit beneath the wrapper (the container's own response) falls between a change's check and
   * its header: the change is refused with IllegalStateException and undone, so no session that
   * no client can present stays live in the store.
   */
  @ParameterizedTest
  @ValueSource(strings = {"create", "login"})
  void aCommitBeneathTheWrapperDuringAChangeUndoesItAndSaysSo(String change) {
    String user = "beneath" + users.incrementAndGet();
    Browser b = new Browser(http, "RaceBrowser/" + user);
    int before = backends.raceStore.size();
    if ("login".equals(change)) {
      b.get("/race/setup?change=create");
    }
    Reply r = b.get("/race/change-while-committing?change=" + change + "&via=container&user="
        + user);
    assertThat(r.body()).as(r.toString()).contains("outcome=refused: Cannot ")
        .contains("after the response has been committed");
    assertThat(r.setCookies()).isEmpty();
    assertThat(backends.raceManager.sessionsOf(user)).isEmpty();
    assertThat(backends.raceStore.size()).as("no undeliverable session left live").isEqualTo(before);
  }

  static Stream<Arguments> storeFaultsOnDispatchPaths() {
    List<Arguments> all = new ArrayList<>();
    for (String ending : List.of("forward", "include", "error-page", "async-dispatch")) {
      for (String change : List.of("create", "login")) {
        for (Fault fault : Fault.values()) {
          all.add(Arguments.of(ending, change, fault));
        }
      }
    }
    return all.stream();
  }

  /**
   * A store call that fails during a session change in a forwarded, included, error or
   * async-dispatched page fails closed, as on a plain request: 503 with the short body, no cookie,
   * no stack trace or failure detail, and no session granted to anyone.
   */
  @ParameterizedTest(name = "{1} {2} on {0}")
  @MethodSource("storeFaultsOnDispatchPaths")
  void aStoreFailureOnADispatchPathFailsClosed(String ending, String change, Fault fault) {
    String user = "fault" + users.incrementAndGet();
    Browser b = new Browser(http, "FaultBrowser/" + user);
    if ("login".equals(change)) {
      b.get("/fault/setup?change=create");
    }
    String before = b.cookie(SID);
    backends.faults.failNext("create".equals(change) ? Operation.SESSION_CREATE
        : Operation.SESSION_ROTATE, fault);
    Reply r = b.get("/fault/" + ending + "?change=" + change + "&user=" + user);
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.body()).as(r.toString()).isEqualTo(StoreFailureResponse.BODY);
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertThat(b.cookie(SID)).isEqualTo(before);
    assertThat(backends.faultManager.sessionsOf(user)).as("nothing granted").isEmpty();
  }

  static Stream<Arguments> failedWriteBacksOnEveryEnding() {
    List<Arguments> all = new ArrayList<>();
    for (String ending : List.of("target", "flush", "redirect", "send-error", "forward",
        "include", "error-page", "async", "async-noarg", "async-dispatch")) {
      for (Fault fault : Fault.values()) {
        all.add(Arguments.of(ending, fault));
      }
    }
    return all.stream();
  }

  /**
   * A cart changed in place (no setAttribute) whose write-back fails, whether the store failed
   * before applying it or applied it and then failed: on every ending the response is the 503
   * with its short body, no cookie, no detail of the failure. The write-back runs before the
   * response commits (a flush, a redirect, sendError, the end of a forward, an include, an error
   * page, an async dispatch, an async thread's complete()), so the client is never told "done"
   * when the change may not be kept.
   */
  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("failedWriteBacksOnEveryEnding")
  void aFailedWriteBackOfAChangeInPlaceFailsClosedOnEveryEnding(String ending, Fault fault) {
    Browser b = new Browser(http, "WriteBackBrowser/" + users.incrementAndGet());
    assertThat(b.get("/fault/setup?change=cart").status()).isEqualTo(200);
    String before = b.cookie(SID);
    long writes = backends.faults.calls(Operation.SESSION_UPDATE_ATTRIBUTES);
    backends.faults.failNext(Operation.SESSION_UPDATE_ATTRIBUTES, fault);
    Reply r = b.get("/fault/" + ending + "?change=add-to-cart");
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.body()).as(r.toString()).isEqualTo(StoreFailureResponse.BODY);
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertThat(b.cookie(SID)).isEqualTo(before);
    assertThat(backends.faults.calls(Operation.SESSION_UPDATE_ATTRIBUTES))
        .as("the write-back was tried once").isEqualTo(writes + 1);
  }

  /**
   * A servlet that changes the cart in place and then throws, on a store that fails the
   * write-back: the application's own error stands (500 from the container), the store's failure
   * is not thrown in its place, and nothing of it reaches the client.
   */
  @ParameterizedTest
  @EnumSource(Fault.class)
  void aServletThatThrowsAfterAChangeInPlaceKeepsItsOwnErrorWhenTheWriteBackFails(Fault fault) {
    Browser b = new Browser(http, "ThrowBrowser/" + users.incrementAndGet());
    assertThat(b.get("/fault/setup?change=cart").status()).isEqualTo(200);
    long writes = backends.faults.calls(Operation.SESSION_UPDATE_ATTRIBUTES);
    backends.faults.failNext(Operation.SESSION_UPDATE_ATTRIBUTES, fault);
    Reply r = b.get("/fault/throw?change=add-to-cart");
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    assertThat(r.toString()).doesNotContain("SessionStore", "injected");
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertThat(backends.faults.calls(Operation.SESSION_UPDATE_ATTRIBUTES))
        .as("the write-back was tried").isEqualTo(writes + 1);
  }

  /**
   * A change in place made in an {@code AsyncListener.onTimeout}, completed through the context
   * the event carries (the container's own, which no wrapper of ours sees): written back when the
   * container ends the async cycle.
   */
  @Test
  void aChangeInPlaceMadeInAnAsyncTimeoutListenerIsWrittenBack() throws Exception {
    Browser b = new Browser(http, "TimeoutBrowser/" + users.incrementAndGet());
    assertThat(b.get("/fault/setup?change=cart").status()).isEqualTo(200);
    long writes = backends.faults.calls(Operation.SESSION_UPDATE_ATTRIBUTES);
    Reply r = b.get("/fault/async-timeout?change=add-to-cart");
    assertThat(r.body()).as(r.toString()).contains("changed on timeout");
    // onComplete runs after the response went out: wait for the write-back, bounded
    assertThat(writesAfter(backends.faults, writes))
        .as("the change in place was written back").isEqualTo(writes + 1);
  }

  /**
   * An application thread that kept the async context of a request whose cycle the container
   * already ended (its timeout answered) changes the session's cart in place and calls {@code
   * complete()} while the browser's next request runs on the same kept-alive connection, and the
   * write-back of that change fails in the store. The response objects of the ended request are
   * the container's again (reused for that next request): the late completion must neither
   * answer 503 on them nor otherwise touch them; the next page is its own.
   */
  @ParameterizedTest
  @EnumSource(Fault.class)
  void aLateCompleteAfterTheContainerEndedTheCycleNeverAnswersTheNextRequestOnTheConnection(
      Fault fault) {
    String key = "late" + users.incrementAndGet();
    Browser b = new Browser(http, "LateCompleteBrowser/" + key);
    assertThat(b.get("/fault/setup?change=cart").status()).isEqualTo(200);
    Reply timedOut = b.get("/fault/late-complete?key=" + key);
    assertThat(timedOut.status()).as(timedOut.toString()).isEqualTo(500);
    backends.faults.failNext(Operation.SESSION_UPDATE_ATTRIBUTES, fault);
    try {
      Reply next = b.get("/fault/next-page?key=" + key);
      assertThat(next.status()).as(next.toString()).isEqualTo(200);
      assertThat(next.body()).as(next.toString()).startsWith("next page\n");
      assertThat(next.line("late")).as(next.toString()).doesNotStartWith("no outcome");
      assertThat(next.setCookies()).as(next.toString()).isEmpty();
    } finally {
      backends.faults.heal();
    }
  }

  /**
   * A request of the anonymous session writes an attribute, parked in the store, while another
   * request of the same browser signs in. The parked write is refused (the session is no longer
   * what the request saw), and the page's later {@code getSession(true)} is refused too: a new
   * anonymous cookie from this response would replace the login's cookie and sign the browser
   * out.
   */
  @Test
  void aRequestWhoseWriteWasRefusedByAParallelLoginNeverSendsANewSessionCookie() throws Exception {
    String user = "refused" + users.incrementAndGet();
    Browser b = new Browser(http, "RefusedBrowser/" + user);
    b.get("/race/setup?change=create");
    String cookie = SID + "=" + b.cookie(SID);
    InterleavingStore.Pause held =
        backends.raceInterleaving.pauseBefore(Operation.SESSION_UPDATE_ATTRIBUTES);
    CompletableFuture<Reply> writer = CompletableFuture.supplyAsync(
        () -> http.get("/race/write-then-create", cookie));
    try {
      held.awaitParked(Duration.ofSeconds(10));
      assertThat(b.get("/race/setup?change=login&user=" + user).body()).isEqualTo("changed\n");
    } finally {
      held.release();
    }
    Reply r = writer.get(20, TimeUnit.SECONDS);
    assertThat(r.body()).as(r.toString()).isEqualTo("write=refused\ncreate=refused\n");
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertThat(backends.raceManager.resolve(b.cookie(SID)).orElseThrow().principal())
        .as("the browser stays signed in").contains(user);
  }

  /**
   * An {@code AsyncListener} is told with the context that {@code startAsync} returned, as on the
   * container without the filter: a listener that keeps its clients' contexts in a set and removes
   * {@code event.getAsyncContext()} when one ends (Tomcat's own async example does) must find it.
   * {@code /plain} is the same servlet without the filter.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/plain", "/app"})
  void anAsyncListenersEventCarriesTheContextThatStartAsyncReturned(String app) {
    Reply r = http.get(app + "/path/async-listener-context?change=none");
    assertThat(r.body()).as(r.toString()).startsWith("same-context=true\n");
  }

  /**
   * A page reached by a forward starts async processing without arguments and dispatches back
   * ({@code AsyncContext.dispatch()}): the ASYNC dispatch goes where it goes on the container
   * without the filter ({@code /plain}).
   */
  @Test
  void aNoArgumentAsyncDispatchFromAForwardedPageGoesWhereItGoesWithoutTheFilter() {
    Reply plain = http.get("/plain/path/forward-then-async");
    Reply filtered = http.get("/app/path/forward-then-async");
    assertThat(filtered.status()).as(filtered.toString()).isEqualTo(plain.status());
    assertThat(filtered.body()).as(filtered.toString()).isEqualTo(plain.body());
  }

  /**
   * A cart changed in place in an {@code AsyncListener.onTimeout} and completed through the
   * context the event carries, on a store that fails the write-back: the response is the 503, not
   * the page that says the change was made (the write-back runs before the container finishes the
   * response, as for a completion through the context startAsync returned).
   */
  @ParameterizedTest
  @EnumSource(Fault.class)
  void aFailedWriteBackOfAChangeInPlaceInAnAsyncTimeoutListenerFailsClosed(Fault fault) {
    Browser b = new Browser(http, "TimeoutFaultBrowser/" + users.incrementAndGet());
    assertThat(b.get("/fault/setup?change=cart").status()).isEqualTo(200);
    backends.faults.failNext(Operation.SESSION_UPDATE_ATTRIBUTES, fault);
    Reply r = b.get("/fault/async-timeout?change=add-to-cart");
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.body()).as(r.toString()).isEqualTo(StoreFailureResponse.BODY);
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
  }

  /**
   * An application thread that kept the request of an async cycle that the container already
   * ended (its timeout answered, the response reached the client) creates a session or logs in
   * on it. The request is over and its objects belong to the container again (Jetty reuses them
   * for later requests): the change is refused with {@code IllegalStateException} before it
   * touches the store, as for a view kept past its request, and nothing is granted.
   */
  @ParameterizedTest
  @ValueSource(strings = {"create", "login"})
  void aChangeOnARequestWhoseAsyncCycleEndedIsRefusedAndGrantsNothing(String change)
      throws Exception {
    String user = "after" + users.incrementAndGet();
    int before = backends.raceStore.size();
    Reply r = http.get("/race/change-after-the-end?change=" + change + "&user=" + user);
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    RaceServlet.LATE_GO.get(user).countDown();
    assertLateChangeRefusedAndNothingGranted(user, before);
  }

  /**
   * An application thread creates a session or logs in while the store stalls (parked before it
   * writes the new session), and meanwhile the container answers the client: the async timeout
   * expires, or the servlet returns, or it throws, or its own store call failed (the filter's
   * 503). The answer goes out at once, without waiting for the stalled store call (which holds
   * the request's session state) and without a cookie; when the store call returns, the change is
   * undone and refused with {@code IllegalStateException}: nothing is granted and no session that
   * no client holds stays live.
   */
  @ParameterizedTest
  @MethodSource("stalledChanges")
  void aStoreStallPastTheContainersAnswerNeitherHoldsTheAnswerNorGrantsTheChange(String ending,
      String change) throws Exception {
    String user = "stall" + users.incrementAndGet();
    int before = backends.raceStore.size();
    // the store call stays parked until the answer is in: the answer must not wait for it
    Reply r = overtake(new Browser(http, "StalledBrowser/" + user),
        "/race/stall-past-the-answer?ending=" + ending + "&change=" + change + "&user=" + user,
        user);
    assertThat(r.status()).as(r.toString())
        .isEqualTo(switch (ending) {
          case "return" -> 200;
          case "store-failure" -> 503;
          default -> 500;
        });
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertLateChangeRefusedAndNothingGranted(user, before);
  }

  /**
   * A value changed in place when the async cycle ends (by the container's timeout) while another
   * thread's step holds the request's session in a stalled store call (a listing of the user's
   * sessions): the container does not wait for that call, and the write-back is handed to that
   * thread, which saves the change in place when its call returns. Nothing else can save it
   * meanwhile (every step that would waits for the same lock), so the one write after the
   * release is that write-back.
   */
  @Test
  void aChangeInPlaceAtTheEndOfAnAsyncCycleWhileAStoreCallStallsIsSavedWhenTheCallReturns()
      throws Exception {
    String user = "inplace" + users.incrementAndGet();
    Browser b = new Browser(http, "InPlaceBrowser/" + user);
    assertThat(b.get("/race/setup?change=login&user=" + user).status()).isEqualTo(200);
    assertThat(b.get("/race/setup?change=cart").status()).isEqualTo(200);
    CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(
        () -> b.get("/race/stall-with-a-change-in-place?user=" + user));
    Reply r;
    long writes;
    try {
      r = reply.get(10, TimeUnit.SECONDS);
      // the container ended the cycle (the filter heard it first) while the listing was parked
      assertThat(RaceServlet.CYCLE_ENDED.get(user).await(10, TimeUnit.SECONDS)).isTrue();
      writes = backends.raceCalls.calls(Operation.SESSION_UPDATE_ATTRIBUTES);
    } finally {
      InterleavingStore.Pause stall = RaceServlet.STALL_PAUSES.get(user);
      if (stall != null) {
        stall.release();
      }
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    assertThat(RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS)).isEqualTo("listed 1");
    // the write-back runs on the released thread after its listing: wait for it, bounded
    assertThat(writesAfter(backends.raceCalls, writes))
        .as("the write-back of the cart, after the listing").isEqualTo(writes + 1);
  }

  /**
   * Returns the count of attribute writes through {@code store} once it has passed {@code
   * writes}, or after 10 s (a write-back that runs on another thread once a response went out).
   */
  private static long writesAfter(FaultInjectingStore store, long writes)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.calls(Operation.SESSION_UPDATE_ATTRIBUTES) == writes
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return store.calls(Operation.SESSION_UPDATE_ATTRIBUTES);
  }

  /**
   * An application's {@code AsyncListener} answers the async timeout itself ({@code complete()}
   * from {@code onTimeout}, on the container's thread) while another application thread's change
   * is parked in the store: the answer goes out without waiting for the store call, with no
   * cookie, and the change is undone and refused when the call returns.
   */
  @ParameterizedTest
  @ValueSource(strings = {"create", "login"})
  void aListenerCompletingTheTimeoutDoesNotWaitForAStalledStoreCall(String change)
      throws Exception {
    String user = "listener" + users.incrementAndGet();
    int before = backends.raceStore.size();
    Reply r = overtake(new Browser(http, "ListenerBrowser/" + user),
        "/race/stall-past-the-answer?ending=timeout-listener&change=" + change + "&user=" + user,
        user);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.body()).as(r.toString()).contains("timed out");
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertLateChangeRefusedAndNothingGranted(user, before);
  }

  /**
   * The request logs in (the application is told it succeeded, the old token is dead), then gives
   * up on a listing of the user's sessions whose store call stalls on another thread and fails:
   * the container answers without waiting for the listing, and its answer still carries the
   * login's cookie, whatever the container does to the response's headers on its way to the
   * error.
   */
  @Test
  void aLoginDeliveredBeforeTheContainerOvertakesAStalledStepStillReachesTheBrowser()
      throws Exception {
    String user = "delivered" + users.incrementAndGet();
    Browser b = new Browser(http, "DeliveredBrowser/" + user);
    assertThat(b.get("/race/setup?change=create").status()).isEqualTo(200);
    String oldSid = b.cookie(SID);
    Reply r = overtake(b, "/race/overtaken-after-a-change?ending=throw&change=login&user=" + user,
        user);
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    assertThat(RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS)).isEqualTo("listed 1");
    assertThat(backends.raceManager.resolve(oldSid)).as("the old token is dead").isEmpty();
    assertThat(r.setCookie(SID)).as("the new token is sent: " + r).isPresent();
    assertThat(backends.raceManager.resolve(r.cookieValue(SID)).flatMap(Session::principal))
        .as(r.toString()).contains(user);
    assertNotCacheable(r, r.toString());
  }

  /**
   * As above, but an application filter in front of the SessionFilter resets the response after
   * the request was overtaken and forwards to another page (as error-page filters of web
   * frameworks do): the reset drops the login's cookie, and the forward must put it back without
   * waiting for the stalled listing, or the browser keeps a token that the login ended.
   */
  @ParameterizedTest
  @ValueSource(strings = {"login", "remember"})
  void aLoginDeliveredBeforeTheOvertakeSurvivesAnOuterResetAndForward(String change)
      throws Exception {
    String user = "resetafter" + users.incrementAndGet();
    Browser b = new Browser(http, "ResetAfterBrowser/" + user);
    assertThat(b.get("/race/setup?change=create").status()).isEqualTo(200);
    String oldSid = b.cookie(SID);
    Reply r = overtake(b, "/race/overtaken-after-a-change?ending=return&outer=reset&change="
        + change + "&user=" + user, user);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.body()).as(r.toString()).contains("reset target");
    assertThat(RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS)).isEqualTo("listed 1");
    assertThat(backends.raceManager.resolve(oldSid)).as("the old token is dead").isEmpty();
    assertThat(r.setCookie(SID)).as("the new token is sent: " + r).isPresent();
    assertThat(backends.raceManager.resolve(r.cookieValue(SID)).flatMap(Session::principal))
        .as(r.toString()).contains(user);
    if ("remember".equals(change)) {
      assertThat(r.setCookie(REMEMBER)).as("the remember-me token is sent: " + r).isPresent();
    }
    assertNotCacheable(r, r.toString());
  }

  /**
   * A value changed in place by a request that returns (without async processing) while a step of
   * another thread holds the request's session in a stalled store call: the container does not
   * wait, and the write-back is handed to that thread, which saves it when its call returns.
   */
  @Test
  void aChangeInPlaceOfARequestThatReturnsWhileAStoreCallStallsIsSavedWhenTheCallReturns()
      throws Exception {
    String user = "returned" + users.incrementAndGet();
    Browser b = new Browser(http, "ReturnedBrowser/" + user);
    assertThat(b.get("/race/setup?change=login&user=" + user).status()).isEqualTo(200);
    assertThat(b.get("/race/setup?change=cart").status()).isEqualTo(200);
    long[] writes = new long[1];
    Reply r = overtake(b, "/race/overtaken-after-a-change?ending=return&change=add-to-cart&user="
        + user, user, () -> writes[0] = backends.raceCalls.calls(
            Operation.SESSION_UPDATE_ATTRIBUTES));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS)).isEqualTo("listed 1");
    // the write-back runs on the released thread after its listing: wait for it, bounded (the
    // in-memory store holds the cart itself, so the write is what tells that it was saved)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backends.raceCalls.calls(Operation.SESSION_UPDATE_ATTRIBUTES) == writes[0]
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(backends.raceCalls.calls(Operation.SESSION_UPDATE_ATTRIBUTES))
        .as("the write-back of the cart, after the listing").isEqualTo(writes[0] + 1);
  }

  /** Sends {@code path}, whose store call parks, and releases the pause once the answer is in. */
  private Reply overtake(Browser b, String path, String user) throws Exception {
    return overtake(b, path, user, () -> { });
  }

  /** As above, running {@code whileParked} after the answer came in, before the release. */
  private Reply overtake(Browser b, String path, String user, Runnable whileParked)
      throws Exception {
    CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> b.get(path));
    try {
      Reply r = reply.get(10, TimeUnit.SECONDS); // the store call stays parked until it is in
      whileParked.run();
      return r;
    } finally {
      InterleavingStore.Pause stall = RaceServlet.STALL_PAUSES.get(user);
      if (stall != null) {
        stall.release();
      }
    }
  }

  /**
   * A bounded stress run of a login on an application thread racing the container's async timeout
   * (100 ms; the login starts 60 to 135 ms after the cycle), with no pause, so that either may
   * come first. Whatever the order, no request hangs,
   * and a login the application was told succeeded reached the browser: its cookie is on the
   * answer and signs that user in; a refused one left nothing behind.
   */
  @Test
  void aLoginRacingTheAsyncTimeoutIsDeliveredOrLeavesNothing() throws Exception {
    // 16 runs: Tomcat checks async timeouts once a second, so each of its runs takes that long
    for (int i = 0; i < 16; i++) {
      String user = "racing" + users.incrementAndGet();
      String path = "/race/change-racing-the-timeout?change=login&user=" + user + "&delay="
          + (60 + i * 5); // around the 100 ms timeout, on both sides
      Reply r = CompletableFuture.supplyAsync(() -> http.get(path)).get(30, TimeUnit.SECONDS);
      String outcome = RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS);
      if ("changed".equals(outcome)) {
        assertThat(backends.raceManager.resolve(r.cookieValue(SID))
            .flatMap(Session::principal)).as(r.toString()).contains(user);
      } else {
        assertThat(outcome).as(r.toString()).startsWith("refused: java.lang.IllegalStateException");
        assertThat(backends.raceManager.sessionsOf(user)).as("nothing granted").isEmpty();
      }
    }
  }

  /**
   * A logout on an application thread whose store call stalls (parked before the delete) while
   * the servlet returns and the container answers: the answer goes out at once, and when the
   * store call returns the logout still ends the session on the server (a logout is never undone),
   * without touching the request's objects, which the container has taken back (they may serve
   * another request by then: no container logout or invalidate on them).
   */
  @ParameterizedTest
  @ValueSource(strings = {"return", "timeout"})
  void aLogoutWhoseStoreCallStallsPastTheAnswerStillEndsTheSessionOnTheServer(String ending)
      throws Exception {
    String user = "stalledout" + users.incrementAndGet();
    Browser b = new Browser(http, "StalledLogout/" + user);
    assertThat(b.get("/race/setup?change=login&user=" + user).status()).isEqualTo(200);
    Reply r = overtake(b,
        "/race/stall-past-the-answer?ending=" + ending + "&change=logout&user=" + user, user);
    assertThat(r.status()).as(r.toString()).isEqualTo("return".equals(ending) ? 200 : 500);
    assertThat(RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS)).as("the late logout")
        .isEqualTo("changed");
    assertThat(backends.raceManager.sessionsOf(user)).as("the logout ended the session").isEmpty();
  }

  /**
   * {@code changeSessionId()} on an application thread whose rotation is parked in the store while
   * the container answers (the servlet returns, throws, or the async timeout expires): the answer
   * goes out at once with no cookie, and when the rotation returns it is refused with {@code
   * IllegalStateException} and undone: the session, whose new token cannot be delivered any more
   * and whose old one dies at the end of the rotation grace, is ended, and nothing reaches the
   * browser's next request on the same connection.
   */
  @ParameterizedTest
  @ValueSource(strings = {"return", "throw", "timeout"})
  void aChangeSessionIdWhoseRotationStallsPastTheAnswerIsRefusedAndSendsNothing(String ending)
      throws Exception {
    String user = "renewstall" + users.incrementAndGet();
    Browser b = new Browser(http, "StalledRenew/" + user);
    assertThat(b.get("/race/setup?change=login&user=" + user).status()).isEqualTo(200);
    String oldSid = b.cookie(SID);
    Reply r = overtake(b,
        "/race/stall-past-the-answer?ending=" + ending + "&change=renew&user=" + user, user);
    assertThat(r.status()).as(r.toString()).isEqualTo("return".equals(ending) ? 200 : 500);
    assertThat(r.setCookies()).as(r.toString()).isEmpty();
    assertThat(RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS)).as("the late renewal")
        .startsWith("refused: java.lang.IllegalStateException: Cannot change the session id: the"
            + " container answered");
    assertThat(backends.raceManager.sessionsOf(user)).as("the undone renewal ended the session")
        .isEmpty();
    assertThat(backends.raceManager.resolve(oldSid)).isEmpty();
    Reply next = b.get("/race/setup?change=none");
    assertThat(next.setCookies()).as(next.toString()).allMatch(h -> h.startsWith(SID + "=;"));
  }

  /**
   * Asserts that the late change of {@code user} (RaceServlet's {@code STALLED}) was refused with
   * {@code IllegalStateException}, that it left that user no session, and that the race store
   * holds {@code before} sessions again.
   */
  private void assertLateChangeRefusedAndNothingGranted(String user, int before)
      throws Exception {
    String outcome = RaceServlet.STALLED.get(user).get(20, TimeUnit.SECONDS);
    assertThat(outcome).as("the late change").startsWith("refused: java.lang.IllegalStateException");
    assertThat(backends.raceManager.sessionsOf(user)).as("nothing granted").isEmpty();
    assertThat(backends.raceStore.size()).as("no session that no client holds")
        .isEqualTo(before);
  }

  static Stream<Arguments> stalledChanges() {
    List<Arguments> all = new ArrayList<>();
    for (String ending : List.of("timeout", "return", "throw", "store-failure")) {
      for (String change : List.of("create", "login")) {
        all.add(Arguments.of(ending, change));
      }
    }
    return all.stream();
  }

  /** A forwarded page that an authenticated user sees is not cached, whatever the page says. */
  @ParameterizedTest
  @ValueSource(strings = {"forward-after", "include", "return"})
  void anAuthenticatedPageIsNeverCached(String ending) {
    String user = "cache" + users.incrementAndGet();
    Browser b = new Browser(http, "CacheBrowser/" + user);
    b.get("/app/do/login?user=" + user);
    Reply r = b.get("/app/path/" + ending + "?change=none");
    assertNotCacheable(r, r.toString());
    Reply anonymous = http.get("/app/path/" + ending + "?change=none");
    assertThat(anonymous.header("Cache-Control")).as(anonymous.toString())
        .contains(PathServlet.PUBLIC_CACHE);
  }

  /**
   * Asserts that {@code Cache-Control} forbids storing the response: {@code no-store} as we write
   * it, or among the directives of a container's own error page.
   */
  static void assertNotCacheable(Reply r, String what) {
    assertThat(r.header("Cache-Control")).as(what).isPresent();
    assertThat(r.header("Cache-Control").orElseThrow().split(",")).as(what)
        .anyMatch(d -> d.strip().equalsIgnoreCase("no-store"));
  }
}
