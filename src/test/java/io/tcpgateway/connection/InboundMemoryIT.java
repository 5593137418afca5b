package io.tcpgateway.connection;

import static io.tcpgateway.support.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * CONTRACT section 4's bound on memory held for clients, over real sockets, with a small budget and a
 * short frame timeout: partial frames that stop (slowloris) are closed with {@code ERROR frame timeout},
 * one that keeps arriving is not; with the budget used up, the connections that want more stop being
 * read and are closed once their frames made no progress for the frame timeout, while a client sending
 * small frames is answered throughout, every frame, in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.inbound.max-buffered-bytes=512KB", "gateway.inbound.frame-timeout=1s",
        "gateway.listeners[0].name=lines", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].max-frame-bytes=131072",
        "gateway.listeners[1].name=binary", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].framing=length-prefix", "gateway.listeners[1].max-frame-bytes=131072" })
class InboundMemoryIT {

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    InboundBudget budget;

    @Autowired
    MeterRegistry meters;

    final List<TcpTestClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(TcpTestClient::close);
        await().until(() -> budget.heldBytes() == 0);
    }

    @Test
    void aPartialFrameThatStopsArrivingIsClosedAfterTheFrameTimeout() {
        double before = closed(CloseReason.FRAME_TIMEOUT);
        TcpTestClient halfLine = connect("lines");
        halfLine.sendRaw(ascii("half a line and then nothing"));
        TcpTestClient headerOnly = connect("binary");
        headerOnly.sendRaw(new byte[] { 0, 1, 0, 0 }); // announces 65 536 bytes, sends none
        long started = System.nanoTime();
        assertThat(halfLine.readLine()).isEqualTo("ERROR frame timeout");
        assertThat(new String(headerOnly.readLengthPrefixed(), StandardCharsets.US_ASCII)).isEqualTo("ERROR frame timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
        halfLine.awaitClosedByServer();
        headerOnly.awaitClosedByServer();
        await().until(() -> closed(CloseReason.FRAME_TIMEOUT) >= before + 2);
    }

    @Test
    void aFrameThatKeepsArrivingIsNotTimedOutHoweverLongItTakes() {
        TcpTestClient trickle = connect("lines");
        for (int i = 0; i < 8; i++) { // 8 × 300 ms: far over the 1 s frame timeout in all, never 1 s without a byte
            trickle.sendRaw(ascii("part" + i + " "));
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        }
        trickle.sendRaw(ascii("end\n"));
        assertThat(trickle.readLine()).startsWith("part0 part1").endsWith("part7 end");
        TcpTestClient idle = connect("lines");
        LockSupport.parkNanos(Duration.ofMillis(1500).toNanos());
        idle.sendLine("between frames, silence is the heartbeat's business");
        assertThat(idle.readLine()).isEqualTo("between frames, silence is the heartbeat's business");
    }

    @Test
    void withTheBudgetUsedUpLargePartialFramesWaitAndAreClosedWhileSmallFramesAreServed() {
        TcpTestClient good = connect("lines");
        TcpTestClient goodBinary = connect("binary");
        double pausesBefore = meters.get("gateway.inbound.memory.pauses").functionCounter().count();
        List<TcpTestClient> hogs = new ArrayList<>();
        byte[] almostALine = new byte[100_000];
        Arrays.fill(almostALine, (byte) 'h');
        for (int i = 0; i < 12; i++) { // 12 × ~128 KB of partial frames against a 512 KB budget
            TcpTestClient hog = connect(i % 2 == 0 ? "lines" : "binary");
            hog.sendRaw(i % 2 == 0 ? almostALine : prefixed(120_000, 100_000));
            hogs.add(hog);
        }
        await().until(() -> budget.waitingReaders() > 0);
        assertThat(budget.heldBytes()).isLessThanOrEqualTo(budget.maxBytes());
        for (int i = 0; i < 50; i++) {
            good.sendLine("small " + i);
            assertThat(good.readLine()).isEqualTo("small " + i);
            goodBinary.sendLengthPrefixed(ascii("binary " + i));
            assertThat(new String(goodBinary.readLengthPrefixed(), StandardCharsets.US_ASCII)).isEqualTo("binary " + i);
        }
        assertThat(meters.get("gateway.inbound.memory.pauses").functionCounter().count()).isGreaterThan(pausesBefore);
        assertThat(meters.get("gateway.inbound.buffered").gauge().value()).isPositive();
        for (TcpTestClient hog : hogs) {
            hog.awaitClosedByServer(); // each within the frame timeout of its last progress
        }
        await().until(() -> budget.heldBytes() == 0 && budget.waitingReaders() == 0);
        good.sendLine("after");
        assertThat(good.readLine()).isEqualTo("after");
    }

    private static byte[] prefixed(int announced, int sent) {
        byte[] wire = new byte[4 + sent];
        wire[0] = (byte) (announced >>> 24);
        wire[1] = (byte) (announced >>> 16);
        wire[2] = (byte) (announced >>> 8);
        wire[3] = (byte) announced;
        Arrays.fill(wire, 4, wire.length, (byte) 'b');
        return wire;
    }

    private double closed(CloseReason reason) {
        return registrar.listeners().stream().mapToLong((listener) -> listener.stats().closed(reason)).sum();
    }

    private TcpTestClient connect(String listener) {
        TcpTestClient client = TcpTestClient.connect(GatewayPorts.of(registrar, listener));
        clients.add(client);
        return client;
    }

}
