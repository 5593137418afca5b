package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Haproxy;
import io.tcpgateway.support.TcpTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Debian's HAProxy in front (CONTRACT section 2, PROXY protocol; section 12, bans): one backend per PROXY
 * version, each with HAProxy's own health checks every 100 ms ({@code check check-send-proxy}: v2 sends
 * {@code LOCAL}, v1 a header naming HAProxy's own end of the check). Clients connect to HAProxy from
 * addresses of their own (127.0.0.0/8); the gateway sees every connection come from HAProxy at 127.0.0.1.
 * The client's address is the one in the admin API, the logs, the per-source limit and bans; the checks
 * are never clients, and with flapping detection on they never get the balancer banned, however long
 * they run (the last test waits until they have run for a minute). A third backend checks the readiness
 * endpoint over HTTP instead, as docs/kubernetes.md suggests for a balancer that should follow drains.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.flapping.enabled=true", "gateway.flapping.max-count=15", "gateway.flapping.window=1m",
        "gateway.listeners[0].name=v2", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].proxy-protocol=required", "gateway.listeners[0].trusted-proxies=127.0.0.1/32",
        "gateway.listeners[0].max-connections-per-source=2",
        "gateway.listeners[1].name=v1", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].proxy-protocol=required", "gateway.listeners[1].trusted-proxies=127.0.0.1/32" })
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaproxyIT {

    static final Duration CHECKS_RUN_FOR = Duration.ofMinutes(1);

    static Haproxy haproxy;
    static long haproxyStartedAt;
    static int frontendV2;
    static int frontendV1;
    static int frontendReadiness;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int managementPort;

    /** Once, as soon as the gateway's listeners have their ports. */
    @BeforeEach
    void startHaproxy() {
        if (haproxy != null) {
            return;
        }
        frontendV2 = GatewayPorts.free();
        frontendV1 = GatewayPorts.free();
        frontendReadiness = GatewayPorts.free();
        String config = String.format(Locale.ROOT, """
                global
                    maxconn 2000
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 1m
                    timeout server 1m
                    timeout check 2s
                frontend clients_v2
                    bind 127.0.0.1:%d
                    default_backend gateway_v2
                backend gateway_v2
                    server g1 127.0.0.1:%d send-proxy-v2 check check-send-proxy inter 100ms
                frontend clients_v1
                    bind 127.0.0.1:%d
                    default_backend gateway_v1
                backend gateway_v1
                    server g1 127.0.0.1:%d send-proxy check check-send-proxy inter 100ms
                frontend clients_readiness
                    bind 127.0.0.1:%d
                    default_backend gateway_readiness
                backend gateway_readiness
                    option httpchk GET /actuator/health/readiness
                    server g1 127.0.0.1:%d send-proxy-v2 check port %d inter 500ms
                """, frontendV2, GatewayPorts.of(registrar, "v2"), frontendV1, GatewayPorts.of(registrar, "v1"),
                frontendReadiness, GatewayPorts.of(registrar, "v2"), managementPort);
        haproxy = Haproxy.start(config, frontendV2, frontendV1, frontendReadiness);
        haproxyStartedAt = System.nanoTime();
    }

    @AfterAll
    static void stopHaproxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    @Order(1)
    void theClientsAddressIsTheOneInTheAdminApiAndTheLogsWithHaproxyAsProxyAddress(CapturedOutput output) {
        for (int frontend : new int[] { frontendV2, frontendV1 }) {
            String address = (frontend == frontendV2) ? "127.0.20.2" : "127.0.20.1";
            try (TcpTestClient client = TcpTestClient.connectFrom(address, frontend)) {
                client.sendLine("through haproxy");
                assertThat(client.readLine()).isEqualTo("through haproxy");
                int clientPort = client.socket().getLocalPort();
                JsonNode shown = await().until(() -> connectionFrom(address), (found) -> found != null);
                assertThat(shown.at("/remotePort").asInt()).as("the client's own port").isEqualTo(clientPort);
                assertThat(shown.at("/proxyAddress").asString()).as("HAProxy").isEqualTo("127.0.0.1");
                assertThat(output.getOut()).contains("Connection opened: listener=" + shown.at("/listener").asString()
                        + " id=" + shown.at("/id").asString() + " remote=" + address + ":" + clientPort);
            }
        }
    }

    @Test
    @Order(2)
    void thePerSourceLimitCountsEachClientNotTheBalancer() {
        List<TcpTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                TcpTestClient client = TcpTestClient.connectFrom("127.0.21.1", frontendV2);
                clients.add(client);
                client.sendLine("mine " + i);
                assertThat(client.readLine()).isEqualTo("mine " + i);
            }
            try (TcpTestClient third = TcpTestClient.connectFrom("127.0.21.1", frontendV2)) {
                assertThat(third.readLine()).isEqualTo("ERROR too many connections from your address");
                third.awaitClosedByServer();
            }
            try (TcpTestClient other = TcpTestClient.connectFrom("127.0.21.2", frontendV2)) {
                other.sendLine("another client, the same balancer");
                assertThat(other.readLine()).isEqualTo("another client, the same balancer");
            }
        }
        finally {
            clients.forEach(TcpTestClient::close);
        }
    }

    @Test
    @Order(3)
    void aBanRefusesTheClientBehindTheBalancerAndNobodyElse() {
        try (TcpTestClient before = TcpTestClient.connectFrom("127.0.22.2", frontendV1)) {
            before.sendLine("hello");
            assertThat(before.readLine()).isEqualTo("hello");
            assertThat(admin().post("/actuator/bans", "{\"address\":\"127.0.22.1\",\"duration\":\"PT10M\"}").status())
                    .isEqualTo(201);
            for (int frontend : new int[] { frontendV2, frontendV1 }) {
                try (TcpTestClient banned = TcpTestClient.connectFrom("127.0.22.1", frontend)) {
                    assertThat(banned.readLine()).isEqualTo("ERROR banned");
                    banned.awaitClosedByServer();
                }
            }
            before.sendLine("still here");
            assertThat(before.readLine()).as("a client at another address behind the same balancer").isEqualTo("still here");
            try (TcpTestClient after = TcpTestClient.connectFrom("127.0.22.3", frontendV2)) {
                after.sendLine("new");
                assertThat(after.readLine()).isEqualTo("new");
            }
        }
        finally {
            admin().delete("/actuator/bans/127.0.22.1");
        }
    }

    /**
     * A minute of checks every 100 ms on each backend, with flapping detection at 15 connections a minute:
     * about 600 checks each, counted apart, none of them a connection, a log line or a ban.
     */
    @Test
    @Order(4)
    void aMinuteOfHealthChecksIsNeverAClientAndNeverGetsTheBalancerBanned(CapturedOutput output) {
        double openedBefore = opened("v2") + opened("v1");
        await().atMost(CHECKS_RUN_FOR.plusSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> System.nanoTime() - haproxyStartedAt >= CHECKS_RUN_FOR.toNanos());
        assertThat(admin().get("/actuator/bans").json().at("/bans").findValuesAsString("address"))
                .as("the balancer is not banned").doesNotContain("127.0.0.1");
        assertThat(opened("v2") + opened("v1")).as("no check counted as a connection").isEqualTo(openedBefore);
        assertThat(admin().get("/actuator/connections").json().at("/connections").findValuesAsString("remoteAddress"))
                .doesNotContain("127.0.0.1");
        assertThat(output.getOut()).as("no connection of HAProxy's own in the log").doesNotContain("remote=127.0.0.1:");
        assertThat(haproxy.output()).as("HAProxy never saw a server down").doesNotContain("is DOWN");
        assertThat(meters.get("gateway.inbound.sockets").gauge().value()).as("every check's socket closed: no leak")
                .isLessThan(5);
        for (String listener : new String[] { "v2", "v1" }) {
            assertThat(healthChecks(listener)).as("checks on %s, every 100 ms for a minute", listener)
                    .isGreaterThan(300);
        }
        for (int frontend : new int[] { frontendV2, frontendV1, frontendReadiness }) {
            try (TcpTestClient client = TcpTestClient.connectFrom("127.0.23.1", frontend)) {
                client.sendLine("after a minute of checks");
                assertThat(client.readLine()).isEqualTo("after a minute of checks");
            }
        }
    }

    private JsonNode connectionFrom(String address) {
        for (JsonNode connection : admin().get("/actuator/connections").json().at("/connections")) {
            if (connection.at("/remoteAddress").asString().equals(address)) {
                return connection;
            }
        }
        return null;
    }

    private double opened(String listener) {
        return meters.get("gateway.connections.opened").tag("listener", listener).functionCounter().count();
    }

    private double healthChecks(String listener) {
        return meters.get("gateway.proxy.health-checks").tag("listener", listener).functionCounter().count();
    }

    private AdminClient admin() {
        return AdminClient.as(managementPort, "admin", "test-secret");
    }
}
