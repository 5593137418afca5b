package io.tcpgateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * CONTRACT section 6, {@code /dashboard}, in a real browser: Debian's headless Chromium driven by Selenium
 * through Debian's chromedriver (nothing is downloaded; .ci/run installs both). It logs in, sees the
 * connection count of real TCP clients, kicks one (the client gets its goodbye and is closed), broadcasts
 * (the clients get the frame), and takes the screenshot the README shows ({@code target/dashboard.png},
 * copied to docs/).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
        "gateway.listeners[1].name=devices", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[2].name=fleet", "gateway.listeners[2].port=0", "gateway.listeners[2].auth=token",
        // printf %s dashboard-token-a | sha256sum
        "gateway.auth.tokens.device-a=b1ac1fee9be7158b4940b55c5c9e60f3c55a413cdb897dad6b3f0f01198a5498" })
class DashboardBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static ChromeDriver browser;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @LocalServerPort
    int managementPort;

    final List<TcpTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startBrowser() {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").exists();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
    }

    @Test
    void anOperatorSeesTheConnectionsKicksOneAndBroadcasts() throws Exception {
        for (int i = 0; i < 3; i++) {
            TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "chat"));
            clients.add(client);
            Peers.awaitPeer(registry, client);
        }
        TcpTestClient device = TcpTestClient.connect(GatewayPorts.of(registrar, "devices"));
        clients.add(device);
        device.sendLine("hello");
        assertThat(device.readLine()).isEqualTo("hello");

        // Logging in: the credentials in the URL answer the page's Basic challenge, as a person would in the
        // browser's prompt; the page then runs at its plain URL, where the browser keeps sending them.
        browser.get("http://admin:test-secret@127.0.0.1:" + managementPort + "/dashboard");
        browser.get("http://127.0.0.1:" + managementPort + "/dashboard");
        await().atMost(Duration.ofSeconds(15)).until(() -> total().equals("4"));
        browser.executeScript("const s = document.createElement('script'); s.textContent = 'window.injected = true';"
                + " document.head.appendChild(s);");
        assertThat(browser.executeScript("return window.injected === true ? 'ran' : 'blocked';"))
                .as("the browser enforces the page's Content-Security-Policy: an injected inline script does not run")
                .isEqualTo("blocked");
        assertThat(browser.findElement(By.id("listeners")).getText()).contains("chat").contains("devices").contains("accepting");

        // Filter by listener, then kick the oldest chat client from its row.
        await().until(() -> !browser.findElements(By.cssSelector("#filter-listener option[value='chat']")).isEmpty());
        browser.findElement(By.cssSelector("#filter-listener option[value='chat']")).click();
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        await().until(() -> total().equals("3"));
        String kickedId = Peers.awaitPeer(registry, clients.get(0)).id();
        row(kickedId).findElement(By.xpath(".//button[text()='Kick']")).click();
        assertThat(clients.get(0).readLine()).as("the kicked client gets its goodbye").isEqualTo("ERROR kicked");
        clients.get(0).awaitClosedByServer();
        await().until(() -> total().equals("2") && browser.findElements(By.cssSelector("tr[data-id='" + kickedId + "']")).isEmpty());
        assertThat(status()).contains("kick " + kickedId + ": 204");

        WebElement message = browser.findElement(By.id("broadcast-message"));
        message.sendKeys("maintenance at 22:00");
        browser.findElement(By.cssSelector("#broadcast button[type=submit]")).click();
        await().until(() -> status().contains("broadcast: 200"));
        assertThat(status()).contains("\"delivered\":3");
        for (TcpTestClient client : clients.subList(1, clients.size())) {
            assertThat(client.readLine()).isEqualTo("maintenance at 22:00");
        }

        // Some traffic for the charts of the screenshot: the echo client talks for a few polls.
        Thread talker = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; !Thread.currentThread().isInterrupted() && i < 100_000; i++) {
                    device.sendLine("reading " + i);
                    device.readLine();
                }
            }
            catch (RuntimeException closed) {
                // the test is over and closed the client
            }
        });
        try {
            // Read in the page in one go: the chart is redrawn every poll, so an element found first may be gone next.
            await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.executeScript("const line = "
                    + "document.querySelector('#chart-frames-in polyline'); return line ? line.getAttribute('points').split(' ').length : 0;"))
                    .intValue() >= 5);
        }
        finally {
            talker.interrupt();
        }
        Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(screenshot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anOperatorSendsToAPrincipalQueuesForAnOfflineOneAndSeesItsQueue() {
        TcpTestClient device = TcpTestClient.connect(GatewayPorts.of(registrar, "fleet"));
        clients.add(device);
        device.sendLine("AUTH dashboard-token-a");
        assertThat(device.readLine()).isEqualTo("OK");
        browser.get("http://admin:test-secret@127.0.0.1:" + managementPort + "/dashboard");
        browser.get("http://127.0.0.1:" + managementPort + "/dashboard");

        type("principal-name", "device-a");
        type("principal-message", "hello device-a");
        browser.findElement(By.cssSelector("#principal button[type=submit]")).click();
        await().until(() -> status().contains("send to device-a: 200"));
        assertThat(status()).contains("\"delivered\":1");
        assertThat(device.readLine()).isEqualTo("hello device-a");
        await().until(() -> browser.findElement(By.id("principal-info")).getText().contains("device-a: 1 connection(s)"));

        type("principal-name", "device-b");
        type("principal-message", "when you are back");
        type("principal-ttl", "PT1H");
        browser.findElement(By.cssSelector("#principal button[type=submit]")).click();
        await().until(() -> status().contains("send to device-b: 202"));
        await().until(() -> browser.findElement(By.id("principal-info")).getText().contains("0 connection(s); 1 queued"));
        type("filter-principal", "device-b");
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        await().until(() -> "1".equals(browser.findElement(By.id("principal-queued")).getAttribute("data-queued")));

        browser.findElement(By.id("principal-disconnect")).click();
        await().until(() -> status().contains("disconnect device-b: 204"));
        type("filter-principal", "");
        assertThat(AdminClient.as(managementPort, "admin", "test-secret").get("/actuator/principals/device-b").status())
                .isEqualTo(404);
    }

    private void type(String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    @Test
    void thePageNeedsTheAdminCredentialsAndLoadsNothingFromElsewhere() {
        AdminClient anonymous = AdminClient.anonymous(managementPort);
        assertThat(anonymous.get("/dashboard").status()).isEqualTo(401);
        assertThat(anonymous.get("/dashboard/app.js").status()).isEqualTo(401);
        AdminClient admin = AdminClient.as(managementPort, "admin", "test-secret");
        for (String path : List.of("/dashboard", "/dashboard/app.js", "/dashboard/app.css")) {
            AdminClient.Response page = admin.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.body()).as("%s: no CDN, no request to the internet", path).doesNotContain("://");
            assertThat(page.header("Content-Security-Policy")).as(path).contains("default-src 'none'")
                    .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe");
        }
    }

    private String total() {
        return browser.findElement(By.id("connections-total")).getAttribute("data-total") instanceof String total ? total : "";
    }

    private String status() {
        return browser.findElement(By.id("status")).getText();
    }

    private WebElement row(String id) {
        return await().until(() -> browser.findElements(By.cssSelector("tr[data-id='" + id + "']")), (rows) -> !rows.isEmpty())
                .get(0);
    }
}
