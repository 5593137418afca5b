package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * CONTRACT section 4's write deadline: with a backlog bound far above the burst, a client that stops
 * reading would be kept until the bound; with {@code write-deadline} it is closed as a slow consumer once
 * its writer has made no progress for that long, while a reading client gets every frame in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
        "gateway.listeners[1].name=echo", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.outbound.max-pending-bytes=64MB", "gateway.outbound.write-deadline=1s" })
class WriteDeadlineIT {

    static final int FRAMES = 8_000;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Test
    void aClientThatStopsReadingIsASlowConsumerAfterTheWriteDeadlineLongBeforeItsBacklogIsFull() throws Exception {
        int port = GatewayPorts.of(registrar, "chat");
        try (TcpTestClient stuck = TcpTestClient.connectNonReading(port);
                TcpTestClient reader = TcpTestClient.connect(port);
                TcpTestClient producer = TcpTestClient.connect(port)) {
            Peer stuckPeer = Peers.awaitPeer(registry, stuck);
            Peers.awaitPeer(registry, reader);
            Peers.awaitPeer(registry, producer);
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < FRAMES; i++) {
                    assertThat(reader.readLine()).isEqualTo(frame(i));
                }
            }, (task) -> Thread.ofPlatform().start(task));
            long started = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) { // 8 MB: more than the stuck client's socket buffers hold
                producer.sendRaw((frame(i) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            reading.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(stuckPeer::isClosed);
            assertThat(stuckPeer.closeReason()).isEqualTo(CloseReason.SLOW_CONSUMER);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the deadline, not the 64 MB bound")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(stuckPeer.bytesOut()).as("it was written to before it stopped progressing")
                    .isLessThan(64L << 20);
        }
    }

    /**
     * An echo client's answers are written by its own reader: one that sends and never reads blocks that reader
     * (so it is no longer read from), and the write deadline closes it; a neighbour on the same listener is
     * answered every frame in order throughout.
     */
    @Test
    void anEchoClientThatNeverReadsIsASlowConsumerAfterTheWriteDeadlineWhileItsNeighbourIsAnswered() throws Exception {
        int port = GatewayPorts.of(registrar, "echo");
        try (TcpTestClient stuck = TcpTestClient.connectNonReading(port); TcpTestClient neighbour = TcpTestClient.connect(port)) {
            Peer stuckPeer = Peers.awaitPeer(registry, stuck);
            long started = System.nanoTime();
            Thread sending = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < FRAMES; i++) { // 8 MB: more than both ends' socket buffers hold
                        stuck.sendRaw((frame(i) + "\n").getBytes(StandardCharsets.US_ASCII));
                    }
                }
                catch (RuntimeException closedByTheGateway) {
                    // its sends block once nobody reads it, and fail once it is closed
                }
            });
            for (int i = 0; !stuckPeer.isClosed(); i++) {
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closed by the deadline")
                        .isLessThan(Duration.ofSeconds(30));
                neighbour.sendLine("neighbour " + i);
                assertThat(neighbour.readLine()).isEqualTo("neighbour " + i);
            }
            assertThat(stuckPeer.closeReason()).isEqualTo(CloseReason.SLOW_CONSUMER);
            stuck.close();
            sending.join(10_000);
        }
    }

    private static String frame(int i) {
        String number = i + ":";
        return number + "w".repeat(1023 - number.length());
    }
}
