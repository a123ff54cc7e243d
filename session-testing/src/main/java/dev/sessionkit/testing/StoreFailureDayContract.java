// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.testing;

import static dev.sessionkit.testing.BreakerSupport.idsOf;
import static dev.sessionkit.testing.BreakerSupport.rememberMe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.RememberMeResult;
import dev.sessionkit.RememberMeResult.Status;
import dev.sessionkit.Session;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.SessionStoreException;
import dev.sessionkit.spi.Stores;
import dev.sessionkit.testing.FaultInjectingStore.Fault;
import dev.sessionkit.testing.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * I2, wider than the contract's day: the k-th call (k = 1..3) of every store operation fails once,
 * before or after it is applied, during one browser's day (anonymous cart, login with remember-me
 * from the cart, renewal, browser restart and resume, credential change, logout). The browser
 * retries each failed step once with the cookies it has. Checked after every step: no theft alarm,
 * the cart is still there, the browser's cookies work; after the logout nothing works.
 *
 * <p>A store module extends it and supplies {@link #createStores()}; each test gets new stores.
 */
public abstract class StoreFailureDayContract {

  /**
   * Returns new, empty stores (or a fresh namespace of a shared backend).
   *
   * @return new, empty stores (or a fresh namespace of a shared backend)
   */
  protected abstract Stores createStores();

  @Test
  void noFalseAlarmNoLostCartNoSurvivorAfterLogout() {
    List<String> failures = new ArrayList<>();
    for (Operation op : Operation.values()) {
      for (Fault fault : Fault.values()) {
        for (int k = 1; k <= 3; k++) {
          String failure = day(op, fault, k);
          if (failure != null) {
            failures.add(failure);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  /** Fails the k-th call of one operation, once. */
  private static final class KthCallFails implements InterceptingStores.Interceptor {
    final Operation op;
    final Fault fault;
    final int k;
    final AtomicInteger seen = new AtomicInteger();
    volatile boolean fired;
    /** Off while the test checks the state: only the browser's own steps see faults. */
    volatile boolean active = true;

    KthCallFails(Operation op, Fault fault, int k) {
      this.op = op;
      this.fault = fault;
      this.k = k;
    }

    @Override
    public <T> T around(Operation operation, Supplier<T> call) {
      if (!active || operation != op || seen.incrementAndGet() != k) {
        return call.get();
      }
      fired = true;
      if (fault == Fault.FAIL_AFTER_APPLYING) {
        call.get();
      }
      throw new SessionStoreException("injected fault: " + op + " " + fault);
    }
  }

  private String day(Operation op, Fault fault, int k) {
    BreakerSupport t = new BreakerSupport();
    Stores raw = createStores();
    KthCallFails faults = new KthCallFails(op, fault, k);
    Stores stores = new Stores(InterceptingStores.sessions(raw.sessions(), faults),
        InterceptingStores.rememberMe(raw.rememberMe(), faults));
    SessionManager m = t.manager(stores);
    Browser b = new Browser(m, t, faults);
    String where = op + "/" + fault + "/call " + k;
    try {
      b.step("start anonymous and put the cart", () -> {
        IssuedSession visit = m.startAnonymous(ClientInfo.NONE);
        b.session = visit.token();
        m.resolve(b.session).orElseThrow().putAttribute("cart", "book");
      });
      b.check(true, true, false);
      b.step("login from the cart with remember-me", () -> {
        IssuedSession login = m.authenticate(b.session, "alice", ClientInfo.NONE, true);
        b.session = login.token();
        b.remembered = rememberMe(login);
      });
      b.check(true, true, true);
      t.clock.advance(Duration.ofMinutes(5));
      b.step("renew", () -> b.session = m.renew(b.session).orElseThrow().token());
      b.check(true, true, true);
      t.clock.advance(Duration.ofHours(9)); // browser restart: only remember-me is left
      b.session = null;
      b.step("resume", () -> {
        RememberMeResult r = m.resumeRememberMe(b.remembered, ClientInfo.NONE);
        if (r.status() != Status.RESUMED) {
          throw new IllegalStateException("resume: " + r.status());
        }
        b.session = r.issued().orElseThrow().token();
        b.remembered = rememberMe(r.issued().orElseThrow());
      });
      b.check(true, false, true);
      t.clock.advance(Duration.ofMinutes(5));
      b.step("credential change", () -> {
        IssuedSession changed = m.credentialsChanged(m.resolve(b.session).orElseThrow());
        b.session = changed.token();
        b.remembered = rememberMe(changed);
      });
      b.check(true, false, true);
      t.clock.advance(Duration.ofMinutes(5));
      b.step("logout", () -> {
        m.logout(b.session);
        m.forgetRememberMe(b.remembered);
      });
      faults.active = false;
      if (m.resolve(b.session).isPresent()) {
        return where + ": the session resolves after the logout";
      }
      t.clock.advance(Duration.ofMinutes(1));
      if (m.resumeRememberMe(b.remembered, ClientInfo.NONE).status() == Status.RESUMED) {
        return where + ": the remember-me cookie resumes after the logout";
      }
      if (!idsOf(m, "alice").isEmpty()) {
        return where + ": " + idsOf(m, "alice").size() + " session(s) of alice after the logout";
      }
      if (t.theftAlarmed()) {
        return where + ": false theft alarm";
      }
      return null;
    } catch (RuntimeException | AssertionError e) {
      return where + ": " + e;
    }
  }

  /** One browser's cookies; a failed step is retried once, a minute later. */
  private static final class Browser {
    final SessionManager m;
    final BreakerSupport t;
    String session;
    String remembered;
    String lastStep;
    final KthCallFails faults;

    Browser(SessionManager m, BreakerSupport t, KthCallFails faults) {
      this.m = m;
      this.t = t;
      this.faults = faults;
    }

    void step(String name, Runnable action) {
      lastStep = name;
      try {
        action.run();
      } catch (SessionStoreException e) {
        t.clock.advance(Duration.ofMinutes(1));
        try {
          action.run();
        } catch (RuntimeException again) {
          throw new AssertionError("retry of '" + name + "' failed: " + again, again);
        }
      }
    }

    void check(boolean sessionWorks, boolean cart, boolean remembered) {
      faults.active = false;
      try {
        checkState(sessionWorks, cart, remembered);
      } finally {
        faults.active = true;
      }
    }

    private void checkState(boolean sessionWorks, boolean cart, boolean remembered) {
      if (t.theftAlarmed()) {
        throw new AssertionError("false theft alarm after '" + lastStep + "'");
      }
      if (sessionWorks) {
        Session s = m.resolve(session).orElseThrow(
            () -> new AssertionError("the session cookie does not resolve after '" + lastStep
                + "'"));
        if (cart && s.getAttribute("cart").isEmpty()) {
          throw new AssertionError("the cart is lost after '" + lastStep + "'");
        }
        if (s.isAuthenticated() && idsOf(m, "alice").size() != 1) {
          throw new AssertionError(idsOf(m, "alice").size() + " sessions of alice after '"
              + lastStep + "' (an orphan)");
        }
      }
      if (remembered && this.remembered == null) {
        throw new AssertionError("no remember-me cookie after '" + lastStep + "'");
      }
    }
  }
}
