package io.agentvine.browser;

import io.agentvine.worker.runtime.TestFleet;
import io.agentvine.worker.runtime.WorkerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser tests' fixture, one per test class ({@code @RegisterExtension static BrowserFixture ui =
 * new BrowserFixture();}): a real controller in-process on a free loopback port (H2, a real Redis),
 * one real worker with the demo agent, and a headless Chromium driven by Selenium. Keys: an admin and
 * a viewer. After each test the browser forgets its cookies (signed out) and its theme.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests are skipped with how
 * to install them, unless the environment variable {@code CI} is set: then they fail.
 *
 * <p>{@link #screenshot(String)} writes {@code docs/dashboard/<name>-<light|dark>.png} (repository root)
 * when {@code AGENTVINE_SCREENSHOTS=1}.
 */
public class BrowserFixture implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final String INSTALL = "install chromium and chromium-driver (apt-get install chromium chromium-driver)";
    /** How long a condition may take: generous, since CI shares two cores with the whole build (waits end when the condition holds). */
    public static final Duration WAIT = Duration.ofSeconds(60);

    /** Who signs in. */
    public enum Role { ADMIN, VIEWER }

    public final String viewerKey = "viewer-" + UUID.randomUUID();
    private final Map<String, String> workerEnv;
    private final Map<String, Object> controllerSettings;
    private String agentScript;
    private Path tmp;
    private Path profile;
    private TestFleet fleet;
    private WorkerRuntime worker;
    private WebDriver driver;

    /** The default fleet: one worker with the demo agent serving every built-in type, two slots. */
    public BrowserFixture() {
        this(Map.of(), Map.of());
    }

    /**
     * @param workerEnv          settings of the worker besides the fleet's (e.g. {@code AGENTVINE_DEMO_STEP_DELAY})
     * @param controllerSettings settings of the controller besides the fleet's
     */
    public BrowserFixture(Map<String, String> workerEnv, Map<String, Object> controllerSettings) {
        this.workerEnv = workerEnv;
        this.controllerSettings = controllerSettings;
    }

    /**
     * The worker runs this bash script as its agent (the command agent) instead of the demo agent, e.g.
     * one that asks a question with {@code vine-ask}.
     */
    public BrowserFixture withAgentScript(String body) {
        this.agentScript = body;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!present) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI is set and the browser is missing: " + INSTALL);
            }
            Assumptions.abort(INSTALL);
        }
        tmp = Files.createTempDirectory("agentvine-browser-");
        Map<String, Object> settings = new HashMap<>(Map.of("agentvine.viewer-keys", viewerKey));
        settings.putAll(controllerSettings);
        fleet = new TestFleet(tmp, Map.of(), settings);
        Map<String, String> env = new HashMap<>(Map.of("AGENTVINE_AGENT", "demo", "AGENTVINE_WORKER_NAME", "browser-worker",
                "AGENTVINE_MAX_CONCURRENT_TASKS", "2"));
        if (agentScript != null) {
            env.put("AGENTVINE_AGENT", "command");
            env.put("AGENTVINE_AGENT_COMMAND", fleet.agent(agentScript).toString());
        }
        env.putAll(workerEnv);
        worker = fleet.startWorker(env);
        driver = startBrowser();
    }

    private WebDriver startBrowser() throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory(tmp, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1400,900", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().window().setSize(new Dimension(1400, 900));
        return d;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (driver != null) {
            open("/ui/login");
            driver.manage().deleteAllCookies();
            ((JavascriptExecutor) driver).executeScript("localStorage.clear()");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (tmp != null) {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public TestFleet fleet() {
        return fleet;
    }

    public WorkerRuntime worker() {
        return worker;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + fleet.port;
    }

    public String key(Role role) {
        return role == Role.ADMIN ? fleet.admin : viewerKey;
    }

    /** Opens a path of the controller, e.g. {@code /ui/fleet}. */
    public void open(String path) {
        driver.get(baseUrl() + path);
    }

    /** Signs in through the sign-in form and waits for the Fleet page. */
    public void signIn(Role role) {
        open("/ui/login");
        WebElement key = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
        key.sendKeys(key(role));
        driver.findElement(By.id("sign-in")).click();
        waitFor(ExpectedConditions.urlContains("/ui/fleet"));
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
        waitForLive();
    }

    /** Waits until the page's event stream is open (body[data-sse=open]): live updates from here on. */
    public void waitForLive() {
        waitFor(ExpectedConditions.attributeToBe(By.tagName("body"), "data-sse", "open"));
    }

    /** Waits (up to {@link #WAIT}) for a condition, as Selenium waits: polling, never a fixed sleep. */
    public <T> T waitFor(ExpectedCondition<T> condition) {
        return waitFor((Function<WebDriver, T>) condition::apply);
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage().lines().findFirst().orElse("timed out") + "\n" + diagnosis(), e);
        }
    }

    /** Where the browser is, what the page says and what its console logged: for a failed wait. */
    public String diagnosis() {
        StringBuilder b = new StringBuilder("url: ").append(driver.getCurrentUrl()).append('\n');
        try {
            driver.manage().logs().get(LogType.BROWSER).forEach(l -> b.append("console: ").append(l.getMessage()).append('\n'));
        } catch (RuntimeException e) {
            b.append("console: not available (").append(e.getMessage().lines().findFirst().orElse("")).append(")\n");
        }
        String text = driver.findElement(By.tagName("body")).getText();
        b.append("page text: ").append(text, 0, Math.min(text.length(), 2000));
        if (System.getenv("AGENTVINE_BROWSER_DEBUG") != null) {
            String html = driver.getPageSource();
            b.append("\npage source: ").append(html, 0, Math.min(html.length(), 20000));
        }
        return b.toString();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * Clicks the element {@code css} matches, finding it again if a live refresh replaced it between
     * finding and clicking.
     */
    public void click(String css) {
        waitFor(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /**
     * The text of the element {@code css} matches, read again if a live refresh replaced the element
     * between finding and reading it.
     */
    public String text(String css) {
        return waitFor(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** The texts of the elements {@code css} matches, in page order (read again if a live refresh replaced one). */
    public java.util.List<String> texts(String css) {
        return waitFor(d -> d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    /** Marks the current page; {@link #samePage()} is true until the browser loads another (no reload happened). */
    public void markPage() {
        ((JavascriptExecutor) driver).executeScript("window.__agentvineMark = 'kept'");
    }

    public boolean samePage() {
        return "kept".equals(((JavascriptExecutor) driver).executeScript("return window.__agentvineMark"));
    }

    public boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** The CSRF token of the signed-in page (to forge requests in tests). */
    public String csrfToken() {
        return driver.findElement(By.cssSelector("meta[name=csrf-token]")).getDomAttribute("content");
    }

    /** The session cookie's value (to forge requests in tests). */
    public String sessionCookie() {
        return driver.manage().getCookieNamed("agentvine_session").getValue();
    }

    /**
     * Writes the page as {@code docs/dashboard/<name>-light.png} and {@code -dark.png} when
     * {@code AGENTVINE_SCREENSHOTS=1}; the page must use the layout (its theme toggle).
     */
    public void screenshot(String name) throws IOException {
        if (!"1".equals(System.getenv("AGENTVINE_SCREENSHOTS"))) {
            return;
        }
        Path dir = repositoryRoot().resolve("docs").resolve("dashboard");
        Files.createDirectories(dir);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        for (String theme : new String[] {"light", "dark"}) {
            js.executeScript("document.documentElement.setAttribute('data-theme', arguments[0])", theme);
            waitFor(d -> theme.equals(js.executeScript("return document.documentElement.getAttribute('data-theme')")));
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve(name + "-" + theme + ".png"), png);
        }
        js.executeScript("document.documentElement.removeAttribute('data-theme')");
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no repository root (with mvnw) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
