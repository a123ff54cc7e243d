// SPDX-License-Identifier: Apache-2.0
package dev.sessionkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionkit.IssuedSession;
import dev.sessionkit.SaveMode;
import dev.sessionkit.Session;
import dev.sessionkit.SessionConfig;
import dev.sessionkit.SessionManager;
import dev.sessionkit.spi.ClientInfo;
import dev.sessionkit.spi.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Attribute values changed in place ({@code ((List) session.getAttribute("cart")).add(x)}, a JSP
 * session bean whose properties change) and {@link Session#saveChanges()} under each {@link
 * SaveMode}: saved the same on every store, only what changed, and never over another request's
 * write of another attribute. Each {@link Session} object below is one request's.
 *
 * <p>A store module extends it and supplies {@link #createStores()}; each test gets new stores.
 * The values are JDK lists and maps, which every store's default codec accepts.
 */
public abstract class SaveModeContract {

  /** The modes that write values changed in place back. */
  private static final List<SaveMode> WRITING_BACK =
      List.of(SaveMode.ON_GET_ATTRIBUTE, SaveMode.ALWAYS);

  /**
   * Returns new, empty stores (or a fresh namespace of a shared backend).
   *
   * @return new, empty stores (or a fresh namespace of a shared backend)
   */
  protected abstract Stores createStores();

  private SessionManager manager(SaveMode mode) {
    return SessionManager.builder()
        .config(SessionConfig.builder().saveMode(mode).build())
        .stores(createStores())
        .build();
  }

  private static Session request(SessionManager manager, String token) {
    return manager.resolve(token).orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static List<String> cart(Session s) {
    return (List<String>) s.getAttribute("cart").orElseThrow();
  }

  private static IssuedSession withCart(SessionManager manager) {
    IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
    issued.session().putAttribute("cart", new ArrayList<>(List.of("apple")));
    issued.session().putAttribute("prefs", new TreeMap<>(Map.of("theme", "light")));
    return issued;
  }

  @Test
  void theDefaultSavesAValueChangedInPlaceAfterItWasRead() {
    assertThat(SessionConfig.defaults().saveMode()).isEqualTo(SaveMode.ON_GET_ATTRIBUTE);
    SessionManager manager = SessionManager.builder().stores(createStores()).build();
    IssuedSession issued = withCart(manager);

    Session first = request(manager, issued.token());
    cart(first).add("pear");
    assertThat(first.saveChanges()).containsExactly("cart");

    assertThat(cart(request(manager, issued.token()))).containsExactly("apple", "pear");
  }

  @Test
  void onlyTheValuesThatChangedAreWrittenBack() {
    for (SaveMode mode : WRITING_BACK) {
      onlyTheValuesThatChangedAreWrittenBack(mode);
    }
  }

  private void onlyTheValuesThatChangedAreWrittenBack(SaveMode mode) {
    SessionManager manager = manager(mode);
    IssuedSession issued = withCart(manager);

    Session s = request(manager, issued.token());
    assertThat(s.getAttribute("prefs")).isPresent();
    assertThat(s.saveChanges()).isEmpty();
    cart(s).add("pear");
    assertThat(s.saveChanges()).containsExactly("cart");
    assertThat(s.saveChanges()).isEmpty(); // saved: nothing more to write
    cart(s).add("plum");
    assertThat(s.saveChanges()).containsExactly("cart");

    assertThat(cart(request(manager, issued.token()))).containsExactly("apple", "pear", "plum");
  }

  @Test
  void aValueChangedAfterItWasSetIsSavedToo() {
    for (SaveMode mode : WRITING_BACK) {
      aValueChangedAfterItWasSetIsSavedToo(mode);
    }
  }

  private void aValueChangedAfterItWasSetIsSavedToo(SaveMode mode) {
    SessionManager manager = manager(mode);
    IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
    List<String> cart = new ArrayList<>(List.of("apple"));
    issued.session().putAttribute("cart", cart);
    cart.add("pear"); // as <jsp:useBean> does: set the new bean, then set its properties

    assertThat(issued.session().saveChanges()).containsExactly("cart");
    assertThat(cart(request(manager, issued.token()))).containsExactly("apple", "pear");
  }

  @Test
  void onSetAttributeWritesNothingBack() {
    SessionManager manager = manager(SaveMode.ON_SET_ATTRIBUTE);
    IssuedSession issued = withCart(manager);

    Session s = request(manager, issued.token());
    cart(s).add("pear");
    assertThat(s.saveChanges()).isEmpty();
    s.putAttribute("cart", List.of("apple", "pear")); // what this mode asks of the application
    assertThat(cart(request(manager, issued.token()))).containsExactly("apple", "pear");
  }

  /**
   * Two requests of one session at once: A reads both attributes and changes the cart in place;
   * B sets the preferences meanwhile. A's write-back keeps B's preferences.
   */
  @Test
  void aWriteBackNeverOverwritesAnotherRequestsWriteOfAnotherAttribute() {
    for (SaveMode mode : WRITING_BACK) {
      aWriteBackNeverOverwritesAnotherRequestsWriteOfAnotherAttribute(mode);
    }
  }

  private void aWriteBackNeverOverwritesAnotherRequestsWriteOfAnotherAttribute(SaveMode mode) {
    SessionManager manager = manager(mode);
    IssuedSession issued = withCart(manager);

    Session a = request(manager, issued.token());
    Session b = request(manager, issued.token());
    assertThat(a.getAttribute("prefs")).isPresent();
    cart(a).add("pear");
    b.putAttribute("prefs", new TreeMap<>(Map.of("theme", "dark")));
    assertThat(a.saveChanges()).containsExactly("cart");

    Session after = request(manager, issued.token());
    assertThat(cart(after)).containsExactly("apple", "pear");
    assertThat(after.getAttribute("prefs")).contains(new TreeMap<>(Map.of("theme", "dark")));
  }

  @Test
  void aValueReadBeforeALoginAndChangedAfterItIsSaved() {
    for (SaveMode mode : WRITING_BACK) {
      aValueReadBeforeALoginAndChangedAfterItIsSaved(mode);
    }
  }

  private void aValueReadBeforeALoginAndChangedAfterItIsSaved(SaveMode mode) {
    SessionManager manager = manager(mode);
    IssuedSession issued = withCart(manager);

    Session anonymous = request(manager, issued.token());
    List<String> cart = cart(anonymous);
    IssuedSession login = manager.authenticate(anonymous, "alice", ClientInfo.NONE, false);
    cart.add("pear");
    assertThat(login.session().saveChanges()).containsExactly("cart");

    assertThat(cart(request(manager, login.token()))).containsExactly("apple", "pear");
  }

  /**
   * A bounded stress run: requests of one session on several threads, each changing its own list
   * in place and saving after every change; no change is lost.
   */
  @Test
  void parallelRequestsChangingDifferentValuesInPlaceLoseNothing() throws Exception {
    for (SaveMode mode : WRITING_BACK) {
      parallelRequestsChangingDifferentValuesInPlaceLoseNothing(mode);
    }
  }

  @SuppressWarnings("unchecked")
  private void parallelRequestsChangingDifferentValuesInPlaceLoseNothing(SaveMode mode)
      throws Exception {
    SessionManager manager = manager(mode);
    IssuedSession issued = manager.startAnonymous(ClientInfo.NONE);
    int threads = 4;
    int changes = 25;
    for (int t = 0; t < threads; t++) {
      issued.session().putAttribute("list" + t, new ArrayList<Integer>());
    }
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "list" + t;
      tasks.add(() -> {
        for (int i = 0; i < changes; i++) {
          Session s = request(manager, issued.token());
          ((List<Integer>) s.getAttribute(name).orElseThrow()).add(i);
          s.saveChanges();
        }
        return null;
      });
    }
    Concurrently.run(tasks);

    Session after = request(manager, issued.token());
    for (int t = 0; t < threads; t++) {
      assertThat((List<Integer>) after.getAttribute("list" + t).orElseThrow())
          .as("list" + t).hasSize(changes);
    }
  }
}
