package io.tcpgateway.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** CONTRACT section 3 with a short heartbeat: interval 200 ms, timeout 600 ms. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
        "gateway.listeners[1].name=talk", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.heartbeat.interval=200ms", "gateway.heartbeat.timeout=600ms", "gateway.heartbeat.ping=ARE-YOU-THERE" })
class HeartbeatIT {

    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration TIMEOUT = Duration.ofMillis(600);

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Test
    void aQuietConnectionIsSentTheConfiguredPing() {
        try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "chat"))) {
            assertThat(client.readLine()).isEqualTo("ARE-YOU-THERE");
            assertThat(registrar.listener("chat").stats().heartbeatsSent()).isPositive();
        }
    }

    @Test
    void aPeerThatVanishesWithoutClosingIsGoneWithinTimeoutPlusOneInterval() {
        // A client that neither reads nor writes nor closes looks, from the server, exactly like a peer
        // whose cable was pulled: no FIN, no RST, just silence.
        try (TcpTestClient vanished = TcpTestClient.connectNonReading(GatewayPorts.of(registrar, "chat"))) {
            Peer peer = await().until(() -> peerOf(vanished), java.util.Objects::nonNull);
            await().atMost(TIMEOUT.plus(INTERVAL).plusMillis(300)) // + scheduling slack
                    .until(() -> registry.find(peer.id()).isEmpty());
            assertThat(Duration.between(peer.connectedAt(), peer.closedAt())).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(peer.closeReason()).isEqualTo(CloseReason.HEARTBEAT_TIMEOUT);
            String line;
            String last = null;
            while ((line = vanished.readLineOrNullAtEnd()) != null) {
                last = line;
            }
            assertThat(last).as("told why before the close").isEqualTo("ERROR heartbeat timeout");
        }
    }

    @Test
    void aPeerThatAnswersPongOrTalksStaysConnected() {
        try (TcpTestClient answering = TcpTestClient.connect(GatewayPorts.of(registrar, "chat"));
                TcpTestClient talking = TcpTestClient.connect(GatewayPorts.of(registrar, "talk"))) {
            await().until(() -> peerOf(answering) != null && peerOf(talking) != null);
            AtomicLong pings = new AtomicLong();
            // For five timeouts: answer every ping with PONG on one, say something now and then on the other.
            await().pollInterval(Duration.ofMillis(50)).during(TIMEOUT.multipliedBy(5)).atMost(TIMEOUT.multipliedBy(8))
                    .until(() -> {
                String line;
                while ((line = answering.readLineIfAny()) != null) {
                    if (line.equals("ARE-YOU-THERE")) {
                        pings.incrementAndGet();
                        answering.sendLine("PONG");
                    }
                }
                talking.sendLine("still here");
                return peerOf(answering) != null && peerOf(talking) != null;
            });
            assertThat(pings.get()).isGreaterThan(3);
        }
    }

    @Test
    void aClientThatOnlyReceivesOnABusyListenerIsPingedAndStaysConnected() {
        try (TcpTestClient display = TcpTestClient.connect(GatewayPorts.of(registrar, "chat"));
                TcpTestClient talker = TcpTestClient.connect(GatewayPorts.of(registrar, "chat"))) {
            await().until(() -> peerOf(display) != null && peerOf(talker) != null);
            AtomicLong pings = new AtomicLong();
            AtomicLong received = new AtomicLong();
            // The display is written to all the time but never says anything unless asked: it must be asked.
            await().pollInterval(Duration.ofMillis(50)).during(TIMEOUT.multipliedBy(5)).atMost(TIMEOUT.multipliedBy(8))
                    .until(() -> {
                talker.sendLine("news " + received.get());
                String line;
                while ((line = display.readLineIfAny()) != null) {
                    if (line.equals("ARE-YOU-THERE")) {
                        pings.incrementAndGet();
                        display.sendLine("PONG");
                    }
                    else {
                        received.incrementAndGet();
                    }
                }
                while (talker.readLineIfAny() != null) {
                    // the talker's own pings: it talks, so it is never closed
                }
                return peerOf(display) != null;
            });
            assertThat(pings.get()).as("pinged although written to").isGreaterThan(3);
            assertThat(received.get()).isGreaterThan(10);
        }
    }

    private Peer peerOf(TcpTestClient client) {
        return Peers.of(registry, client);
    }
}
