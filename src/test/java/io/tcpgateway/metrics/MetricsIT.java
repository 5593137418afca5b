package io.tcpgateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * CONTRACT section 7: every metric, by its Prometheus name and tags, scraped from /actuator/prometheus
 * while real clients make each close reason happen.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.heartbeat.interval=250ms", "gateway.heartbeat.timeout=1500ms",
        "gateway.listeners[0].name=metered", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].max-frame-bytes=16", "gateway.listeners[0].max-connections=2",
        "gateway.listeners[1].name=other", "gateway.listeners[1].port=0" })
class MetricsIT {

    @LocalServerPort
    int managementPort;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Test
    void everyCloseReasonAndEveryCounterShowsUpUnderItsNameAndTags() {
        int port = GatewayPorts.of(registrar, "metered");
        AdminClient admin = AdminClient.as(managementPort, "admin", "test-secret");

        try (TcpTestClient talker = TcpTestClient.connect(port)) {
            talker.sendLine("hello");           // 6 bytes in
            assertThat(talker.readLine()).isEqualTo("hello"); // 6 bytes out
            await().until(() -> metric("gateway_connections_active", "metered") == 1);
            assertThat(metric("gateway_frames_in_total", "metered")).isEqualTo(1);
            assertThat(metric("gateway_bytes_in_total", "metered")).isEqualTo(6);
            await().until(() -> metric("gateway_frames_out_total", "metered") >= 1);
            assertThat(metric("gateway_bytes_out_total", "metered")).isGreaterThanOrEqualTo(6);
        }
        await().until(() -> closed("peer") == 1);

        try (TcpTestClient kicked = TcpTestClient.connect(port)) {
            String id = await().until(() -> registry.all().stream().map((p) -> p.id()).findFirst().orElse(null),
                    (found) -> found != null);
            assertThat(admin.delete("/actuator/connections/" + id).status()).isEqualTo(204);
            kicked.awaitClosedByServer();
        }
        await().until(() -> closed("kicked") == 1);

        try (TcpTestClient oversized = TcpTestClient.connect(port)) {
            oversized.sendLine("this line is longer than sixteen bytes");
            assertThat(oversized.readLine()).isEqualTo("ERROR frame too large");
            oversized.awaitClosedByServer();
        }
        await().until(() -> closed("frame-too-large") == 1);

        try (TcpTestClient one = TcpTestClient.connect(port); TcpTestClient two = TcpTestClient.connect(port)) {
            await().until(() -> metric("gateway_connections_active", "metered") == 2);
            try (TcpTestClient third = TcpTestClient.connect(port)) {
                assertThat(third.readLine()).isEqualTo("ERROR server full");
            }
            await().until(() -> closed("rejected") == 1);
            // Neither says anything: the heartbeat pings them, then closes them.
            await().until(() -> closed("heartbeat-timeout") == 2);
            assertThat(metric("gateway_heartbeats_sent_total", "metered")).isGreaterThanOrEqualTo(2);
        }

        assertThat(metric("gateway_connections_opened_total", "metered")).isEqualTo(6);
        assertThat(metric("gateway_connections_active", "metered")).isZero();
        for (String reason : new String[] {"slow-consumer", "shutdown", "error", "replaced", "duplicate"}) {
            assertThat(closed(reason)).as("registered before it ever happens: " + reason).isZero();
        }
        assertThat(metric("gateway_connections_opened_total", "other")).as("per-listener tags").isZero();
        // Registered from start-up; FlowControlIT and AcceptErrorsIT make them move.
        assertThat(metric("gateway_producer_stalls_total", "metered")).isZero();
        assertThat(metric("gateway_accept_errors_total", "metered")).isZero();
        // CONTRACT section 14's, from start-up too; PrincipalsIT makes them move.
        String scrape = scrape();
        for (String result : new String[] {"delivered", "queued", "expired", "refused"}) {
            assertThat(value(scrape, "gateway_principals_messages_total\\{result=\"" + result + "\"}")).as(result).isZero();
        }
        assertThat(value(scrape, "gateway_principals_queued")).isZero();
    }

    private double closed(String reason) {
        return value(scrape(), "gateway_connections_closed_total\\{listener=\"metered\",reason=\"" + reason + "\"}");
    }

    private double metric(String name, String listener) {
        return value(scrape(), Pattern.quote(name) + "\\{listener=\"" + listener + "\"}");
    }

    private String scrape() {
        AdminClient.Response response = AdminClient.anonymous(managementPort).get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private static double value(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("series " + series + " in\n" + scrape).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
