package io.tcpgateway.connection;

import static io.tcpgateway.support.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Issue 24 and docs/behaviour.md, "Quiet connections": a connection without TLS that sends nothing for
 * {@code gateway.inbound.release-reader-after} holds no thread (its channel waits in the gateway's selector),
 * and nothing a client can see changes: its frames are answered in order when it talks again, frames for it
 * arrive in order however much is queued while it is quiet, the heartbeat still pings and times it out, a
 * frame begun still has the frame timeout, and its close (by the client or by an operator) frees its
 * descriptor. "Holds no thread" is read from the JVM's own thread dump, which lists virtual threads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=echoes", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[1].name=chat", "gateway.listeners[1].port=0",
        "gateway.inbound.release-reader-after=200ms", "gateway.inbound.frame-timeout=1s",
        "gateway.heartbeat.interval=2s", "gateway.heartbeat.timeout=4s", "gateway.outbound.max-pending-bytes=32MB" })
class QuietReadersIT {

    static final int CLIENTS = 100;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Test
    void quietConnectionsHoldNoReaderAndAreAnsweredInOrderWhenTheyTalkAgain() {
        long baseline = readerThreads(); // other tests' contexts share this JVM
        List<TcpTestClient> clients = new ArrayList<>();
        List<Peer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(TcpTestClient.connect(GatewayPorts.of(registrar, "echoes")));
            }
            await().until(() -> clients.stream().allMatch((client) -> Peers.of(registry, client) != null));
            clients.forEach((client) -> peers.add(Peers.of(registry, client)));
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.get(i).sendRaw(ascii("r" + round + "-c" + i + "-a\nr" + round + "-c" + i + "-b\n"));
                }
                for (int i = 0; i < CLIENTS; i++) {
                    assertThat(readFrame(clients.get(i))).isEqualTo("r" + round + "-c" + i + "-a");
                    assertThat(readFrame(clients.get(i))).isEqualTo("r" + round + "-c" + i + "-b");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> peers.stream().allMatch(QuietReadersIT::parked));
                assertThat(readerThreads()).isLessThanOrEqualTo(baseline);
            }
        }
        finally {
            clients.forEach(TcpTestClient::close);
        }
    }

    @Test
    void framesQueuedForAParkedConnectionBeyondItsSocketBuffersArriveEveryOneInOrder() {
        try (TcpTestClient receiver = TcpTestClient.connectNonReading(GatewayPorts.of(registrar, "chat"));
                TcpTestClient sender = TcpTestClient.connect(GatewayPorts.of(registrar, "chat"))) {
            Peer receiving = Peers.awaitPeer(registry, receiver);
            Peer sending = Peers.awaitPeer(registry, sender);
            await().atMost(Duration.ofSeconds(10)).until(() -> parked(receiving) && parked(sending));
            int frames = 80_000; // 8 MB: beyond what the kernel's buffers take on loopback, under the backlog bound
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < frames; i++) {
                all.append(frame(i)).append('\n');
            }
            sender.sendRaw(ascii(all.toString()));
            // The receiver sent nothing, so only its writer, finding the send buffer full, can have asked for its reader back.
            await().until(() -> !parked(receiving));
            for (int i = 0; i < frames; i++) {
                assertThat(readFrame(receiver)).isEqualTo(frame(i));
            }
            assertThat(receiving.isClosed()).isFalse();
        }
    }

    /**
     * A busy connection waits without a timeout (ChannelParkingTest); when it stops at once it may keep its
     * reader until its next read, at the latest its answer to the heartbeat's PING; then it parks.
     */
    @Test
    void aConnectionThatStopsAfterManyQuickRoundTripsParksAtTheLatestOnceItAnswersThePing() {
        try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "echoes"))) {
            Peer peer = Peers.awaitPeer(registry, client);
            for (int i = 0; i < 200; i++) {
                client.sendLine("quick " + i);
                assertThat(readFrame(client)).isEqualTo("quick " + i);
            }
            if (!parked(peer)) {
                assertThat(client.readLine()).isEqualTo("PING");
                client.sendLine("PONG");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> parked(peer));
            client.sendLine("after");
            assertThat(readFrame(client)).isEqualTo("after");
        }
    }

    @Test
    void aParkedConnectionIsPingedAndTimedOutByTheHeartbeat() {
        try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "echoes"))) {
            Peer peer = Peers.awaitPeer(registry, client);
            assertThat(client.readLine()).isEqualTo("PING");
            assertThat(client.readLineOrNullAtEnd()).isEqualTo("ERROR heartbeat timeout");
            await().until(peer::isClosed);
            assertThat(peer.closeReason()).isEqualTo(CloseReason.HEARTBEAT_TIMEOUT);
        }
    }

    @Test
    void aFrameBegunKeepsItsReaderAndItsFrameTimeout() {
        try (TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, "echoes"))) {
            Peer peer = Peers.awaitPeer(registry, client);
            client.sendRaw(ascii("half a fra"));
            assertThat(client.readLineOrNullAtEnd()).isEqualTo("ERROR frame timeout");
            await().until(peer::isClosed);
            assertThat(peer.closeReason()).isEqualTo(CloseReason.FRAME_TIMEOUT);
        }
    }

    @Test
    void aParkedConnectionClosedByItsClientOrAnOperatorIsClosedWithItsReasonAndItsDescriptorFreed() {
        long before = ChannelParkingTest.openDescriptors();
        TcpTestClient leaving = TcpTestClient.connect(GatewayPorts.of(registrar, "echoes"));
        TcpTestClient kicked = TcpTestClient.connect(GatewayPorts.of(registrar, "echoes"));
        Peer left = Peers.awaitPeer(registry, leaving);
        Peer kick = Peers.awaitPeer(registry, kicked);
        await().atMost(Duration.ofSeconds(10)).until(() -> parked(left) && parked(kick));
        leaving.close();
        kick.closeSaying(CloseReason.KICKED);
        assertThat(kicked.readLineOrNullAtEnd()).isEqualTo("ERROR kicked");
        kicked.awaitClosedByServer();
        kicked.close();
        await().until(() -> left.isClosed() && kick.isClosed());
        assertThat(left.closeReason()).isEqualTo(CloseReason.PEER);
        assertThat(kick.closeReason()).isEqualTo(CloseReason.KICKED);
        await().atMost(Duration.ofSeconds(5)).until(() -> ChannelParkingTest.openDescriptors() <= before);
    }

    /**
     * {@code release-reader-after: 0}: readers keep their threads (the way to compare, and the behaviour
     * before issue 24).
     */
    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "gateway.listeners[0].name=echoes", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
            "gateway.inbound.release-reader-after=0" })
    class SwitchedOff {

        @Autowired
        ListenerRegistrar keeping;

        @Test
        void quietConnectionsKeepTheirReaders() {
            long baseline = readerThreads();
            List<TcpTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(keeping, "echoes"));
                    clients.add(client);
                    client.sendLine("hello " + i);
                    assertThat(client.readLine()).isEqualTo("hello " + i);
                }
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> readerThreads() >= baseline + 20);
            }
            finally {
                clients.forEach(TcpTestClient::close);
            }
        }
    }

    static String frame(int i) {
        return "frame-" + i + "-" + "y".repeat(90);
    }

    /** The next frame, past the heartbeat's pings (every 2 s here). */
    static String readFrame(TcpTestClient client) {
        String line = client.readLine();
        return "PING".equals(line) ? client.readLine() : line;
    }

    static boolean parked(Peer peer) {
        return peer.connection().readerParked();
    }

    /** Threads in a connection's read loop, virtual ones included: the JVM's own thread dump. */
    static long readerThreads() {
        try {
            Path dump = Files.createTempFile("threads", ".txt");
            Files.delete(dump);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                return Files.readAllLines(dump).stream()
                        .filter((line) -> line.contains(GatewayConnection.class.getName() + ".readUntilDoneOrParked"))
                        .count();
            }
            finally {
                Files.deleteIfExists(dump);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
