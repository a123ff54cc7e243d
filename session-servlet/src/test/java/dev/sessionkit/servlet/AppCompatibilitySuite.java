// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.servlet.support.Browser;
import dev.sessionkit.servlet.support.Http;
import dev.sessionkit.servlet.support.Reply;
import dev.sessionkit.servlet.support.ServletContainer;
import dev.sessionkit.servlet.testapp.CompatEvents;
import dev.sessionkit.servlet.testapp.CompatServlet;
import dev.sessionkit.servlet.testapp.RecordingStoreFactory;
import dev.sessionkit.spi.Lifetime;
import dev.sessionkit.spi.SessionRecord;
import dev.sessionkit.spi.SessionStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An existing servlet application, unchanged but for one SessionFilter, on a real container
 * (src/test/webapp-compat): container FORM login with the container's realm, {@code
 * request.login}/{@code logout}, {@code invalidate()}, {@code <session-timeout>}, {@code
 * setMaxInactiveInterval}, and session, attribute, id and binding listeners; and the same pages
 * in an application without container security (src/test/webapp-compat-plain). Each test is what
 * the application saw without the filter. Subclasses supply the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppCompatibilitySuite {

  private static final String SID = "__Host-sid";
  private static final String TOM = "j_username=tom&j_password=secret";

  private final AtomicInteger browsers = new AtomicInteger();
  private ServletContainer container;
  private ServletContainer plainContainer;
  private Http http;
  private Http plain;
  private SessionStore store;
  private String startupLog;

  /** Returns a new, stopped container. */
  abstract ServletContainer newContainer();

  @BeforeAll
  void startContainer() throws Exception {
    container = newContainer();
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      http = new Http(container.start(Path.of("src/test/webapp-compat")));
    } finally {
      System.setErr(original);
    }
    startupLog = captured.toString(StandardCharsets.UTF_8);
    original.print(startupLog);
    List<RecordingStoreFactory.Created> compat = RecordingStoreFactory.created().stream()
        .filter(c -> "recording:compat".equals(c.settings().get("store"))).toList();
    store = compat.get(compat.size() - 1).store();
    plainContainer = newContainer();
    plain = new Http(plainContainer.start(Path.of("src/test/webapp-compat-plain")));
  }

  @AfterAll
  void stopContainer() {
    container.close();
    plainContainer.close();
  }

  @BeforeEach
  void forgetEvents() {
    CompatEvents.clear();
  }

  private Browser browser() {
    return new Browser(http, "CompatBrowser/" + browsers.incrementAndGet());
  }

  private static String ok(Reply reply, String key) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.line(key);
  }

  /**
   * GETs {@code path}, following the container's redirects (Jetty redirects to the login page,
   * Tomcat forwards to it) as a browser does.
   */
  private static Reply visit(Browser b, String path) {
    Reply reply = b.get(path);
    for (int i = 0; i < 3 && (reply.status() == 302 || reply.status() == 303); i++) {
      String location = reply.header("Location").orElseThrow();
      location = location.replaceFirst("^https?://[^/]+", "").replaceFirst(";jsessionid=[^?]*", "");
      reply = b.get(location);
    }
    return reply;
  }

  /** Signs tom in through the container's FORM login and returns the page he asked for. */
  private Reply formLogin(Browser b) {
    Reply challenge = visit(b, "/secure/whoami");
    assertThat(challenge.body()).as(challenge.toString()).contains("login-form");
    Reply check = b.post("/j_security_check", TOM);
    assertThat(check.status()).as(check.toString()).isIn(302, 303);
    assertThat(check.header("Location").orElseThrow()).endsWith("/secure/whoami");
    Reply page = b.get("/secure/whoami");
    assertThat(ok(page, "user")).isEqualTo("tom");
    return page;
  }

  private void assertSignedOut(Browser b) {
    Reply page = visit(b, "/secure/whoami");
    assertThat(page.body()).as(page.toString()).contains("login-form").doesNotContain("user=tom");
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("null");
  }

  private void assertDead(String token) {
    Browser stranger = browser().cookie(SID, token);
    Reply page = stranger.get("/app/whoami");
    assertThat(ok(page, "user")).isEqualTo("null");
    assertThat(page.line("session")).isEqualTo("none");
  }

  // ------------------------------------------------------------------ request.logout (A4)

  @Test
  void requestLogoutOfASessionkitLoginAnswers200AndSignsOut() {
    Browser b = new Browser(plain, "PlainBrowser/" + browsers.incrementAndGet());
    ok(b.get("/app/sklogin?user=ann"), "session");
    Reply logout = b.get("/app/logout");
    assertThat(logout.status()).as(logout.toString()).isEqualTo(200);
    assertThat(logout.body()).isEqualTo("logged out\n");
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("null");
  }

  @Test
  void requestLogoutWithoutAnyLoginAnswers200() {
    for (Http app : List.of(plain, http)) {
      Browser b = new Browser(app, "Browser/" + browsers.incrementAndGet());
      ok(b.get("/app/create"), "session");
      assertThat(b.get("/app/logout").status()).isEqualTo(200);
      assertThat(new Browser(app, "Fresh").get("/app/logout").status()).isEqualTo(200);
    }
  }

  // ------------------------------------------------------------------ container login (B6)

  @Test
  void aFormLoginRotatesTheTokenAndInvalidateSignsOutOfTheContainerToo() {
    Browser b = browser();
    ok(b.get("/app/create"), "session");
    String anonymous = b.cookie(SID);

    Reply page = formLogin(b);
    assertThat(page.line("role")).isEqualTo("true");
    assertThat(b.cookie(SID)).isNotNull().isNotEqualTo(anonymous);
    assertDead(anonymous);
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("tom");

    assertThat(b.get("/app/invalidate").status()).isEqualTo(200);
    assertSignedOut(b);
  }

  /**
   * The login form is served with the container's new session (its FORM login saves the request
   * there) to a browser that has no container cookie yet: {@code encodeURL} in it must not put the
   * container's session id into the form's URL (Tomcat did: {@code j_security_check;jsessionid=}).
   */
  @Test
  void theLoginFormsUrlCarriesNoContainerSessionId() {
    Browser b = browser();
    Reply challenge = visit(b, "/secure/whoami");
    assertThat(challenge.body()).as(challenge.toString())
        .contains("action=\"j_security_check\"").doesNotContainIgnoringCase("jsessionid");
  }

  /**
   * The container's own redirects of a FORM login (Jetty sends the browser to the login page, both
   * send it back after {@code j_security_check}) pass beneath the filter's response wrapper, so
   * its {@code encodeRedirectURL} cannot keep the container's session id out of their URLs: the
   * id of the session that holds the saved request, and then the login, would travel in a URL
   * (logs, Referer, history; OWASP ASVS 14.2.1), which SECURITY.md says never happens.
   */
  @Test
  void theContainerLoginsOwnRedirectsCarryNoSessionIdInTheirUrls() {
    Browser b = browser();
    Reply reply = b.get("/secure/whoami");
    for (int i = 0; i < 3 && (reply.status() == 302 || reply.status() == 303); i++) {
      String location = reply.header("Location").orElseThrow();
      assertThat(location).as("redirect %s to the login page", i)
          .doesNotContainIgnoringCase("jsessionid");
      reply = b.get(location.replaceFirst("^https?://[^/]+", ""));
    }
    assertThat(reply.body()).as(reply.toString()).contains("login-form");
    Reply check = b.post("/j_security_check", TOM);
    assertThat(check.header("Location")).as("the redirect after the login")
        .hasValueSatisfying(l -> assertThat(l).doesNotContainIgnoringCase("jsessionid"));
  }

  @Test
  void aRequestSentBeforeTheLoginCookieArrivedJoinsTheLoginInsteadOfEndingIt() {
    Browser b = browser();
    ok(b.get("/app/create"), "session");
    assertThat(visit(b, "/secure/whoami").body()).contains("login-form");
    assertThat(b.post("/j_security_check", TOM).status()).isIn(302, 303);
    String anonymous = b.cookie(SID);
    String id = ok(b.get("/secure/whoami"), "session");

    // sent with the cookies the browser had before the adopting response arrived
    Browser parallel = browser().cookie(SID, anonymous).cookie("JSESSIONID", b.cookie("JSESSIONID"));
    Reply page = parallel.get("/secure/whoami");
    assertThat(ok(page, "user")).isEqualTo("tom");
    assertThat(page.line("session")).isEqualTo(id);
    assertThat(parallel.cookie(SID)).isNotIn(anonymous, b.cookie(SID));

    assertThat(ok(b.get("/secure/whoami"), "user")).as("either cookie works").isEqualTo("tom");
    assertThat(ok(parallel.get("/secure/whoami"), "user")).isEqualTo("tom");
    assertDead(anonymous);
  }

  /** {@code request.logout()}, and a page that calls it twice (a framework's and the app's). */
  @Test
  void aFormLoginEndsWithRequestLogout() {
    for (String page : List.of("/secure/logout", "/secure/logouttwice")) {
      Browser b = browser();
      formLogin(b);
      String token = b.cookie(SID);

      Reply logout = b.get(page);
      assertThat(logout.status()).as(logout.toString()).isEqualTo(200);
      assertSignedOut(b);
      assertDead(token);
    }
  }

  /**
   * A logout ({@code request.logout()}) whose store call fails answers 503 and still ends the
   * container's own login: the failure never leaves the container's session signed in.
   */
  @Test
  void aLogoutWhoseStoreFailsStillEndsTheContainerLogin() {
    Browser b = browser();
    formLogin(b);
    Reply logout;
    RecordingStoreFactory.failing("delete");
    try {
      logout = b.get("/secure/logout");
    } finally {
      RecordingStoreFactory.failing();
    }
    assertThat(logout.status()).as(logout.toString()).isEqualTo(503);
    assertThat(logout.body()).doesNotContain("Exception");
    Reply page = visit(b, "/secure/whoami");
    assertThat(page.body()).as(page.toString()).contains("login-form")
        .doesNotContain("user=tom");
  }

  /** A "sign out, then start a fresh visit" page: the container login does not survive. */
  @Test
  void invalidateThenGetSessionInOneRequestKeepsNoContainerLogin() {
    Browser b = browser();
    String before = formLogin(b).line("session");
    String token = b.cookie(SID);

    Reply page = b.get("/secure/invalidatecreate");
    assertThat(ok(page, "user")).isEqualTo("null");
    assertThat(page.line("role")).isEqualTo("false");
    assertThat(page.line("session")).isNotEqualTo(before);
    assertThat(b.cookie(SID)).isNotNull().isNotEqualTo(token);
    assertDead(token);
    assertSignedOut(b);
  }

  @Test
  void requestLoginRotatesTheTokenAndLogoutEndsIt() {
    Browser b = browser();
    ok(b.get("/app/create"), "session");
    String anonymous = b.cookie(SID);

    assertThat(ok(b.get("/app/login?user=tom&password=secret"), "user")).isEqualTo("tom");
    assertThat(b.cookie(SID)).isNotNull().isNotEqualTo(anonymous);
    assertDead(anonymous);
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("tom");

    assertThat(b.get("/app/logout").status()).isEqualTo(200);
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("null");
  }

  /**
   * {@code request.login} after the response committed: the container checks the credentials, but
   * Sessionkit cannot deliver a new cookie, so the login is refused; the container's login must
   * not stay behind (the page must not run as tom, with tom's roles, while the session is not
   * signed in), in this request or the next.
   */
  @Test
  void aRequestLoginRefusedAfterCommitLeavesNoContainerLogin() {
    Browser b = browser();
    ok(b.get("/app/create"), "session");

    Reply page = b.get("/app/loginaftercommit?user=tom&password=secret");
    assertThat(ok(page, "login")).isEqualTo("refused");
    assertThat(page.line("user")).isEqualTo("null");
    assertThat(page.line("role")).isEqualTo("false");
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("null");
    assertSignedOut(b);
  }

  @Test
  void aWrongPasswordLogsNobodyIn() {
    Browser b = browser();
    assertThat(b.get("/app/login?user=tom&password=guess").body()).isEqualTo("login failed\n");
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("null");
    assertThat(b.post("/j_security_check", "j_username=tom&j_password=guess").body())
        .doesNotContain("user=tom");
    assertSignedOut(b);
  }

  @Test
  void aContainerLoginWhoseSessionEndedElsewhereIsEnded() {
    Browser b = browser();
    String id = formLogin(b).line("session");
    assertThat(store.delete(id)).as("an administrator ends the session").isTrue();

    Reply next = b.get("/secure/whoami?x=1");
    assertThat(next.status()).as(next.toString()).isEqualTo(303);
    assertThat(next.header("Location")).contains("/secure/whoami?x=1");
    assertThat(next.body()).doesNotContain("tom");
    assertThat(visit(b, "/secure/whoami?x=1").body()).contains("login-form");
    assertSignedOut(b);
  }

  // ------------------------------------------------------------------ timeouts (B9)

  @Test
  void theSessionTimeoutOfWebXmlIsTheIdleTimeout() {
    Browser b = browser();
    Reply page = b.get("/app/max");
    assertThat(ok(page, "max")).isEqualTo("300");
    SessionRecord stored = store.findById(page.line("session")).orElseThrow();
    assertThat(stored.lifetime().idleTimeout()).isEqualTo(300_000);
  }

  @Test
  void setMaxInactiveIntervalSetsThatSessionsIdleTimeoutInTheStore() {
    Browser b = browser();
    String id = ok(b.get("/app/max?seconds=120"), "session");
    assertThat(ok(b.get("/app/max"), "max")).as("the next request").isEqualTo("120");
    Lifetime lifetime = store.findById(id).orElseThrow().lifetime();
    assertThat(lifetime.idleTimeout()).isEqualTo(120_000);
    assertThat(lifetime.expiresAt()).isEqualTo(lifetime.lastAccessedAt() + 120_000);
    assertThat(ok(browser().get("/app/max"), "max")).as("another session").isEqualTo("300");

    ok(b.get("/app/max?seconds=0"), "max");
    assertThat(ok(b.get("/app/max"), "max")).isEqualTo("-1");
    lifetime = store.findById(id).orElseThrow().lifetime();
    assertThat(lifetime.hasIdleTimeout()).isFalse();
    assertThat(lifetime.expiresAt()).as("the absolute timeout still applies")
        .isEqualTo(lifetime.absoluteDeadline());
  }

  /**
   * Values an application may pass to {@code setMaxInactiveInterval} (containers accept every
   * int): one second, the largest int, a negative value. None is a server error; the session ends
   * at its absolute deadline at the latest.
   */
  @Test
  void anyMaxInactiveIntervalIsAcceptedAndBoundedByTheAbsoluteTimeout() {
    Browser b = browser();
    for (String seconds : List.of("1", String.valueOf(Integer.MAX_VALUE), "-5")) {
      Reply page = b.get("/app/max?seconds=" + seconds);
      assertThat(page.status()).as(seconds + ": " + page).isEqualTo(200);
      Lifetime lifetime = store.findById(page.line("session")).orElseThrow().lifetime();
      assertThat(lifetime.expiresAt()).as(seconds).isLessThanOrEqualTo(lifetime.absoluteDeadline());
    }
    assertThat(ok(b.get("/app/max"), "max")).isEqualTo("-1");
    assertThat(ok(b.get("/app/max?seconds=1"), "max")).isIn("1", "2");
  }

  // ------------------------------------------------------------------ listeners (B10, #15)

  @Test
  void theStartUpLogLineSaysWhichListenersAreBridgedAndWhereTheIdleTimeoutCameFrom() {
    assertThat(startupLog.lines().filter(l -> l.contains("SessionFilter sessions ready")))
        .singleElement().asString()
        .contains("idle timeout from web.xml session-timeout 5 min")
        .contains("session listeners [" + CompatEvents.ManagerListener.class.getName() + "]")
        .contains("bridged servlet listeners ["
            + CompatEvents.ServletListener.class.getName() + "]");
  }

  @Test
  void listenersHearASessionsLifeAsWithoutTheFilter() {
    Browser b = browser();
    String id = ok(b.get("/app/create"), "session");
    b.get("/app/set?name=colour&value=red");
    b.get("/app/set?name=colour&value=blue");
    b.get("/app/remove?name=colour");
    b.get("/app/set?name=cart&value=bound");
    b.get("/app/rotate");
    b.get("/app/invalidate");

    assertThat(CompatEvents.of(id).stream().filter(e -> !e.startsWith("manager")).toList())
        .containsExactly(
            "created " + id,
            "added colour=red " + id,
            "replaced colour old=red new=blue " + id,
            "removed colour=blue " + id,
            "bound cart " + id,
            "added cart=BoundValue(cart) " + id,
            "idChanged " + id + " from " + id,
            "destroyed " + id + " [cart]",
            "removed cart=BoundValue(cart) " + id,
            "unbound cart " + id);
  }

  /**
   * A listener that invalidates the session it is told was created (re-entering the request's
   * session state from within getSession): the application holds an invalidated HttpSession, as
   * on a container, the request has no session, and the next getSession(true) starts a new one.
   */
  @Test
  void aSessionInvalidatedBySessionCreatedLeavesTheRequestUsable() {
    Browser b = browser();
    Reply page = b.get("/app/createrefused");
    assertThat(ok(page, "refused")).isEqualTo("invalidated");
    assertThat(page.line("current")).isEqualTo("none");
    String fresh = page.line("session");
    assertThat(ok(b.get("/app/whoami"), "session")).isEqualTo(fresh);
  }

  @Test
  void aLoginAsAnotherUserEndsTheFormerSessionAndOnlyThatOne() {
    Browser b = browser();
    String ann = ok(b.get("/app/sklogin?user=ann"), "session");
    b.get("/app/set?name=cart&value=bound");
    String bob = ok(b.get("/app/sklogin?user=bob"), "session");

    assertThat(bob).isNotEqualTo(ann);
    assertThat(CompatEvents.all()).containsSubsequence("destroyed " + ann + " [cart]",
        "removed cart=BoundValue(cart) " + ann, "unbound cart " + ann, "created " + bob);
    assertThat(CompatEvents.all()).noneMatch(e -> e.startsWith("invalidated again"));
    assertThat(ok(b.get("/app/whoami"), "user")).isEqualTo("bob");
  }

  @Test
  void settingTheSameValueAgainIsAReplaceWithoutRebinding() {
    Browser b = browser();
    String id = ok(b.get("/app/create"), "session");
    b.get("/app/set?name=cart&value=bound");
    CompatEvents.clear();

    b.get("/app/setsame?name=cart");

    assertThat(CompatEvents.of(id)).containsExactly(
        "replaced cart old=BoundValue(cart) new=BoundValue(cart) " + id);
  }

  @Test
  void aSessionEndedWithoutItsOwnRequestReachesSessionDestroyed() {
    Browser phone = browser();
    Browser laptop = browser();
    String phoneSession = ok(phone.get("/app/sklogin?user=ann"), "session");
    ok(laptop.get("/app/sklogin?user=ann"), "session");

    assertThat(ok(laptop.get("/app/logoutothers"), "ended")).isEqualTo("1");

    assertThat(CompatEvents.of(phoneSession)).contains("destroyed " + phoneSession + " []");
  }

  /**
   * An administrator's page ends another user's session through the {@code HttpSession} an
   * "active users" listener kept from that user's earlier request (as it would with the
   * container's sessions): the page answers 200, the user is signed out on the server, the
   * listener hears {@code sessionDestroyed} (so it forgets the session), and the user's request,
   * long over (its objects recycled by the container for other requests), is not touched: neither
   * the administrator's response nor anyone else's gets that user's clearing cookie (Jetty sent it
   * on the administrator's response, Tomcat answered 500).
   */
  @Test
  void invalidatingASessionKeptByAListenerFromAnEarlierRequestSignsThatUserOut() {
    Browser user = browser();
    String id = ok(user.get("/app/sklogin?user=ann"), "session");
    assertThat(user.get("/app/set?name=colour&value=red").body()).isEqualTo("set\n");
    assertThat(CompatEvents.live(id)).as("the listener keeps the session").isNotNull();

    Browser admin = browser();
    ok(admin.get("/app/sklogin?user=root"), "session");
    Reply kick = admin.get("/app/kick?id=" + id);
    assertThat(kick.status()).as(kick.toString()).isEqualTo(200);
    assertThat(kick.body()).as(kick.toString()).isEqualTo("kicked\n");
    assertThat(kick.setCookies()).as("the user's logout reaches no other response: " + kick)
        .isEmpty();
    assertThat(ok(admin.get("/app/whoami"), "user")).as("the administrator stays signed in")
        .isEqualTo("root");

    assertThat(ok(user.get("/app/whoami"), "user")).isEqualTo("null");
    assertThat(CompatEvents.of(id)).anyMatch(e -> e.startsWith("destroyed " + id));
    assertThat(CompatEvents.live(id)).as("the listener forgot the ended session").isNull();
  }

  /**
   * The same "kick user" page on a user signed in by the container's FORM login: the kick ends
   * the Sessionkit session on the server only (the user's request is long over), and the user's
   * next request to a protected page is not served as him: the container's own login, still in
   * its session, is ended there and the browser is sent to sign in again.
   */
  @Test
  void kickingAFormLoggedInUserThroughAKeptHttpSessionEndsHisContainerLoginAtHisNextRequest() {
    Browser user = browser();
    String id = ok(formLogin(user), "session");
    assertThat(user.get("/app/set?name=colour&value=red").body()).isEqualTo("set\n");
    assertThat(CompatEvents.live(id)).as("the listener keeps the session").isNotNull();

    Browser admin = browser();
    ok(admin.get("/app/sklogin?user=root"), "session");
    Reply kick = admin.get("/app/kick?id=" + id);
    assertThat(kick.body()).as(kick.toString()).isEqualTo("kicked\n");
    assertThat(kick.setCookies()).as(kick.toString()).isEmpty();

    Reply next = user.get("/secure/whoami");
    assertThat(next.status()).as(next.toString()).isIn(302, 303, 200);
    assertThat(next.body()).as("not served as tom: " + next).doesNotContain("user=tom");
    assertSignedOut(user);
    assertThat(ok(admin.get("/app/whoami"), "user")).isEqualTo("root");
  }

  @Test
  void aSessionkitListenerNamedByTheInitParamHearsTheManagersEvents() {
    Browser b = browser();
    String id = ok(b.get("/app/create"), "session");
    ok(b.get("/app/sklogin?user=ann"), "session");
    b.get("/app/logout");

    assertThat(CompatEvents.of(id).stream().filter(e -> e.startsWith("manager")).toList())
        .containsExactly("manager CREATED " + id, "manager AUTHENTICATED " + id,
            "manager LOGGED_OUT " + id);
  }

  /**
   * {@code request.login} on an application thread whose Sessionkit login is held in the store
   * (before it creates the session) while the page answers: the container takes the request back
   * (recycled for the next request, on this keep-alive connection or another) before the store
   * call returns. The late login is refused with the filter's own {@code IllegalStateException}
   * and grants nothing: undoing the container's login never reaches into the container's request,
   * which may serve someone else by then (a container NPE, or another user's login ended), and
   * the container's login, which the refused login leaves in the container's session, does not
   * sign the browser in at its next request.
   */
  @Test
  void aContainerLoginWhoseStoreCallReturnsAfterTheAnswerNeverTouchesTheRecycledRequest()
      throws Exception {
    String key = "late" + browsers.incrementAndGet();
    int before = store.findByPrincipal("tom", System.currentTimeMillis()).size();
    Browser b = browser();
    Reply r;
    try {
      r = b.get("/app/loginpasttheanswer?user=tom&password=secret&key=" + key);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.line("parked")).as(r.toString()).isEqualTo("true");
      assertThat(r.setCookie(SID)).as(r.toString()).isEmpty();
    } finally {
      CompatServlet.LATE_PARKS.get(key).release();
    }
    String outcome = CompatServlet.LATE_LOGINS.get(key).get(20, TimeUnit.SECONDS);
    assertThat(outcome).as("the late login").startsWith("refused: java.lang.IllegalStateException:"
        + " Cannot log in: the container answered the request");
    assertThat(store.findByPrincipal("tom", System.currentTimeMillis())).as("nothing granted")
        .hasSize(before);
    // the refused login does not come back through the container's session: the next request
    // of the browser, on the same kept-alive connection, is not signed in
    Reply next = b.get("/app/whoami");
    assertThat(ok(next, "user")).as(next.toString()).isEqualTo("null");
    assertThat(store.findByPrincipal("tom", System.currentTimeMillis())).as("nothing granted")
        .hasSize(before);
  }

  /**
   * A listener that calls back into the session or the request while the filter tells it of a
   * creation or an id change (the filter holds the request's session lock then): the page
   * answers (no deadlock, no 500), the response carries at most one {@code Set-Cookie} per cookie
   * name, and the cookie it leaves the browser with names the session the request ended with
   * (or none), as the browser's next request shows.
   */
  @ParameterizedTest
  @CsvSource({"created,invalidate", "created,set", "created,rotate", "created,logout",
      "created,sklogin", "idChanged,invalidate", "idChanged,set", "idChanged,rotate",
      "idChanged,getsession", "idChanged,logout", "idChanged,sklogin"})
  void aListenerThatReentersTheSessionOrTheRequestLeavesTheBrowserWithTheSessionTheRequestEndedWith(
      String on, String what) {
    Browser b = browser();
    if ("idChanged".equals(on)) {
      ok(b.get("/app/create"), "session");
    }
    Reply r = b.get("/app/reenter?on=" + on + "&do=" + what);
    String current = ok(r, "current");
    for (String name : List.of(SID, "__Host-remember")) {
      assertThat(r.setCookies().stream().filter(h -> h.startsWith(name + "=")).count())
          .as("one header per cookie: " + r).isLessThanOrEqualTo(1);
    }
    Reply next = b.get("/app/whoami");
    String expected = current.equals("none") || current.equals("ended") ? "none"
        : current.split(" ")[0];
    assertThat(ok(next, "session")).as(r + " then " + next).isEqualTo(expected);
  }

  /**
   * The "kick user" page ends a user's session through the {@code HttpSession} an "active users"
   * listener kept, while that user's request, already answered by the container (overtaken),
   * still holds the session in a stalled store call on an application thread: the kick waits for
   * that call and then ends the session on the server only. Neither the administrator's response
   * nor the user's next request on the same kept-alive connection (where the container recycled
   * the user's request) gets a cookie of it, and the administrator stays signed in.
   */
  @Test
  void kickingAUserWhoseOvertakenRequestStillHoldsItsSessionTouchesNoOtherResponse()
      throws Exception {
    String key = "kick" + browsers.incrementAndGet();
    Browser user = browser();
    String id = ok(user.get("/app/sklogin?user=ann"), "session");
    assertThat(CompatEvents.live(id)).as("the listener keeps the session").isNotNull();
    Reply answered;
    try {
      answered = user.get("/app/overtaken?key=" + key);
    } catch (RuntimeException | AssertionError e) {
      CompatServlet.LATE_PARKS.get(key).release();
      throw e;
    }
    assertThat(ok(answered, "parked")).isEqualTo("true");
    assertThat(answered.setCookies()).as(answered.toString()).isEmpty();

    Browser admin = browser();
    ok(admin.get("/app/sklogin?user=root"), "session");
    Reply kick = admin.get("/app/kickwhileparked?key=" + key + "&id=" + id);
    assertThat(kick.body()).as(kick.toString()).isEqualTo("kicked\n");
    assertThat(kick.setCookies()).as(kick.toString()).isEmpty();
    assertThat(CompatServlet.LATE_LOGINS.get(key).get(20, TimeUnit.SECONDS)).as("the listing")
        .startsWith("listed ");

    Reply next = user.get("/app/whoami");
    assertThat(ok(next, "user")).as(next.toString()).isEqualTo("null");
    assertThat(next.setCookies()).as(next.toString())
        .noneMatch(h -> h.startsWith(SID + "=") && !h.startsWith(SID + "=;"));
    assertThat(ok(admin.get("/app/whoami"), "user")).isEqualTo("root");
    assertThat(CompatEvents.of(id)).anyMatch(e -> e.startsWith("destroyed " + id));
  }
}
