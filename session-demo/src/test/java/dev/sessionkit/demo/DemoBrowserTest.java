// SPDX-License-Identifier: Apache-2.0

package dev.sessionkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo in a real headless Chromium (Debian's chromium and chromium-driver, never a
 * downloaded browser): remember-me across a browser restart, the cookie attributes the browser
 * stored, a password change on a second device signing the first one out (and the first one
 * told why), and signing out from the cart page.
 */
class DemoBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String PASSWORD = "alice-browser-1";

  static DemoServer demo;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String reason = "Chromium is not installed (apt-get install -y chromium chromium-driver): "
        + "skipping the browser test";
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason.replace("skipping", "CI=true requires"));
    }
    if (!present) {
      System.out.println("DemoBrowserTest: " + reason);
    }
    Assumptions.assumeTrue(present, reason);
    demo = DemoServer.start(DemoOptions.parse(List.of("--port=0", "--user=alice:" + PASSWORD)),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  static WebDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  String url(String path) {
    return demo.uri().resolve(path).toString();
  }

  void signIn(WebDriver browser, boolean rememberMe) {
    browser.get(url("/"));
    browser.findElement(By.id("username")).sendKeys("alice");
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    if (rememberMe) {
      browser.findElement(By.id("remember-me")).click();
    }
    browser.findElement(By.id("sign-in")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains(
        "/account"));
  }

  @Test
  void rememberMeSurvivesARestartAndAPasswordChangeElsewhereSignsItOut() throws Exception {
    Path profileA = Files.createTempDirectory("sessionkit-chromium-a");
    Path profileB = Files.createTempDirectory("sessionkit-chromium-b");
    WebDriver laptop = chromium(profileA);
    WebDriver phone = null;
    try {
      signIn(laptop, true);
      assertThat(laptop.findElement(By.id("user")).getText()).isEqualTo("alice");

      Cookie sid = laptop.manage().getCookieNamed("__Host-sid");
      assertThat(sid).isNotNull();
      assertThat(sid.isSecure()).isTrue();
      assertThat(sid.isHttpOnly()).isTrue();
      assertThat(sid.getSameSite()).isEqualTo("Lax");
      assertThat(sid.getPath()).isEqualTo("/");
      assertThat(sid.getExpiry()).as("a session cookie dies with the browser").isNull();
      Cookie remember = laptop.manage().getCookieNamed("__Host-remember");
      assertThat(remember).isNotNull();
      assertThat(remember.isSecure()).isTrue();
      assertThat(remember.isHttpOnly()).isTrue();
      assertThat(remember.getSameSite()).isEqualTo("Lax");
      assertThat(remember.getExpiry()).as("the remember-me cookie persists").isNotNull();
      assertThat(laptop.manage().getCookies()).extracting(Cookie::getDomain)
          .allSatisfy(d -> assertThat(d).isEqualTo("localhost"));

      phone = chromium(profileB);
      signIn(phone, false);
      assertThat(phone.manage().getCookieNamed("__Host-remember")).isNull();

      // the laptop's browser restarts: its session cookie is gone, the remember-me cookie stays
      laptop.get("about:blank");
      laptop.quit();
      laptop = chromium(profileA);
      laptop.get(url("/account"));
      assertThat(laptop.manage().getCookieNamed("__Host-remember")).isNotNull();
      assertThat(laptop.getCurrentUrl()).endsWith("/account");
      assertThat(laptop.findElement(By.id("remembered")).getText())
          .contains("remember-me");
      assertThat(laptop.manage().getCookieNamed("__Host-remember").getValue())
          .as("rotated on use").isNotEqualTo(remember.getValue());

      phone.get(url("/sessions"));
      assertThat(phone.findElement(By.id("this-device")).getText()).isEqualTo("this device");
      assertThat(phone.findElements(By.cssSelector("#sessions tbody tr"))).hasSizeGreaterThan(1);
      Path screenshot = Path.of("target", "sessions-page.png");
      Files.createDirectories(screenshot.getParent());
      Files.write(screenshot, ((TakesScreenshot) phone).getScreenshotAs(OutputType.BYTES));
      assertThat(Files.size(screenshot)).isGreaterThan(1000);

      phone.get(url("/account"));
      phone.findElement(By.id("current")).sendKeys(PASSWORD);
      phone.findElement(By.id("new")).sendKeys("alice-browser-2");
      phone.findElement(By.id("change-password")).click();
      new WebDriverWait(phone, Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
      assertThat(phone.findElement(By.id("notice")).getText())
          .matches("\\d+ other sessions? (was|were) signed out");

      laptop.get(url("/account"));
      assertThat(laptop.getCurrentUrl()).isEqualTo(url("/"));
      assertThat(laptop.findElement(By.id("status")).getText()).isEqualTo("Not signed in");
      assertThat(laptop.findElement(By.id("signed-out-reason")).getText())
          .contains("your password was changed on another device");
      phone.get(url("/account"));
      assertThat(phone.findElement(By.id("user")).getText()).isEqualTo("alice");

      // sign-out is on every page, the cart's too
      phone.get(url("/cart"));
      phone.findElement(By.id("sign-out")).click();
      new WebDriverWait(phone, Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("signed-out-reason")));
      assertThat(phone.findElement(By.id("signed-out-reason")).getText())
          .isEqualTo("You signed out.");
      assertThat(phone.findElement(By.id("status")).getText()).isEqualTo("Not signed in");
      assertThat(phone.manage().getCookieNamed("__Host-sid")).isNull();
    } finally {
      laptop.quit();
      if (phone != null) {
        phone.quit();
      }
      deleteTree(profileA);
      deleteTree(profileB);
    }
  }

  @Test
  void noPageCanBeFramedByAnotherSite() throws Exception {
    Path profile = Files.createTempDirectory("sessionkit-chromium-frame");
    // another site (another origin: 127.0.0.1 instead of localhost) frames the demo's home page
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] framing = ("<!doctype html><title>framing</title><iframe id=\"victim\" src=\""
        + url("/") + "\" onload=\"document.title='loaded'\"></iframe>")
        .getBytes(StandardCharsets.UTF_8);
    attacker.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
      exchange.sendResponseHeaders(200, framing.length);
      exchange.getResponseBody().write(framing);
      exchange.close();
    });
    attacker.start();
    WebDriver browser = chromium(profile);
    try {
      // the frame's load event fires whether the page or Chromium's "refused" page loaded
      browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.titleIs("loaded"));
      browser.switchTo().frame("victim");
      assertThat(browser.findElements(By.id("status"))).as("the demo's page is not shown")
          .isEmpty();
      assertThat(browser.findElements(By.id("sign-in"))).isEmpty();
      browser.switchTo().defaultContent();
      browser.get(url("/"));
      assertThat(browser.findElements(By.id("status"))).as("shown when not framed").hasSize(1);
    } finally {
      browser.quit();
      attacker.stop(0);
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (Exception ignored) {
      // temporary profile; best effort
    }
  }
}
