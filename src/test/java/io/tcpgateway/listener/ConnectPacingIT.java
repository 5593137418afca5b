package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * CONTRACT section 2, {@code max-connect-rate}: a storm of four times the rate is accepted at the rate,
 * nobody is refused for it, and a client already connected keeps being served meanwhile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=paced", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].max-connect-rate=50" })
class ConnectPacingIT {

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    final List<TcpTestClient> storm = new ArrayList<>();

    @AfterEach
    void close() {
        storm.forEach(TcpTestClient::close);
    }

    @Test
    void aStormIsAcceptedAtTheRateAndNobodyIsRefused() {
        int port = GatewayPorts.of(registrar, "paced");
        try (TcpTestClient regular = TcpTestClient.connect(port)) {
            regular.sendLine("before");
            assertThat(regular.readLine()).isEqualTo("before");
            await().until(() -> registry.size() == 1);

            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                storm.add(TcpTestClient.connect(port)); // the kernel completes each handshake; accepting is paced
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> System.nanoTime() - started >= Duration.ofSeconds(1).toNanos());
            int afterOneSecond = registry.size() - 1;
            assertThat(afterOneSecond).as("accepted in the first second, at 50/s with a burst of 5")
                    .isBetween(20, 75);

            long rtt = System.nanoTime();
            regular.sendLine("during");
            assertThat(regular.readLine()).isEqualTo("during");
            assertThat(Duration.ofNanos(System.nanoTime() - rtt)).as("the connected client is served meanwhile")
                    .isLessThan(Duration.ofSeconds(1));

            await().atMost(Duration.ofSeconds(20)).until(() -> registry.size() == 201);
            Duration all = Duration.ofNanos(System.nanoTime() - started);
            assertThat(all).as("200 at 50/s").isBetween(Duration.ofMillis(3_000), Duration.ofSeconds(20));
            assertThat(registry.closed()).as("nobody refused").isEmpty();
            // Both figures are asserted above (the first second's count, the whole storm's time); printed for the docs.
            System.out.printf("max-connect-rate 50, 200 connections at once: %d accepted in the first second, all 200 in"
                    + " %d ms (%.1f/s)%n", afterOneSecond, all.toMillis(), 200 * 1000.0 / all.toMillis());
            TcpTestClient last = storm.getLast();
            last.sendLine("last one in");
            assertThat(last.readLine()).isEqualTo("last one in");
        }
    }
}
