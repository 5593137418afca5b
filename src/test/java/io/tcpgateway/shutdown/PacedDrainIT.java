package io.tcpgateway.shutdown;

import static io.tcpgateway.support.Probes.readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayProcess;
import io.tcpgateway.support.TcpTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 5, {@code grace-period} and {@code evict-rate}, on the jar as a child process under
 * SIGTERM: readiness is OUT_OF_SERVICE from the first moment, goodbyes are spread at the rate, and during
 * the grace period connections stay and new ones are still taken.
 */
class PacedDrainIT {

    static final String BYE = "BYE server shutting down";

    @Test
    void at100GoodbyesASecond500ClientsGetTheirByeSpreadOverAboutFiveSeconds() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("GATEWAY_ADMIN_PASSWORD", "test-secret"),
                "--gateway.listeners[0].name=chat", "--gateway.listeners[0].port=0",
                "--gateway.shutdown.evict-rate=100", "--gateway.shutdown.drain-timeout=20s");
                ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            int chat = gateway.awaitListenerPort("chat");
            AdminClient admin = AdminClient.as(gateway.awaitHttpPort(), "admin", "test-secret");
            List<TcpTestClient> clients = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                clients.add(TcpTestClient.connect(chat));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.get("/actuator/gateway").json().at("/connections").asInt() == 500);
            long[] byeAt = new long[clients.size()];
            List<CompletableFuture<Void>> goodbyes = new ArrayList<>();
            long terminatedAt = System.nanoTime();
            for (int i = 0; i < clients.size(); i++) {
                int index = i;
                goodbyes.add(CompletableFuture.runAsync(() -> {
                    assertThat(clients.get(index).readLine()).isEqualTo(BYE);
                    byeAt[index] = System.nanoTime() - terminatedAt;
                }, readers));
            }
            gateway.terminate();
            int httpPort = gateway.awaitHttpPort();
            await().atMost(Duration.ofSeconds(5)).until(() -> readiness(httpPort) == 503);
            long goodbyesBeforeReadinessSeen = Arrays.stream(byeAt).filter((at) -> at > 0).count();
            // The drain flips readiness before its first goodbye; seen from here (a poll every 100 ms, on a
            // loaded machine) while most of the 500 still wait for theirs.
            assertThat(goodbyesBeforeReadinessSeen).as("readiness is OUT_OF_SERVICE from the first moment").isLessThan(250);

            CompletableFuture.allOf(goodbyes.toArray(CompletableFuture[]::new)).get();
            assertThat(gateway.awaitExit(Duration.ofSeconds(30))).isZero();
            long first = Arrays.stream(byeAt).min().orElseThrow();
            long last = Arrays.stream(byeAt).max().orElseThrow();
            Duration spread = Duration.ofNanos(last - first);
            long byHalfTime = Arrays.stream(byeAt).filter((at) -> at <= first + Duration.ofMillis(2500).toNanos()).count();
            System.out.printf("PacedDrainIT: 500 goodbyes spread over %d ms, %d by 2.5 s%n", spread.toMillis(), byHalfTime);
            assertThat(spread).as("500 at 100/s").isBetween(Duration.ofMillis(4300), Duration.ofMillis(6500));
            assertThat(byHalfTime).as("evenly, not in bursts").isBetween(180L, 330L);
            clients.forEach(TcpTestClient::close);
        }
    }

    @Test
    void duringTheGracePeriodConnectionsStayAndNewOnesAreTakenThenAllGetTheirBye() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("GATEWAY_ADMIN_PASSWORD", "test-secret"),
                "--gateway.listeners[0].name=chat", "--gateway.listeners[0].port=0",
                "--gateway.shutdown.grace-period=6s", "--gateway.shutdown.drain-timeout=10s")) {
            int chat = gateway.awaitListenerPort("chat");
            int httpPort = gateway.awaitHttpPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness(httpPort) == 200); // as a kubelet would see it
            try (TcpTestClient before = TcpTestClient.connect(chat)) {
                before.sendLine("PING");
                assertThat(before.readLine()).isEqualTo("PONG");
                long terminatedAt = System.nanoTime();
                gateway.terminate();
                await().atMost(Duration.ofSeconds(5)).until(() -> readiness(httpPort) == 503);
                long readinessSeenAfter = System.nanoTime() - terminatedAt;
                assertThat(Duration.ofNanos(readinessSeenAfter)).as("readiness turns at once, long before the goodbyes")
                        .isLessThan(Duration.ofSeconds(5));
                try (TcpTestClient during = TcpTestClient.connect(chat)) {
                    during.sendLine("PING");
                    assertThat(during.readLine()).as("a client sent by a balancer that has not noticed yet").isEqualTo("PONG");
                    before.sendLine("PING");
                    assertThat(before.readLine()).as("connections stay during the grace period").isEqualTo("PONG");
                    assertThat(Duration.ofNanos(System.nanoTime() - terminatedAt)).as("all of it within the grace period")
                            .isLessThan(Duration.ofSeconds(6));
                    assertThat(before.readLine()).isEqualTo(BYE);
                    assertThat(Duration.ofNanos(System.nanoTime() - terminatedAt)).as("not before the grace period")
                            .isGreaterThan(Duration.ofMillis(5800));
                    System.out.printf("PacedDrainIT: readiness 503 seen after %d ms%n", readinessSeenAfter / 1_000_000);
                    assertThat(during.readLine()).isEqualTo(BYE);
                }
            }
            assertThat(gateway.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    /**
     * A SIGTERM while the gateway is still starting (its listeners bind before Spring Boot declares it
     * ready): Boot's late "ready" must not undo the drain's OUT_OF_SERVICE (it did, found by the test above).
     */
    @Test
    void aSigtermWhileStartingIsNeverFollowedByReadiness() {
        try (GatewayProcess gateway = GatewayProcess.start("--gateway.listeners[0].name=chat", "--gateway.listeners[0].port=0",
                "--gateway.shutdown.grace-period=4s")) {
            gateway.awaitListenerPort("chat");
            gateway.terminate();
            int httpPort = gateway.awaitHttpPort();
            gateway.awaitOutput("Draining: (readiness) is OUT_OF_SERVICE");
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofMillis(3500)).until(() -> readiness(httpPort) != 200);
            assertThat(gateway.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }
}
