package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * CONTRACT section 4: a slow peer never holds up the others, it is closed as slow-consumer once its
 * backlog passes max-pending-bytes (the default 1 MiB; 20 000 frames of 1 KB are 20 MB, more than the
 * kernel buffers between the gateway and the slow peer can absorb),
 * and every receiver gets each sender's frames in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=flood", "gateway.listeners[0].port=0",
        "gateway.listeners[1].name=order", "gateway.listeners[1].port=0" })
class FlowControlIT {

    static final int FRAMES = 20_000;
    static final int WINDOW = 256;
    static final String PADDING = "p".repeat(980);

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Test
    void aPeerThatNeverReadsIsClosedAsSlowConsumerWhileAFastPeerGetsEveryFrameInOrder() throws Exception {
        int port = GatewayPorts.of(registrar, "flood");
        try (TcpTestClient slow = TcpTestClient.connectNonReading(port);
                TcpTestClient fast = TcpTestClient.connect(port);
                TcpTestClient sender = TcpTestClient.connect(port)) {
            await().until(() -> registrar.listener("flood").peers().size() == 3);
            String slowId = oldestPeerId("flood");

            // The sender stays at most WINDOW frames ahead of the fast peer: a peer that keeps up. The gateway
            // does not slow senders down, so a "fast" peer that fell a megabyte behind would be cut as well.
            Semaphore window = new Semaphore(WINDOW);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < FRAMES; i++) {
                    window.acquireUninterruptibly();
                    sender.sendLine("frame-" + i + "-" + PADDING);
                }
            });
            for (int i = 0; i < FRAMES; i++) {
                assertThat(fast.readLine()).isEqualTo("frame-" + i + "-" + PADDING);
                window.release();
            }
            flood.get(30, TimeUnit.SECONDS);

            await().until(() -> registry.closed().stream()
                    .anyMatch((peer) -> peer.id().equals(slowId) && peer.reason() == CloseReason.SLOW_CONSUMER));
            slow.awaitClosedByServer();
            assertThat(registry.find(slowId)).isEmpty();
        }
    }

    @Test
    void framesFromEachSenderReachEachReceiverInTheOrderTheyWereSent() throws Exception {
        int port = GatewayPorts.of(registrar, "order");
        int perSender = 5_000;
        try (TcpTestClient receiver = TcpTestClient.connect(port);
                TcpTestClient a = TcpTestClient.connect(port);
                TcpTestClient b = TcpTestClient.connect(port)) {
            await().until(() -> registrar.listener("order").peers().size() == 3);
            CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> sendNumbered(a, "a", perSender));
            CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> sendNumbered(b, "b", perSender));
            Map<String, Integer> next = new HashMap<>(Map.of("a", 0, "b", 0));
            for (int i = 0; i < 2 * perSender; i++) {
                String[] frame = receiver.readLine().split(":");
                assertThat(Integer.parseInt(frame[1])).as("next frame from " + frame[0]).isEqualTo(next.get(frame[0]));
                next.merge(frame[0], 1, Integer::sum);
            }
            CompletableFuture.allOf(fromA, fromB).get(30, TimeUnit.SECONDS);
        }
    }

    private static void sendNumbered(TcpTestClient client, String name, int count) {
        for (int i = 0; i < count; i++) {
            client.sendLine(name + ":" + i);
        }
    }

    /** Ids are a base-36 sequence, so the first client connected has the smallest. */
    private String oldestPeerId(String listener) {
        return registrar.listener(listener).peers().stream()
                .min(java.util.Comparator.comparingLong((Peer peer) -> Long.parseLong(peer.id().substring(1), 36)))
                .orElseThrow().id();
    }
}
