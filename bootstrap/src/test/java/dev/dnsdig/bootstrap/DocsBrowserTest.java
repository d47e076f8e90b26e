package dev.dnsdig.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnsdig.adapters.dns.testing.KnotServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI at {@code /docs} in a real headless Chromium, against the whole server resolving with a real Knot on
 * loopback: authorize with an access token of the API, try out {@code GET /v1/resolve/{name}/{type}} and see
 * Knot's records, with nothing refused by the page's Content-Security-Policy. Needs Debian's {@code chromium} and
 * {@code chromium-driver}; fails (never skips) without them. The screenshot lands in
 * {@code target/docs-screenshot.png}.
 */
class DocsBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aLookupTriedOutInSwaggerUiShowsKnotsRecords(@TempDir Path data, @TempDir Path profile) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "DocsBrowserTest drives "
                + CHROMIUM + " through " + CHROMEDRIVER + ": sudo apt-get install chromium chromium-driver");
        try (KnotServer knot = KnotServer.start();
             DnsDigServer server = DnsDigServer.start(Config.from(Map.of("DNSDIG_HTTP_PORT", "0",
                     "DNSDIG_DATA_DIR", data.toString(), "DNSDIG_DNS_PROVIDERS", knot.providerSpec("knot"))))) {
            String token = accessToken(server);
            // no OpenID Connect provider here: the document offers bearer tokens only
            JsonNode document = JSON.readTree(send(server, "GET", "/openapi.json", null).body());
            assertTrue(document.at("/components/securitySchemes/oauth2").isMissingNode(), document.at("/components").toString());
            WebDriver browser = chromium(profile);
            try {
                browser.get(server.baseUri() + "/docs");
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".info .title"), "DNSDig"));

                browser.findElement(By.cssSelector(".auth-wrapper button.authorize")).click();
                WebElement bearer = wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.xpath("//div[contains(@class,'auth-container')][.//h4[contains(.,'bearerAuth')]]")));
                bearer.findElement(By.tagName("input")).sendKeys(token);
                bearer.findElement(By.cssSelector("button.authorize")).click();
                wait.until(ExpectedConditions.textToBePresentInElement(bearer, "Authorized"));
                browser.findElement(By.cssSelector(".modal-ux button.close-modal")).click();
                wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-ux")));

                WebElement operation = browser.findElement(By.id("operations-resolve-resolve"));
                operation.findElement(By.cssSelector(".opblock-summary-control")).click();
                wait.until(ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector("button.try-out__btn")))).click();
                fill(wait, operation, "name", "www.dnsdig.test");
                fill(wait, operation, "type", "A");
                operation.findElement(By.cssSelector("button.execute")).click();

                WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#operations-resolve-resolve .live-responses-table .response .response-col_status")));
                assertEquals("200", status.getText().strip());
                WebElement body = browser.findElement(By.cssSelector("#operations-resolve-resolve .live-responses-table .response-col_description pre"));
                wait.until(ExpectedConditions.textToBePresentInElement(body, "192.0.2.11"));
                assertTrue(body.getText().contains("192.0.2.10"), body.getText());
                // the request the page sent carried the token, so the answer is the user's own lookup
                assertTrue(browser.findElement(By.cssSelector("#operations-resolve-resolve .curl-command")).getText()
                        .contains("Authorization: Bearer " + token));

                ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                        browser.findElement(By.cssSelector("#operations-resolve-resolve .request-url")));
                Files.write(Path.of("target", "docs-screenshot.png"),
                        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
                assertEquals(List.of(), errors.stream().map(LogEntry::getMessage).toList(), "the console, e.g. a refused script or style");
            } finally {
                browser.quit();
            }
        }
    }

    /** Replaces what Swagger UI put in a parameter's field (its example) with {@code value}. */
    private static void fill(WebDriverWait wait, WebElement operation, String parameter, String value) {
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(
                operation.findElement(By.cssSelector("tr[data-param-name='" + parameter + "'] input"))));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), value);
    }

    /** Chromium without any traffic of its own beyond loopback; Selenium Manager is never asked for a browser. */
    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-default-apps", "--disable-domain-reliability",
                "--no-default-browser-check", "--window-size=1280,1400", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Signs a user up and logs them in through the API; new users hold read:resolver. */
    private static String accessToken(DnsDigServer server) throws Exception {
        HttpResponse<String> signUp = send(server, "POST", "/v1/users",
                "{\"email\":\"docs@example.com\",\"username\":\"docs\",\"password\":\"Secret123\"}");
        assertEquals(201, signUp.statusCode(), signUp.body());
        HttpResponse<String> login = send(server, "POST", "/v1/auth/login", "{\"email\":\"docs@example.com\",\"password\":\"Secret123\"}");
        assertEquals(200, login.statusCode(), login.body());
        JsonNode tokens = JSON.readTree(login.body());
        assertTrue(tokens.path("scope").asText().contains("read:resolver"), login.body());
        return tokens.path("access_token").asText();
    }

    private static HttpResponse<String> send(DnsDigServer server, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP11.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
