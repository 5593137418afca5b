package io.tcpgateway.shutdown;

import static io.tcpgateway.support.Probes.liveness;
import static io.tcpgateway.support.Probes.readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.GatewayProcess;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT sections 5 and 8 on the real process: SIGTERM drains (readiness OUT_OF_SERVICE at once,
 * no new connections, BYE to every peer, closed within drain-timeout) and exits 0; a bad value exits
 * non-zero naming the property.
 */
class ProcessLifecycleIT {

    @Test
    void sigtermDrainsEveryPeerWithTheShutdownMessageAndExitsZero() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].name=chat",
                "--gateway.listeners[0].port=0", "--gateway.shutdown.drain-timeout=4s",
                "--gateway.outbound.max-pending-bytes=64MB")) {
            int port = gateway.awaitListenerPort("chat");
            int http = gateway.awaitHttpPort();
            assertThat(readiness(http)).isEqualTo(200);
            String password = gateway.awaitOutput("management API password for user 'admin' is: (\\S+)");
            assertThat(AdminClient.as(http, "admin", password).get("/actuator/gateway").status())
                    .as("the generated password works").isEqualTo(200);
            assertThat(AdminClient.as(http, "admin", "admin").get("/actuator/gateway").status()).isEqualTo(401);
            assertThat(gateway.output().split("management API password", -1)).as("logged once").hasSize(2);
            try (TcpTestClient reader = TcpTestClient.connect(port);
                    TcpTestClient stuck = TcpTestClient.connectNonReading(port);
                    TcpTestClient sender = TcpTestClient.connect(port)) {
                // Fill the stuck peer's socket buffers so its goodbye cannot be written: the drain then
                // has to wait for drain-timeout, and readiness can be watched meanwhile.
                byte[] chunk = ("x".repeat(1023) + "\n").repeat(1024).getBytes();
                for (int i = 0; i < 8; i++) {
                    sender.sendRaw(chunk);
                }
                for (int i = 0; i < 8 * 1024; i++) {
                    reader.readLine();
                }
                long terminatedAt = System.nanoTime();
                gateway.terminate();

                assertThat(reader.readLine()).isEqualTo("BYE server shutting down");
                reader.awaitClosedByServer();
                await().atMost(Duration.ofSeconds(3)).until(() -> readiness(http) == 503);
                assertThat(readinessBody(http)).contains("\"status\":\"OUT_OF_SERVICE\"");
                assertThat(liveness(http)).as("a draining pod is not restarted").isEqualTo(200);
                assertThat(acceptsConnections(port)).as("listeners stop accepting").isFalse();

                assertThat(gateway.awaitExit(Duration.ofSeconds(20))).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - terminatedAt)).isLessThan(Duration.ofSeconds(15));
                assertThat(gateway.output().split("reason=shutdown", -1)).as("all three peers closed for shutdown")
                        .hasSize(4);
                assertThat(gateway.output()).doesNotContain("reason=error");
            }
        }
    }

    /**
     * A fixed port, as in production: each listener's factory must start exactly once (with port 0 a
     * second start would bind a second port unnoticed), and start-up logs no exception.
     */
    @Test
    void aListenerOnAFixedPortStartsOnceAndEchoes() throws Exception {
        int fixed = GatewayPorts.free();
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].name=echo",
                "--gateway.listeners[0].port=" + fixed, "--gateway.listeners[0].mode=echo",
                "--gateway.listeners[1].name=chat", "--gateway.listeners[1].port=0")) {
            assertThat(gateway.awaitListenerPort("echo")).isEqualTo(fixed);
            gateway.awaitListenerPort("chat");
            try (TcpTestClient client = TcpTestClient.connect(fixed)) {
                client.sendLine("first");
                assertThat(client.readLine()).isEqualTo("first");
            }
            assertThat(gateway.output()).doesNotContain("Exception").doesNotContain(" ERROR ");
        }
    }

    /**
     * The chart's way to bring static tokens (docs/kubernetes.md): a Secret mounted as files, one per token
     * name, read with Spring Boot's configtree, even with the trailing newline {@code --from-file} leaves.
     */
    @Test
    void staticTokensCanComeFromFilesAsAKubernetesSecretVolumeHoldsThem() throws Exception {
        Path mount = Files.createTempDirectory("tokens");
        Path tokens = Files.createDirectories(mount.resolve("gateway/auth/tokens"));
        Files.writeString(tokens.resolve("device-a"), TestCertificates.sha256Hex("from-a-secret") + "\n");
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].name=chat",
                "--gateway.listeners[0].port=0", "--gateway.listeners[0].auth=token",
                "--spring.config.import=optional:configtree:" + mount + "/")) {
            try (TcpTestClient client = TcpTestClient.connect(gateway.awaitListenerPort("chat"))) {
                client.sendLine("AUTH from-a-secret");
                assertThat(client.readLine()).isEqualTo("OK");
            }
            assertThat(gateway.awaitOutput("Connection authenticated: .* principal=(device-a)")).isEqualTo("device-a");
        }
    }

    /** CONTRACT section 2: one property of one listener, from the command line or the environment. */
    @Test
    void oneListenerPropertyCanBeOverriddenFromTheCommandLineOrTheEnvironment() {
        int fromArgs = GatewayPorts.free();
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].port=" + fromArgs)) {
            assertThat(gateway.awaitListenerPort("chat")).as("listener 0 is still chat, from application.yml")
                    .isEqualTo(fromArgs);
        }
        int fromEnvironment = GatewayPorts.free();
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("GATEWAY_LISTENERS_0_PORT", String.valueOf(fromEnvironment)))) {
            assertThat(gateway.awaitListenerPort("chat")).isEqualTo(fromEnvironment);
        }
    }

    /**
     * CONTRACT section 8 and issue 21: a typo stops start-up in the gateway's own report, with the nearest
     * known property, and nothing else: no bean-creation error, no binder dump.
     */
    @Test
    void anUnknownKeyExitsNonZeroNamingItAndTheNearestKnownOne() {
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].port=0",
                "--gateway.heartbeat.intervall=5s")) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(gateway.output()).contains("Invalid gateway configuration").contains("Property: gateway.heartbeat.intervall")
                    .contains("Value: \"5s\"").contains("did you mean gateway.heartbeat.interval?")
                    .doesNotContain("Error creating bean").doesNotContain("Binding to target").doesNotContain("Tomcat initialized");
        }
    }

    /** Issue 21: environment variables with typos used to start silently. */
    @Test
    void aMistypedEnvironmentVariableExitsNonZeroNamingIt() {
        for (Map.Entry<String, String> typo : Map.of("GATEWAY_HEARTBEAT_INTERVALL", "GATEWAY_HEARTBEAT_INTERVAL (gateway.heartbeat.interval)",
                "GATEWAY_LISTENERS_0_MAX_CONECTIONS", "GATEWAY_LISTENERS_0_MAXCONNECTIONS (gateway.listeners[0].max-connections)")
                .entrySet()) {
            try (GatewayProcess gateway = GatewayProcess.start(Map.of(typo.getKey(), "5"), "--gateway.listeners[0].port=0")) {
                assertThat(gateway.awaitExit(Duration.ofSeconds(60))).as(typo.getKey()).isNotZero();
                assertThat(gateway.output()).contains("Property: " + typo.getKey()).contains("did you mean " + typo.getValue())
                        .doesNotContain("Error creating bean");
            }
        }
    }

    /** What Kubernetes service links and Docker links inject for a Service called gateway is not configuration. */
    @Test
    void serviceLinkVariablesAndEveryRelaxedSpellingStart() {
        Map<String, String> environment = Map.of("GATEWAY_SERVICE_HOST", "10.96.0.12", "GATEWAY_SERVICE_PORT", "9000",
                "GATEWAY_PORT", "tcp://10.96.0.12:9000", "GATEWAY_PORT_9000_TCP_ADDR", "10.96.0.12",
                "GATEWAY_HEARTBEAT_INTERVAL", "20s", "GATEWAY_LISTENERS_0_MAX_CONNECTIONS", "50",
                "GATEWAY_LISTENERS_0_MAXCONNECTIONS", "50", "GATEWAY_AUTH_TOKENS_DEVICEA", TestCertificates.sha256Hex("x"));
        try (GatewayProcess gateway = GatewayProcess.start(environment, "--gateway.listeners[0].port=0",
                "--gateway.listeners[0].maxFrameBytes=1024", "--gateway.outbound.max_stall=20ms")) {
            assertThat(gateway.awaitListenerPort("chat")).isPositive();
        }
    }

    @Test
    void aBadValueExitsNonZeroNamingTheProperty() {
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].name=chat",
                "--gateway.listeners[0].port=70000")) {
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(gateway.output()).contains("gateway.listeners[0].port").contains("70000");
        }
    }

    @Test
    void structuredLogsAreJsonLinesCarryingTheConnectionFactsAndTheAdminPasswordComesFromTheEnvironment() {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("GATEWAY_ADMIN_PASSWORD", "from-the-environment"),
                "--logging.structured.format.console=ecs", "--gateway.listeners[0].name=chat",
                "--gateway.listeners[0].port=0")) {
            int port = gateway.awaitListenerPort("chat");
            int http = gateway.awaitHttpPort();
            assertThat(AdminClient.as(http, "admin", "from-the-environment").get("/actuator/gateway").status())
                    .as("GATEWAY_ADMIN_PASSWORD is the password").isEqualTo(200);
            assertThat(gateway.output()).doesNotContain("management API password");
            try (TcpTestClient client = TcpTestClient.connect(port)) {
                client.sendLine("PING");
                assertThat(client.readLine()).isEqualTo("PONG");
            }
            await().until(() -> gateway.output().contains("Connection closed"));
            String closedLine = gateway.output().lines().filter((line) -> line.contains("Connection closed"))
                    .findFirst().orElseThrow();
            assertThat(closedLine).startsWith("{").endsWith("}").contains("\"reason\":\"peer\"")
                    .contains("\"listener\":\"chat\"").contains("\"connectionId\":\"c1\"")
                    .contains("\"remote\":\"127.0.0.1:");
        }
    }

    private static String readinessBody(int port) {
        return AdminClient.anonymous(port).get("/actuator/health/readiness").body();
    }

    private static boolean acceptsConnections(int port) {
        try (TcpTestClient late = TcpTestClient.connect(port)) {
            return true;
        }
        catch (RuntimeException refused) {
            return false;
        }
    }
}
